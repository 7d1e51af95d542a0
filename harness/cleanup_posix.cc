#include "harness/cleanup_posix.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "base/file.h"

namespace harness::host {
namespace {

constexpr long kCgroupMagic = 0x27e0eb;       // CGROUP_SUPER_MAGIC (v1)
constexpr long kCgroup2Magic = 0x63677270;    // CGROUP2_SUPER_MAGIC
constexpr int kMaxDepth = 128;

// An fd closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

// mountinfo escapes space, tab, newline and backslash as \ooo (octal).
std::string Unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && IsOctal(s[i + 1]) && IsOctal(s[i + 2]) && IsOctal(s[i + 3])) {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The mount id of a path relative to `dirfd` (the link itself for a symlink), or 0.
uint64_t MountIdAt(int dirfd, const char* name, int flags, unsigned* mode = nullptr) {
  struct statx stx;
  if (::statx(dirfd, name, flags | AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_TYPE | STATX_MNT_ID, &stx) != 0)
    return 0;
  if (mode) *mode = stx.stx_mode;
  return (stx.stx_mask & STATX_MNT_ID) ? stx.stx_mnt_id : 0;
}

int ParentOf(int pid) {
  std::string stat = base::ReadFile("/proc/" + std::to_string(pid) + "/stat").value_or("");
  size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return 0;
  std::istringstream f(stat.substr(paren + 2));
  std::string state;
  int ppid = 0;
  f >> state >> ppid;
  return ppid;
}

std::vector<int> ReadPids(int cgroup_fd) {
  std::vector<int> pids;
  Fd fd(::openat(cgroup_fd, "cgroup.procs", O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.ok()) return pids;
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd.get(), buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
  std::istringstream in(text);
  for (int pid; in >> pid;) pids.push_back(pid);
  return pids;
}

void WriteAt(int dirfd, const char* name, const char* value) {
  Fd fd(::openat(dirfd, name, O_WRONLY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.ok()) (void)!::write(fd.get(), value, std::strlen(value));
}

bool EmptyDir(int dfd, uint64_t mnt, const std::string& path, int depth, std::vector<std::string>* kept);

// Removes `name` (in `dfd`) when it is on mount `mnt`; a folder after emptying it.
bool RemoveEntry(int dfd, const char* name, uint64_t mnt, const std::string& path, int depth,
                 std::vector<std::string>* kept) {
  unsigned mode = 0;
  uint64_t id = MountIdAt(dfd, name, 0, &mode);
  if (id == 0) return errno == ENOENT;
  if (id != mnt) {  // a mount point (another filesystem, or a bind mount of the same one)
    if (kept) kept->push_back(path + " (another mount)");
    return false;
  }
  if (!S_ISDIR(mode)) return ::unlinkat(dfd, name, 0) == 0 || errno == ENOENT;
  if (depth >= kMaxDepth) {
    if (kept) kept->push_back(path + " (too deep)");
    return false;
  }
  Fd sub(::openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  // Swapped for a symlink or another mount between statx and open: keep it.
  if (!sub.ok() || MountIdAt(sub.get(), "", AT_EMPTY_PATH) != mnt) {
    if (kept) kept->push_back(path + " (changed while removing)");
    return false;
  }
  bool emptied = EmptyDir(sub.get(), mnt, path, depth + 1, kept);
  return emptied && (::unlinkat(dfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT);
}

bool EmptyDir(int dfd, uint64_t mnt, const std::string& path, int depth, std::vector<std::string>* kept) {
  int copy = ::fcntl(dfd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) return false;
  DIR* dir = ::fdopendir(copy);
  if (!dir) {
    ::close(copy);
    return false;
  }
  std::vector<std::string> names;
  while (struct dirent* e = ::readdir(dir)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  ::closedir(dir);
  bool all = true;
  for (const std::string& n : names) all &= RemoveEntry(dfd, n.c_str(), mnt, path + "/" + n, depth, kept);
  return all;
}

}  // namespace

std::vector<MountEntry> ParseMountInfo(const std::string& text) {
  std::vector<MountEntry> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    MountEntry m;
    std::string parent, devno, root, mp, word;
    if (!(f >> m.id >> parent >> devno >> root >> mp)) continue;
    // Optional fields up to "-", then the filesystem type.
    while (f >> word && word != "-") {
    }
    if (!(f >> m.fstype)) continue;
    m.root = Unescape(root);
    m.mount_point = Unescape(mp);
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<MountEntry> ReadMountTable() {
  return ParseMountInfo(base::ReadFile("/proc/self/mountinfo").value_or(""));
}

std::vector<std::string> CgroupMountPoints(const std::vector<MountEntry>& table) {
  std::vector<std::string> out;
  for (const MountEntry& m : table) {
    if ((m.fstype != "cgroup" && m.fstype != "cgroup2") || m.root != "/") continue;
    if (std::find(out.begin(), out.end(), m.mount_point) == out.end()) out.push_back(m.mount_point);
  }
  return out;
}

std::vector<std::string> MountsStrictlyUnder(const std::vector<MountEntry>& table, const std::string& dir) {
  std::string prefix = dir;
  while (prefix.size() > 1 && prefix.back() == '/') prefix.pop_back();
  prefix += '/';
  std::vector<std::string> out;
  if (prefix == "/" || prefix == "//") return out;  // never everything
  for (const MountEntry& m : table)
    if (m.mount_point.size() > prefix.size() && m.mount_point.compare(0, prefix.size(), prefix) == 0)
      out.push_back(m.mount_point);
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool IsProtectedPid(int pid) {
  if (pid <= 1) return true;
  int self = static_cast<int>(::getpid());
  std::set<int> seen;
  for (int p = self; p > 1 && seen.insert(p).second; p = ParentOf(p))
    if (p == pid) return true;
  return false;
}

std::string RemoveCaseCgroup(const std::string& mount_point, const std::string& leaf) {
  if (leaf.empty() || leaf == "." || leaf == ".." || leaf.find('/') != std::string::npos) return "";
  Fd mnt(::open(mount_point.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  struct statfs fs;
  if (!mnt.ok() || ::fstatfs(mnt.get(), &fs) != 0) return "";
  if (fs.f_type != kCgroupMagic && fs.f_type != kCgroup2Magic) return "";
  Fd cg(::openat(mnt.get(), leaf.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!cg.ok()) return "";
  std::string path = mount_point + "/" + leaf;
  if (MountIdAt(cg.get(), "", AT_EMPTY_PATH) != MountIdAt(mnt.get(), "", AT_EMPTY_PATH))
    return "cgroup " + path + " (left alone: another mount)";
  std::set<int> spared;
  int err = 0;
  for (int attempt = 0; attempt < 50; ++attempt) {
    for (int pid : ReadPids(cg.get())) {
      if (IsProtectedPid(pid)) spared.insert(pid);
      else ::kill(pid, SIGKILL);
    }
    WriteAt(cg.get(), "freezer.state", "THAWED");  // v1: a frozen task cannot die
    WriteAt(cg.get(), "cgroup.freeze", "0");        // v2
    if (::unlinkat(mnt.get(), leaf.c_str(), AT_REMOVEDIR) == 0 || errno == ENOENT) return "cgroup " + path;
    err = errno;
    if (err != EBUSY) break;  // ENOTEMPTY: a child cgroup, which we did not name
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::string why = "cgroup " + path + " (not removed: " + std::strerror(err);
  for (int pid : spared) why += "; lists pid " + std::to_string(pid) + ", which is never signalled";
  return why + ")";
}

bool RemoveTreeOneMount(const std::string& path, std::vector<std::string>* kept) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return errno == ENOENT;
  if (!S_ISDIR(st.st_mode)) return ::unlink(path.c_str()) == 0 || errno == ENOENT;
  Fd top(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!top.ok()) return false;
  uint64_t mnt = MountIdAt(top.get(), "", AT_EMPTY_PATH);
  if (mnt == 0) return false;
  if (!EmptyDir(top.get(), mnt, path, 0, kept)) return false;
  return ::rmdir(path.c_str()) == 0 || errno == ENOENT;
}

}  // namespace harness::host
