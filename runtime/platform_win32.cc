// runtime/platform.h on Windows. Paths are UTF-8 (converted for the wide APIs); POSIX modes have no
// meaning here (new folders and files inherit the ACL of their parent: the state root's ACL is the
// access control) and are ignored.
#include <windows.h>
#include <aclapi.h>

#include <mutex>
#include <set>
#include <filesystem>
#include <system_error>

#include "base/win32_util.h"
#include "runtime/platform.h"

namespace ocirun::platform {
namespace {

namespace fs = std::filesystem;

base::UniqueHandle OpenLockFile(const std::string& path, DWORD disposition) {
  return base::UniqueHandle(::CreateFileW(base::Widen(path).c_str(), GENERIC_READ | GENERIC_WRITE,
                                          FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                                          disposition, FILE_ATTRIBUTE_NORMAL, nullptr));
}

bool DeletePending(HANDLE h) {
  FILE_STANDARD_INFO info{};
  return ::GetFileInformationByHandleEx(h, FileStandardInfo, &info, sizeof info) && info.DeletePending;
}

// Why the folder goes when the lock closes: the holder may delete its container's folder (delete)
// while the lock file in it is open. Unless the file system gives DeleteFile POSIX semantics, the
// lock file then stays, delete-pending, until this handle closes, and keeps the folder from being
// removed (RemoveTree accepts that); the folder is removed here once the file is gone.
class HandleLock : public FileLock {
 public:
  HandleLock(base::UniqueHandle h, std::string path) : h_(std::move(h)), path_(std::move(path)) {
    std::lock_guard<std::mutex> hold(LiveMutex());
    Live().insert(this);
  }
  ~HandleLock() override {
    std::string path;
    {
      std::lock_guard<std::mutex> hold(LiveMutex());
      Live().erase(this);
      path = path_;
    }
    h_.Reset();  // releases the LockFileEx range (and deletes the file when it was pending)
    const fs::path file = fs::u8path(path);
    if (::GetFileAttributesW(file.wstring().c_str()) == INVALID_FILE_ATTRIBUTES) {
      ::RemoveDirectoryW(file.parent_path().wstring().c_str());  // fails, harmlessly, unless empty
    }
  }

  // This process renamed folder `from` to `to` (StateStore::Reserve renames the folder after
  // locking): locks on files in it follow, or a failed create's folder would stay behind, empty.
  static void FolderRenamed(const std::string& from, const std::string& to) {
    std::lock_guard<std::mutex> hold(LiveMutex());
    for (HandleLock* lock : Live()) {
      const std::string& p = lock->path_;
      if (p.size() > from.size() && p.compare(0, from.size(), from) == 0 && (p[from.size()] == '/' || p[from.size()] == '\\')) {
        lock->path_ = to + p.substr(from.size());
      }
    }
  }

 private:
  static std::mutex& LiveMutex() {
    static std::mutex m;
    return m;
  }
  static std::set<HandleLock*>& Live() {
    static std::set<HandleLock*> live;
    return live;
  }

  base::UniqueHandle h_;
  std::string path_;
};

base::Status FsError(std::string_view what, const std::error_code& ec) {
  base::Code code = base::Code::kIo;
  if (ec == std::errc::no_such_file_or_directory) code = base::Code::kNotFound;
  if (ec == std::errc::file_exists) code = base::Code::kAlreadyExists;
  return base::Status(code, std::string(what) + ": " + ec.message(), ec.value());
}

}  // namespace

base::Result<std::unique_ptr<FileLock>> LockFile(const std::string& path) {
  base::UniqueHandle h = OpenLockFile(path, OPEN_ALWAYS);
  if (!h) return base::Win32Error("open lock " + path);
  OVERLAPPED ov{};
  if (!::LockFileEx(h.get(), LOCKFILE_EXCLUSIVE_LOCK, 0, 1, 0, &ov)) return base::Win32Error("lock " + path);
  // The holder before us may have deleted the container folder while we waited.
  if (DeletePending(h.get()) || !PathExists(path)) return base::NotFound("lock " + path + ": removed while waiting");
  return std::unique_ptr<FileLock>(new HandleLock(std::move(h), path));
}

bool IsLocked(const std::string& path) {
  base::UniqueHandle h = OpenLockFile(path, OPEN_EXISTING);
  if (!h) return false;
  OVERLAPPED ov{};
  if (::LockFileEx(h.get(), LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ov)) {
    ::UnlockFileEx(h.get(), 0, 1, 0, &ov);
    return false;
  }
  return ::GetLastError() == ERROR_LOCK_VIOLATION || ::GetLastError() == ERROR_IO_PENDING;
}

// The process creation time (FILETIME, 100 ns ticks since 1601): with the pid, it tells a live process
// from a recycled pid, as /proc starttime does on Linux.
base::Result<uint64_t> ProcessStartTime(int pid) {
  if (pid <= 0) return base::NotFound("no pid");
  base::UniqueHandle h(::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid)));
  if (!h) return base::NotFound("process " + std::to_string(pid) + " not found");
  DWORD code = 0;
  if (::GetExitCodeProcess(h.get(), &code) && code != STILL_ACTIVE) {
    return base::NotFound("process " + std::to_string(pid) + " has exited");
  }
  FILETIME created, exited, kernel, user;
  if (!::GetProcessTimes(h.get(), &created, &exited, &kernel, &user)) {
    return base::Win32Error("times of process " + std::to_string(pid));
  }
  return (static_cast<uint64_t>(created.dwHighDateTime) << 32) | created.dwLowDateTime;
}

bool ProcessAlive(int pid, uint64_t start_time) {
  auto now = ProcessStartTime(pid);
  return now.ok() && *now == start_time;
}

base::Result<std::string> SelfExecutable() {
  std::wstring buf(MAX_PATH, L'\0');
  for (;;) {
    DWORD n = ::GetModuleFileNameW(nullptr, buf.data(), static_cast<DWORD>(buf.size()));
    if (n == 0) return base::Win32Error("GetModuleFileName");
    if (n < buf.size()) return base::Narrow(std::wstring_view(buf.data(), n));
    buf.resize(buf.size() * 2);
  }
}

base::Status MakeDir(const std::string& path, int /*mode*/) {
  if (::CreateDirectoryW(base::Widen(path).c_str(), nullptr)) return base::Status::Ok();
  return base::Win32Error("mkdir " + path);
}

base::Status MakeDirs(const std::string& path, int /*mode*/) {
  std::error_code ec;
  fs::create_directories(fs::u8path(path), ec);
  if (ec) return FsError("mkdir -p " + path, ec);
  return base::Status::Ok();
}

std::string UniqueSuffix() { return std::to_string(::GetCurrentProcessId()); }

base::Status Rename(const std::string& from, const std::string& to) {
  std::wstring wfrom = base::Widen(from), wto = base::Widen(to);
  DWORD attrs = ::GetFileAttributesW(wto.c_str());
  if (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY)) {
    // rename(2) replaces an empty folder; MoveFileEx never replaces folders.
    if (!::RemoveDirectoryW(wto.c_str())) return base::AlreadyExists("rename " + from + " to " + to + ": not empty");
  }
  if (!::MoveFileExW(wfrom.c_str(), wto.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
    DWORD err = ::GetLastError();
    // A concurrent rename made the folder since the check above: MoveFileEx then fails with
    // "access denied" (or "already exists") where rename(2) would fail with ENOTEMPTY.
    attrs = ::GetFileAttributesW(wto.c_str());
    if (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY)) {
      return base::AlreadyExists("rename " + from + " to " + to + ": not empty");
    }
    return base::Win32Error("rename " + from + " to " + to, err);
  }
  HandleLock::FolderRenamed(from, to);
  return base::Status::Ok();
}

namespace {

// True when everything left in `dir` is a file already deleted but still open (delete-pending): the
// folder goes when the last of them closes (see HandleLock). Such a file cannot be opened again, or
// reports DeletePending, or (wine, which reports no DeletePending) can be deleted again.
bool OnlyDeletePending(const fs::path& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec)) return false;
    const std::wstring name = it->path().wstring();
    base::UniqueHandle h(::CreateFileW(name.c_str(), FILE_READ_ATTRIBUTES,
                                       FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, OPEN_EXISTING,
                                       FILE_ATTRIBUTE_NORMAL, nullptr));
    if (!h && ::GetLastError() == ERROR_ACCESS_DENIED) continue;
    if (h && DeletePending(h.get())) continue;
    h.Reset();
    if (!::DeleteFileW(name.c_str())) return false;
  }
  return !ec;
}

}  // namespace

base::Status RemoveTree(const std::string& path) {
  std::error_code ec;
  const fs::path p = fs::u8path(path);
  fs::remove_all(p, ec);  // does not follow symlinks or junctions
  if (!ec || ec == std::errc::no_such_file_or_directory) return base::Status::Ok();
  // Our own lock file in the folder (the caller holds the container's lock while deleting it).
  if (OnlyDeletePending(p)) return base::Status::Ok();
  return FsError("remove " + path, ec);
}

bool PathExists(const std::string& path) {
  return ::GetFileAttributesW(base::Widen(path).c_str()) != INVALID_FILE_ATTRIBUTES;
}

base::Result<std::vector<std::string>> ListDir(const std::string& path) {
  std::error_code ec;
  fs::directory_iterator it(fs::u8path(path), ec);
  if (ec) return FsError("list " + path, ec);
  std::vector<std::string> names;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return FsError("list " + path, ec);
    std::u8string name = it->path().filename().u8string();
    names.emplace_back(name.begin(), name.end());
  }
  return names;
}

// The account owning the file (DOMAIN\user), as runhcs reports the owner; the SID string otherwise.
std::string OwnerName(const std::string& path) {
  PSID owner = nullptr;
  PSECURITY_DESCRIPTOR sd = nullptr;
  std::wstring wpath = base::Widen(path);
  if (::GetNamedSecurityInfoW(wpath.c_str(), SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, &owner, nullptr, nullptr,
                              nullptr, &sd) != ERROR_SUCCESS) {
    return "unknown";
  }
  wchar_t name[256], domain[256];
  DWORD name_len = 256, domain_len = 256;
  SID_NAME_USE use;
  std::string out = "unknown";
  if (::LookupAccountSidW(nullptr, owner, name, &name_len, domain, &domain_len, &use)) {
    out = base::Narrow(std::wstring_view(domain, domain_len)) + "\\" + base::Narrow(std::wstring_view(name, name_len));
  }
  ::LocalFree(sd);
  return out;
}

}  // namespace ocirun::platform
