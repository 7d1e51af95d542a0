// ByteStreams over real OS pipes and the stdio relay between them, on every platform (natively over
// pipe(2); under wine over CreatePipe and overlapped named pipes).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "runtime/hcs/stdio_relay.h"
#include "runtime/hcs/stream_test_util.h"

namespace ocirun::hcs {
namespace {

TEST(ByteStreamTest, PipeCarriesBytesThenEnds) {
  Pipe pipes[] = {OsPipe(), HcsLikePipe()};
  for (Pipe& p : pipes) {
    ASSERT_TRUE(p.writer->Write("abc", 3).ok());
    p.writer->Close();
    EXPECT_EQ(ReadAll(*p.reader), "abc") << "the writer's end reads as end of stream";
  }
}

// caller stdin -> [relay] -> process stdin; process stdout -> [relay] -> caller stdout.
TEST(ByteStreamTest, RelayBetweenOsPipes) {
  Pipe caller_in = OsPipe(), proc_in = HcsLikePipe(), proc_out = HcsLikePipe(), caller_out = OsPipe();
  std::atomic<bool> closed{false};
  auto relay = StdioRelay::Start({std::move(caller_in.reader), std::move(caller_out.writer), nullptr},
                                 {std::move(proc_in.writer), std::move(proc_out.reader), nullptr},
                                 [&] { closed = true; });
  ASSERT_TRUE(caller_in.writer->Write("input\r\n", 7).ok());
  caller_in.writer->Close();
  EXPECT_EQ(ReadAll(*proc_in.reader), "input\r\n");
  ASSERT_TRUE(relay->WaitInput(std::chrono::seconds(5)));
  EXPECT_TRUE(closed);

  std::string big(1 << 20, 'y');  // far more than a pipe buffer: both pipes must keep moving
  std::thread process([&] {
    EXPECT_TRUE(proc_out.writer->Write(big.data(), big.size()).ok());
    proc_out.writer->Close();
  });
  EXPECT_EQ(ReadAll(*caller_out.reader), big) << "and the caller's end is closed after the drain";
  process.join();
  EXPECT_TRUE(relay->WaitOutput(std::chrono::seconds(5)));
}

}  // namespace
}  // namespace ocirun::hcs
