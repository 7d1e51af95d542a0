// Whole-file helpers on Windows. Paths are UTF-8, converted to UTF-16 for the wide APIs; `mode` has no
// Windows meaning (files inherit their folder's ACL) and is ignored.
#include <windows.h>

#include <string>

#include "base/file.h"
#include "base/win32_util.h"

namespace base {
namespace {

Status WriteAll(HANDLE h, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    DWORD chunk = static_cast<DWORD>(std::min<size_t>(data.size(), 1u << 30));
    DWORD written = 0;
    if (!::WriteFile(h, data.data(), chunk, &written, nullptr)) return Win32Error("write " + path);
    data.remove_prefix(written);
  }
  return Status::Ok();
}

std::string TempNameFor(const std::string& path) {
  size_t slash = path.find_last_of("/\\");
  std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  return dir + "." + name + ".tmp-" + std::to_string(::GetCurrentProcessId());
}

Result<UniqueHandle> OpenForWrite(const std::string& path, DWORD disposition) {
  UniqueHandle h(::CreateFileW(Widen(path).c_str(), GENERIC_WRITE, 0, nullptr, disposition,
                               FILE_ATTRIBUTE_NORMAL, nullptr));
  if (!h) return Win32Error("open " + path);
  return h;
}

}  // namespace

Result<std::string> ReadFile(const std::string& path) {
  UniqueHandle h(::CreateFileW(Widen(path).c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                               nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr));
  if (!h) return Win32Error("open " + path);
  std::string out;
  char buf[65536];
  for (;;) {
    DWORD n = 0;
    if (!::ReadFile(h.get(), buf, sizeof buf, &n, nullptr)) return Win32Error("read " + path);
    if (n == 0) break;
    out.append(buf, n);
  }
  return out;
}

Status WriteFile(const std::string& path, std::string_view data, int /*mode*/) {
  ASSIGN_OR_RETURN(UniqueHandle h, OpenForWrite(path, CREATE_ALWAYS));
  return WriteAll(h.get(), data, path);
}

// Temp file beside the target, flushed, then renamed over it with MoveFileExW(REPLACE_EXISTING |
// WRITE_THROUGH): readers that open the path see the old file or the new one, never a partial one.
Status WriteFileAtomic(const std::string& path, std::string_view data, int /*mode*/) {
  const std::string tmp = TempNameFor(path);
  Status st;
  {
    ASSIGN_OR_RETURN(UniqueHandle h, OpenForWrite(tmp, CREATE_ALWAYS));
    st = WriteAll(h.get(), data, tmp);
    if (st.ok() && !::FlushFileBuffers(h.get())) st = Win32Error("flush " + tmp);
  }
  if (st.ok() && !::MoveFileExW(Widen(tmp).c_str(), Widen(path).c_str(),
                                MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
    st = Win32Error("rename " + tmp + " to " + path);
  }
  if (!st.ok()) ::DeleteFileW(Widen(tmp).c_str());
  return st;
}

}  // namespace base
