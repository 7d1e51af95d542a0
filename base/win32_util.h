// Windows-only helpers for *_win32.cc files: UTF-8 <-> UTF-16 and Win32 error codes as base::Status.
// Include <windows.h> before this header.
#pragma once

#include <windows.h>

#include <string>
#include <string_view>

#include "base/status.h"

namespace base {

inline std::wstring Widen(std::string_view s) {
  if (s.empty()) return {};
  int n = ::MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0);
  std::wstring out(static_cast<size_t>(n), L'\0');
  ::MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), out.data(), n);
  return out;
}

inline std::string Narrow(std::wstring_view s) {
  if (s.empty()) return {};
  int n = ::WideCharToMultiByte(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<size_t>(n), '\0');
  ::WideCharToMultiByte(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), out.data(), n, nullptr, nullptr);
  return out;
}

// The system's text for a Win32 error or HRESULT, without the trailing newline.
inline std::string SystemMessage(DWORD code) {
  wchar_t* buf = nullptr;
  DWORD n = ::FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                                 FORMAT_MESSAGE_IGNORE_INSERTS,
                             nullptr, code, 0, reinterpret_cast<wchar_t*>(&buf), 0, nullptr);
  std::string text;
  if (n && buf) text = Narrow(std::wstring_view(buf, n));
  if (buf) ::LocalFree(buf);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  if (text.empty()) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08lx", static_cast<unsigned long>(code));
    text = std::string("error ") + hex;
  }
  return text;
}

// "<what>: <system message>" with kNotFound / kAlreadyExists / kInvalidArgument / kIo like ErrnoError;
// os_error is the Win32 code.
inline Status Win32Error(std::string_view what, DWORD err) {
  Code code = Code::kIo;
  if (err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND) code = Code::kNotFound;
  if (err == ERROR_ALREADY_EXISTS || err == ERROR_FILE_EXISTS) code = Code::kAlreadyExists;
  if (err == ERROR_INVALID_PARAMETER || err == ERROR_INVALID_NAME) code = Code::kInvalidArgument;
  return Status(code, std::string(what) + ": " + SystemMessage(err), static_cast<int64_t>(err));
}
inline Status Win32Error(std::string_view what) { return Win32Error(what, ::GetLastError()); }

// Closes a HANDLE exactly once (INVALID_HANDLE_VALUE and null both mean "none").
class UniqueHandle {
 public:
  UniqueHandle() = default;
  explicit UniqueHandle(HANDLE h) : h_(h) {}
  UniqueHandle(const UniqueHandle&) = delete;
  UniqueHandle& operator=(const UniqueHandle&) = delete;
  UniqueHandle(UniqueHandle&& o) noexcept : h_(o.Release()) {}
  UniqueHandle& operator=(UniqueHandle&& o) noexcept {
    if (this != &o) Reset(o.Release());
    return *this;
  }
  ~UniqueHandle() { Reset(); }
  HANDLE get() const { return h_; }
  bool valid() const { return h_ != nullptr && h_ != INVALID_HANDLE_VALUE; }
  explicit operator bool() const { return valid(); }
  HANDLE Release() {
    HANDLE h = h_;
    h_ = nullptr;
    return h;
  }
  void Reset(HANDLE h = nullptr) {
    if (valid()) ::CloseHandle(h_);
    h_ = h;
  }

 private:
  HANDLE h_ = nullptr;
};

}  // namespace base
