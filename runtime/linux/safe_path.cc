#include "runtime/linux/safe_path.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace ocirun::linux {
namespace {

std::vector<std::string> Components(const std::string& path) {
  std::vector<std::string> parts;
  size_t pos = 0;
  while (pos < path.size()) {
    size_t next = path.find('/', pos);
    if (next == std::string::npos) next = path.size();
    std::string c = path.substr(pos, next - pos);
    if (!c.empty() && c != ".") parts.push_back(c);
    pos = next + 1;
  }
  return parts;
}

}  // namespace

std::string FdPath(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

base::Result<base::UniqueFd> OpenInRoot(int root_fd, const std::string& path, int extra_flags) {
  struct open_how how{};
  how.flags = static_cast<uint64_t>(O_PATH | O_CLOEXEC | extra_flags);
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  std::string rel = path;
  while (!rel.empty() && rel[0] == '/') rel.erase(0, 1);
  if (rel.empty()) rel = ".";
  long fd;
  do {
    fd = ::syscall(SYS_openat2, root_fd, rel.c_str(), &how, sizeof how);
  } while (fd < 0 && (errno == EAGAIN || errno == EINTR));
  if (fd < 0) return base::ErrnoError("open " + path + " in the rootfs");
  return base::UniqueFd(static_cast<int>(fd));
}

base::Result<base::UniqueFd> MakeInRoot(int root_fd, const std::string& path, bool as_file) {
  std::vector<std::string> parts = Components(path);
  std::string so_far;
  ASSIGN_OR_RETURN(base::UniqueFd cur, OpenInRoot(root_fd, ".", O_DIRECTORY));
  for (size_t i = 0; i < parts.size(); ++i) {
    so_far += "/" + parts[i];
    auto next = OpenInRoot(root_fd, so_far);
    if (next.ok()) {
      cur = std::move(*next);
      continue;
    }
    if (next.status().os_error() != ENOENT) return next.status();
    // `cur` is the safely resolved parent and parts[i] does not exist: creating it cannot escape.
    // A dangling symlink here also reports ENOENT; mkdirat/openat then fail with EEXIST, not follow.
    bool last = i + 1 == parts.size();
    if (last && as_file) {
      int fd = ::openat(cur.get(), parts[i].c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
      if (fd < 0 && errno != EEXIST) return base::ErrnoError("create " + so_far + " in the rootfs");
      if (fd >= 0) ::close(fd);
    } else if (::mkdirat(cur.get(), parts[i].c_str(), 0755) != 0 && errno != EEXIST) {
      return base::ErrnoError("mkdir " + so_far + " in the rootfs");
    }
    ASSIGN_OR_RETURN(cur, OpenInRoot(root_fd, so_far));
  }
  return cur;
}

}  // namespace ocirun::linux
