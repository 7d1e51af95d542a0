// The stdio relay over in-memory pipes: what reaches which side, when the process's stdin is closed,
// how long output is waited for, and what an abandoned relay leaves alone. Runs natively and under
// wine; byte_stream_test.cc runs it over real OS pipes.
#include "runtime/hcs/stdio_relay.h"

#include <gtest/gtest.h>

#include <atomic>

#include "runtime/hcs/memory_stream.h"
#include "runtime/hcs/stream_test_util.h"

namespace ocirun::hcs {
namespace {

using std::chrono::milliseconds;

// A pipe already holding `text`, its writer closed: a caller's stdin that ends after `text`.
std::unique_ptr<ByteStream> Source(const std::string& text) {
  MemoryPipe p = MakeMemoryPipe();
  EXPECT_TRUE(p.writer->Write(text.data(), text.size()).ok());
  return std::move(p.reader);
}

TEST(StdioRelayTest, ProcessOutputReachesTheCaller) {
  MemoryPipe out = MakeMemoryPipe(), err = MakeMemoryPipe();
  auto caller_out = std::make_shared<Captured>(), caller_err = std::make_shared<Captured>();
  auto relay = StdioRelay::Start({nullptr, MakeCapture(caller_out), MakeCapture(caller_err)},
                                 {nullptr, std::move(out.reader), std::move(err.reader)});
  ASSERT_TRUE(out.writer->Write("hello\r\n", 7).ok());
  ASSERT_TRUE(err.writer->Write("oops", 4).ok());
  EXPECT_FALSE(relay->WaitOutput(milliseconds(30))) << "the pipes are still open";
  out.writer->Close();
  err.writer->Close();
  ASSERT_TRUE(relay->WaitOutput(milliseconds(5000)));
  EXPECT_EQ(caller_out->Text(), "hello\r\n");
  EXPECT_EQ(caller_err->Text(), "oops");
  RelayReport r = relay->Report();
  EXPECT_EQ(r.out_bytes, 7u);
  EXPECT_EQ(r.err_bytes, 4u);
  EXPECT_TRUE(r.output_done);
  EXPECT_EQ(r.first_error, "");
}

TEST(StdioRelayTest, CallerInputEndClosesTheProcessStdin) {
  MemoryPipe in = MakeMemoryPipe();
  std::atomic<int> closed{0};
  auto relay = StdioRelay::Start({Source("dir\r\nexit\r\n"), nullptr, nullptr}, {std::move(in.writer), nullptr, nullptr},
                                 [&] { ++closed; });
  EXPECT_EQ(ReadAll(*in.reader), "dir\r\nexit\r\n") << "ends: the relay closed the process's stdin";
  ASSERT_TRUE(relay->WaitInput(milliseconds(5000)));
  EXPECT_EQ(closed, 1);
  EXPECT_EQ(relay->Report().in_bytes, 11u);
  EXPECT_TRUE(relay->WaitOutput(milliseconds(0))) << "no output pipes: nothing to drain";
}

TEST(StdioRelayTest, NoCallerInputMeansAnEmptyStdin) {
  MemoryPipe in = MakeMemoryPipe();
  std::atomic<int> closed{0};
  auto relay = StdioRelay::Start({}, {std::move(in.writer), nullptr, nullptr}, [&] { ++closed; });
  EXPECT_EQ(ReadAll(*in.reader), "");
  ASSERT_TRUE(relay->WaitInput(milliseconds(5000)));
  EXPECT_EQ(closed, 1);
}

// Counts the reads made of it (a caller's stdin that must be left alone).
class Untouched final : public ByteStream {
 public:
  explicit Untouched(std::shared_ptr<std::atomic<int>> reads) : reads_(std::move(reads)) {}
  base::Result<size_t> Read(char*, size_t) override {
    ++*reads_;
    return size_t{0};
  }
  base::Status Write(const char*, size_t) override { return base::Status::Ok(); }
  void Close() override {}

 private:
  std::shared_ptr<std::atomic<int>> reads_;
};

TEST(StdioRelayTest, NoProcessStdinLeavesTheCallerInputUnread) {
  auto reads = std::make_shared<std::atomic<int>>(0);
  std::atomic<int> closed{0};
  auto relay = StdioRelay::Start({std::make_unique<Untouched>(reads), nullptr, nullptr}, {}, [&] { ++closed; });
  EXPECT_TRUE(relay->WaitInput(milliseconds(0)));
  relay.reset();
  EXPECT_EQ(*reads, 0);
  EXPECT_EQ(closed, 0) << "no stdin pipe: nothing to close";
}

TEST(StdioRelayTest, OutputTheCallerCannotTakeIsStillDrained) {
  MemoryPipe out = MakeMemoryPipe(), err = MakeMemoryPipe();
  auto gone = std::make_shared<Captured>();
  gone->fail = true;
  auto relay = StdioRelay::Start({nullptr, MakeCapture(gone), nullptr},  // stderr: the caller has none
                                 {nullptr, std::move(out.reader), std::move(err.reader)});
  std::string big(200 * 1024, 'x');
  ASSERT_TRUE(out.writer->Write(big.data(), big.size()).ok());
  ASSERT_TRUE(err.writer->Write(big.data(), big.size()).ok());
  out.writer->Close();
  err.writer->Close();
  ASSERT_TRUE(relay->WaitOutput(milliseconds(5000)));
  RelayReport r = relay->Report();
  EXPECT_EQ(r.out_bytes, big.size());
  EXPECT_EQ(r.err_bytes, big.size());
  EXPECT_NE(r.first_error.find("write stdout"), std::string::npos) << r.first_error;
}

TEST(StdioRelayTest, ASlowCallerIsWaitedFor) {
  MemoryPipe out = MakeMemoryPipe();
  auto slow = std::make_shared<Captured>();
  slow->delay = milliseconds(300);
  auto relay = StdioRelay::Start({nullptr, MakeCapture(slow), nullptr}, {nullptr, std::move(out.reader), nullptr});
  ASSERT_TRUE(out.writer->Write("late", 4).ok());
  out.writer->Close();
  EXPECT_TRUE(relay->WaitOutput(milliseconds(50))) << "a write under way is progress, not idleness";
  EXPECT_EQ(slow->Text(), "late");
}

TEST(StdioRelayTest, AnAbandonedRelayStopsWithoutClosingStdinForTheProcess) {
  MemoryPipe caller_in = MakeMemoryPipe(), in = MakeMemoryPipe();
  std::atomic<int> closed{0};
  auto relay = StdioRelay::Start({std::move(caller_in.reader), nullptr, nullptr}, {std::move(in.writer), nullptr, nullptr},
                                 [&] { ++closed; });
  relay.reset();  // the input thread is blocked reading the caller's stdin
  ASSERT_TRUE(caller_in.writer->Write("late\n", 5).ok());
  EXPECT_EQ(ReadAll(*in.reader), "") << "nothing relayed after abandonment; the pipe ends when the thread does";
  EXPECT_EQ(closed, 0) << "the callback went with the relay";
}

}  // namespace
}  // namespace ocirun::hcs
