// ByteStreams over Win32 HANDLEs: the HCS's stdio pipes (owned) and this process's standard
// handles (borrowed).
#include <windows.h>

#include <algorithm>
#include <climits>

#include "base/win32_util.h"
#include "runtime/hcs/byte_stream.h"

namespace ocirun::hcs {
namespace {

// Reading a pipe whose writers are all gone fails with one of these: end of stream.
bool IsEndOfStream(DWORD err) {
  return err == ERROR_BROKEN_PIPE || err == ERROR_HANDLE_EOF || err == ERROR_PIPE_NOT_CONNECTED;
}

class HandleStream final : public ByteStream {
 public:
  HandleStream(HANDLE h, Ownership ownership)
      : h_(h), owned_(ownership == Ownership::kOwned), pipe_(::GetFileType(h) == FILE_TYPE_PIPE) {
    if (pipe_) event_.Reset(::CreateEventW(nullptr, TRUE, FALSE, nullptr));
  }
  ~HandleStream() override { Close(); }

  base::Result<size_t> Read(char* buf, size_t n) override {
    DWORD got = 0;
    DWORD want = static_cast<DWORD>(std::min<size_t>(n, UINT_MAX));
    if (Io([&](OVERLAPPED* ov, DWORD* done) { return ::ReadFile(h_, buf, want, done, ov); }, &got)) return got;
    DWORD err = ::GetLastError();
    if (IsEndOfStream(err)) return 0;
    if (err == ERROR_MORE_DATA) return got;  // a message-mode pipe: the rest comes with the next read
    return base::Win32Error("read handle", err);
  }

  base::Status Write(const char* buf, size_t n) override {
    while (n > 0) {
      DWORD put = 0;
      DWORD chunk = static_cast<DWORD>(std::min<size_t>(n, 1u << 30));
      if (!Io([&](OVERLAPPED* ov, DWORD* done) { return ::WriteFile(h_, buf, chunk, done, ov); }, &put)) {
        return base::Win32Error("write handle");
      }
      buf += put;
      n -= put;
    }
    return base::Status::Ok();
  }

  void Close() override {
    if (!owned_ || !h_ || h_ == INVALID_HANDLE_VALUE) return;
    ::CloseHandle(h_);
    h_ = nullptr;
  }

 private:
  // One read or write. Pipes: with an OVERLAPPED, waiting for its completion (a pipe opened for
  // overlapped I/O completes later; a synchronous one returns done). Others: synchronous.
  template <typename Op>
  bool Io(Op op, DWORD* done) {
    if (!pipe_) return op(nullptr, done);
    if (!event_) return false;
    OVERLAPPED ov{};
    ov.hEvent = event_.get();
    // The byte count of an overlapped call is only reliable from GetOverlappedResult.
    if (!op(&ov, nullptr) && ::GetLastError() != ERROR_IO_PENDING) return false;
    return ::GetOverlappedResult(h_, &ov, done, TRUE);
  }

  HANDLE h_;
  bool owned_;
  bool pipe_;
  base::UniqueHandle event_;
};

std::unique_ptr<ByteStream> Standard(DWORD which) {
  HANDLE h = ::GetStdHandle(which);
  if (!h || h == INVALID_HANDLE_VALUE) return nullptr;
  return OsStream(reinterpret_cast<NativeHandle>(h), Ownership::kBorrowed);
}

}  // namespace

std::unique_ptr<ByteStream> OsStream(NativeHandle h, Ownership ownership) {
  return std::make_unique<HandleStream>(reinterpret_cast<HANDLE>(h), ownership);
}

StdioStreams OwnStdio() {
  return {Standard(STD_INPUT_HANDLE), Standard(STD_OUTPUT_HANDLE), Standard(STD_ERROR_HANDLE)};
}

}  // namespace ocirun::hcs
