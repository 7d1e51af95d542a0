#include "runtime/hcs/memory_stream.h"

#include <algorithm>
#include <condition_variable>
#include <thread>

namespace ocirun::hcs {
namespace {

struct PipeState {
  std::mutex mu;
  std::condition_variable cv;
  std::string bytes;
  bool writer_closed = false;
  bool reader_closed = false;
};

class PipeReader final : public ByteStream {
 public:
  explicit PipeReader(std::shared_ptr<PipeState> p) : p_(std::move(p)) {}
  ~PipeReader() override { Close(); }

  base::Result<size_t> Read(char* buf, size_t n) override {
    std::unique_lock lock(p_->mu);
    p_->cv.wait(lock, [&] { return !p_->bytes.empty() || p_->writer_closed || p_->reader_closed; });
    if (p_->reader_closed) return base::FailedPrecondition("read from a closed pipe");
    size_t take = std::min(n, p_->bytes.size());
    std::copy_n(p_->bytes.data(), take, buf);
    p_->bytes.erase(0, take);
    return take;
  }
  base::Status Write(const char*, size_t) override { return base::FailedPrecondition("write to a pipe's read end"); }
  void Close() override {
    std::lock_guard lock(p_->mu);
    p_->reader_closed = true;
    p_->cv.notify_all();
  }

 private:
  std::shared_ptr<PipeState> p_;
};

class PipeWriter final : public ByteStream {
 public:
  explicit PipeWriter(std::shared_ptr<PipeState> p) : p_(std::move(p)) {}
  ~PipeWriter() override { Close(); }

  base::Result<size_t> Read(char*, size_t) override { return base::FailedPrecondition("read from a pipe's write end"); }
  base::Status Write(const char* buf, size_t n) override {
    std::lock_guard lock(p_->mu);
    if (p_->reader_closed) return base::Status(base::Code::kIo, "the pipe is being closed (no reader)");
    if (p_->writer_closed) return base::FailedPrecondition("write to a closed pipe");
    p_->bytes.append(buf, n);
    p_->cv.notify_all();
    return base::Status::Ok();
  }
  void Close() override {
    std::lock_guard lock(p_->mu);
    p_->writer_closed = true;
    p_->cv.notify_all();
  }

 private:
  std::shared_ptr<PipeState> p_;
};

class CaptureStream final : public ByteStream {
 public:
  explicit CaptureStream(std::shared_ptr<Captured> into) : into_(std::move(into)) {}
  base::Result<size_t> Read(char*, size_t) override { return base::FailedPrecondition("read from an output"); }
  base::Status Write(const char* buf, size_t n) override {
    std::chrono::milliseconds delay;
    {
      std::lock_guard lock(into_->mu);
      if (into_->fail) return base::Status(base::Code::kIo, "the pipe is being closed (no reader)");
      delay = into_->delay;
    }
    if (delay.count() > 0) std::this_thread::sleep_for(delay);
    std::lock_guard lock(into_->mu);
    into_->text.append(buf, n);
    return base::Status::Ok();
  }
  void Close() override {}

 private:
  std::shared_ptr<Captured> into_;
};

}  // namespace

MemoryPipe MakeMemoryPipe() {
  auto p = std::make_shared<PipeState>();
  return {std::make_unique<PipeReader>(p), std::make_unique<PipeWriter>(p)};
}

std::unique_ptr<ByteStream> MakeCapture(std::shared_ptr<Captured> into) {
  return std::make_unique<CaptureStream>(std::move(into));
}

}  // namespace ocirun::hcs
