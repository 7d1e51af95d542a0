#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ftw.h>

#include "base/file.h"
#include "base/unique_fd.h"
#include "runtime/platform.h"

namespace ocirun::platform {
namespace {

class FlockLock : public FileLock {
 public:
  explicit FlockLock(base::UniqueFd fd) : fd_(std::move(fd)) {}

 private:
  base::UniqueFd fd_;  // Closing the fd drops the flock.
};

}  // namespace

base::Result<std::unique_ptr<FileLock>> LockFile(const std::string& path) {
  for (;;) {
    base::UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd) return base::ErrnoError("open lock " + path);
    while (::flock(fd.get(), LOCK_EX) != 0) {
      if (errno != EINTR) return base::ErrnoError("lock " + path);
    }
    // The holder before us may have deleted the container (and its lock file): make sure the file we
    // locked is still the one at `path`, otherwise report it gone.
    struct stat held {}, now {};
    if (::fstat(fd.get(), &held) != 0) return base::ErrnoError("stat lock " + path);
    if (::stat(path.c_str(), &now) != 0) {
      if (errno == ENOENT) return base::NotFound("lock " + path + ": removed while waiting");
      return base::ErrnoError("stat " + path);
    }
    if (held.st_ino == now.st_ino && held.st_dev == now.st_dev) {
      return std::unique_ptr<FileLock>(new FlockLock(std::move(fd)));
    }
  }
}

bool IsLocked(const std::string& path) {
  base::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) return false;
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) return false;  // released when fd closes
  return errno == EWOULDBLOCK;
}

base::Result<uint64_t> ProcessStartTime(int pid) {
  if (pid <= 0) return base::NotFound("no pid");
  auto stat = base::ReadFile("/proc/" + std::to_string(pid) + "/stat");
  if (!stat.ok()) return base::NotFound("process " + std::to_string(pid) + " not found");
  // Fields after the command name "(comm)", which may itself contain spaces and parentheses.
  size_t close = stat->rfind(')');
  if (close == std::string::npos || close + 2 >= stat->size()) return base::Internal("bad /proc stat");
  std::string rest = stat->substr(close + 2);
  // rest starts at field 3 (state); starttime is field 22.
  if (!rest.empty() && (rest[0] == 'Z' || rest[0] == 'X')) {
    return base::NotFound("process " + std::to_string(pid) + " is a zombie");
  }
  size_t pos = 0;
  for (int field = 3; field < 22; ++field) {
    pos = rest.find(' ', pos);
    if (pos == std::string::npos) return base::Internal("bad /proc stat");
    ++pos;
  }
  return std::strtoull(rest.c_str() + pos, nullptr, 10);
}

bool ProcessAlive(int pid, uint64_t start_time) {
  auto now = ProcessStartTime(pid);
  return now.ok() && *now == start_time;
}

base::Result<std::string> SelfExecutable() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n < 0) return base::ErrnoError("readlink /proc/self/exe");
  return std::string(buf, static_cast<size_t>(n));
}

base::Status MakeDir(const std::string& path, int mode) {
  if (::mkdir(path.c_str(), static_cast<mode_t>(mode)) != 0) return base::ErrnoError("mkdir " + path);
  return base::Status::Ok();
}

base::Status MakeDirs(const std::string& path, int mode) {
  std::string cur;
  size_t pos = 0;
  while (pos != std::string::npos) {
    size_t next = path.find('/', pos + 1);
    cur = path.substr(0, next);
    pos = next;
    if (cur.empty() || cur == "/") continue;
    if (::mkdir(cur.c_str(), static_cast<mode_t>(mode)) != 0 && errno != EEXIST) {
      return base::ErrnoError("mkdir " + cur);
    }
  }
  return base::Status::Ok();
}

std::string UniqueSuffix() { return std::to_string(::getpid()) + "-"; }

base::Status Rename(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    int err = errno == ENOTEMPTY ? EEXIST : errno;
    return base::ErrnoError("rename " + from + " to " + to, err);
  }
  return base::Status::Ok();
}

base::Status RemoveTree(const std::string& path) {
  int rc = ::nftw(
      path.c_str(),
      [](const char* p, const struct stat*, int type, struct FTW*) {
        return (type == FTW_DP ? ::rmdir(p) : ::unlink(p)) == 0 || errno == ENOENT ? 0 : -1;
      },
      16, FTW_DEPTH | FTW_PHYS);
  if (rc != 0 && errno != ENOENT) return base::ErrnoError("remove " + path);
  return base::Status::Ok();
}

bool PathExists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

base::Result<std::vector<std::string>> ListDir(const std::string& path) {
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) return base::ErrnoError("open " + path);
  std::vector<std::string> names;
  while (struct dirent* e = ::readdir(dir)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(dir);
  return names;
}

std::string OwnerName(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "";
  struct passwd pw {}, *res = nullptr;
  char buf[1024];
  if (::getpwuid_r(st.st_uid, &pw, buf, sizeof buf, &res) == 0 && res != nullptr) return pw.pw_name;
  return "#" + std::to_string(st.st_uid);
}

}  // namespace ocirun::platform
