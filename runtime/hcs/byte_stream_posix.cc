// ByteStreams over POSIX fds (native builds: the relay's OS-level tests run over pipe(2)).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "runtime/hcs/byte_stream.h"

namespace ocirun::hcs {
namespace {

class FdStream final : public ByteStream {
 public:
  FdStream(int fd, Ownership ownership) : fd_(fd), owned_(ownership == Ownership::kOwned) {}
  ~FdStream() override { Close(); }

  base::Result<size_t> Read(char* buf, size_t n) override {
    for (;;) {
      ssize_t got = ::read(fd_, buf, n);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno != EINTR) return base::ErrnoError("read fd " + std::to_string(fd_));
    }
  }

  base::Status Write(const char* buf, size_t n) override {
    while (n > 0) {
      ssize_t put = ::write(fd_, buf, n);
      if (put < 0 && errno == EINTR) continue;
      if (put < 0) return base::ErrnoError("write fd " + std::to_string(fd_));
      buf += put;
      n -= static_cast<size_t>(put);
    }
    return base::Status::Ok();
  }

  void Close() override {
    if (!owned_ || fd_ < 0) return;
    ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
  bool owned_;
};

std::unique_ptr<ByteStream> Standard(int fd) {
  if (::fcntl(fd, F_GETFD) == -1) return nullptr;
  return OsStream(fd, Ownership::kBorrowed);
}

}  // namespace

std::unique_ptr<ByteStream> OsStream(NativeHandle h, Ownership ownership) {
  return std::make_unique<FdStream>(static_cast<int>(h), ownership);
}

StdioStreams OwnStdio() { return {Standard(STDIN_FILENO), Standard(STDOUT_FILENO), Standard(STDERR_FILENO)}; }

}  // namespace ocirun::hcs
