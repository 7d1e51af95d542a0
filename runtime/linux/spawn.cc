#include "runtime/linux/spawn.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/mount.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string_view>

#include "base/file.h"
#include "base/unique_fd.h"
#include "runtime/linux/init_protocol.h"

extern char** environ;

namespace ocirun::linux {
namespace {

// A child that is killed and reaped unless released.
class ChildGuard {
 public:
  explicit ChildGuard(int pid = -1) : pid_(pid) {}
  ChildGuard(const ChildGuard&) = delete;
  ChildGuard& operator=(const ChildGuard&) = delete;
  ~ChildGuard() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {}
  }
  void Set(int pid) { pid_ = pid; }
  int pid() const { return pid_; }
  int Release() { int p = pid_; pid_ = -1; return p; }

 private:
  int pid_;
};

// An unsealed in-memory copy of our own executable.
base::Result<base::UniqueFd> CopySelf(int self, off_t size) {
  base::UniqueFd mem(static_cast<int>(::syscall(SYS_memfd_create, "ocirun", MFD_CLOEXEC | MFD_ALLOW_SEALING)));
  if (!mem) return base::ErrnoError("memfd_create");
  off_t off = 0;
  while (off < size) {
    ssize_t n = ::sendfile(mem.get(), self, &off, static_cast<size_t>(size - off));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return base::ErrnoError("copy ocirun into memfd");
  }
  return mem;
}

// A read-only, sealed in-memory copy of our own executable: what the container init runs, so that
// /proc/<init>/exe never points at the host binary.
//
// F_SEAL_WRITE fails with EBUSY when a page of the copy still has a reference besides the page
// cache's after the kernel's own waiting (about 150 ms): page migration or compaction on a busy
// host can hold one that long (seen once in CI, in the library benchmark). The copy is then made
// afresh, with new pages; an unsealed copy is never used.
base::Result<base::UniqueFd> SealedSelf(int self) {
  struct stat st{};
  if (::fstat(self, &st) != 0) return base::ErrnoError("stat /proc/self/exe");
  constexpr int kAttempts = 4;
  constexpr int kSeals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(base::UniqueFd mem, CopySelf(self, st.st_size));
    if (::fcntl(mem.get(), F_ADD_SEALS, kSeals) == 0) return mem;
    int err = errno;
    if (err != EBUSY || attempt == kAttempts) return base::ErrnoError("seal memfd", err);
  }
}

bool SameFile(const struct stat& a, const struct stat& b) {
  return a.st_ino == b.st_ino && a.st_size == b.st_size && a.st_mtim.tv_sec == b.st_mtim.tv_sec &&
         a.st_mtim.tv_nsec == b.st_mtim.tv_nsec;
}

// An empty folder that lives as long as this object (root's, mode 0700, in /run or else /tmp).
class EmptyDir {
 public:
  static base::Result<EmptyDir> Make() {
    for (const char* base : {"/run", "/tmp"}) {
      std::string tmpl = std::string(base) + "/ocirun-exe-XXXXXX";
      if (::mkdtemp(tmpl.data()) != nullptr) return EmptyDir(tmpl);
    }
    return base::ErrnoError("mkdtemp for the overlay's empty layer");
  }
  EmptyDir(EmptyDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  EmptyDir(const EmptyDir&) = delete;
  EmptyDir& operator=(const EmptyDir&) = delete;
  EmptyDir& operator=(EmptyDir&&) = delete;
  ~EmptyDir() {
    if (!path_.empty()) ::rmdir(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  explicit EmptyDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// Our own executable seen through a private overlayfs mount of the binary's folder (runc 1.2 does
// the same): an overlay without an upper layer has a read-only superblock, so a write
// through /proc/<init>/exe fails with EROFS even if the container clears the mount's read-only flag
// (a plain read-only bind mount would not hold against mount_setattr). The mount is detached: it is
// in no mount namespace and goes away with the last reference to the file. Nothing is copied, and
// the exec shares the binary's page cache. Fails (then the caller copies into a memfd) without
// CAP_SYS_ADMIN, without overlayfs or the new mount API, when the folder's name cannot be an overlay
// layer, or when the file there is no longer the one running (replaced on disk).
base::Result<base::UniqueFd> OverlaySelf(int self) {
  char path[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) return base::ErrnoError("readlink /proc/self/exe");
  std::string exe(path, static_cast<size_t>(n));
  size_t slash = exe.rfind('/');
  if (slash == std::string::npos || exe.find_first_of(":,\\") != std::string::npos)
    return base::InvalidArgument("executable path unusable as an overlay layer: " + exe);
  std::string dir = slash == 0 ? "/" : exe.substr(0, slash), name = exe.substr(slash + 1);
  // Without an upper layer overlayfs wants two lower ones: the binary's folder on top, and a
  // fresh empty folder of our own below it, removed again once the superblock exists.
  ASSIGN_OR_RETURN(EmptyDir empty, EmptyDir::Make());
  std::string layers = dir + ":" + empty.path();
  base::UniqueFd fs(static_cast<int>(::syscall(SYS_fsopen, "overlay", FSOPEN_CLOEXEC)));
  if (!fs) return base::ErrnoError("fsopen overlay");
  if (::syscall(SYS_fsconfig, fs.get(), FSCONFIG_SET_STRING, "lowerdir", layers.c_str(), 0) != 0)
    return base::ErrnoError("overlay lowerdir " + layers);
  if (::syscall(SYS_fsconfig, fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0)
    return base::ErrnoError("create overlay of " + dir);
  base::UniqueFd mnt(static_cast<int>(::syscall(SYS_fsmount, fs.get(), FSMOUNT_CLOEXEC,
                                                MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID)));
  if (!mnt) return base::ErrnoError("fsmount overlay");
  base::UniqueFd exe_fd(::openat(mnt.get(), name.c_str(), O_PATH | O_CLOEXEC | O_NOFOLLOW));
  if (!exe_fd) return base::ErrnoError("open " + name + " in the overlay");
  struct stat running{}, seen{};
  if (::fstat(self, &running) != 0 || ::fstat(exe_fd.get(), &seen) != 0) return base::ErrnoError("stat executable");
  if (!SameFile(running, seen)) return base::NotFound(exe + " is no longer the running executable");
  return exe_fd;
}

// What the init executes: our binary through a read-only overlay, else a sealed memfd copy.
// OCIRUN_INIT_EXE=memfd forces the copy (to measure or test it).
base::Result<base::UniqueFd> ProtectedSelf() {
  base::UniqueFd self(::open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  if (!self) return base::ErrnoError("open /proc/self/exe");
  const char* mode = std::getenv("OCIRUN_INIT_EXE");
  if (mode == nullptr || std::string_view(mode) != "memfd") {
    auto overlay = OverlaySelf(self.get());
    if (overlay.ok()) return overlay;
  }
  return SealedSelf(self.get());
}

std::string MapText(const std::vector<ocispec::IdMapping>& maps) {
  std::string out;
  for (const auto& m : maps) {
    out += std::to_string(m.container_id) + " " + std::to_string(m.host_id) + " " + std::to_string(m.size) + "\n";
  }
  return out;
}

base::Status WriteMappings(int pid, const SpawnRequest& req) {
  std::string proc = "/proc/" + std::to_string(pid);
  RETURN_IF_ERROR_CTX(base::WriteFile(proc + "/uid_map", MapText(req.uid_mappings)), "linux.uidMappings");
  RETURN_IF_ERROR_CTX(base::WriteFile(proc + "/gid_map", MapText(req.gid_mappings)), "linux.gidMappings");
  return base::Status::Ok();
}

[[noreturn]] void ExecStage1(int mem_fd, int child_fd, int preserve_fds, pid_t parent) {
  // Between fork and exec: only async-signal-safe calls on prepared memory... and setenv, which is
  // fine because the parent is single-threaded.
  // Stage 1 runs outside the container's cgroup until the parent places it: should the parent be
  // killed before that, nothing would find it, so it dies with the parent. (Stage 2, forked by it,
  // does not inherit this; it exits by itself on the closed socket, or is recorded by then.)
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(1);
  ::fcntl(child_fd, F_SETFD, 0);
  for (int fd = 3; fd < 3 + preserve_fds; ++fd) ::fcntl(fd, F_SETFD, 0);
  char env_value[32];
  std::snprintf(env_value, sizeof env_value, "%d", child_fd);
  ::setenv(kInitPipeEnv, env_value, 1);
  char arg0[] = "ocirun", arg1[] = "init";
  char* argv[] = {arg0, arg1, nullptr};
  ::syscall(SYS_execveat, mem_fd, "", argv, environ, AT_EMPTY_PATH);
  ::_exit(127);
}

base::Result<int> Exchange(int fd, ChildGuard& s1, ChildGuard& s2, const SpawnRequest& req,
                           const SpawnCallbacks& cb) {
  if (cb.place) RETURN_IF_ERROR(cb.place(s1.pid()));
  RETURN_IF_ERROR(SendMessage(fd, MsgType::kConfig, req.config));
  for (;;) {
    auto msg = ReceiveMessage(fd);
    if (!msg.ok()) {
      if (msg.status().code() == base::Code::kNotFound) return base::Internal("container init exited unexpectedly");
      return msg.status();
    }
    switch (msg->type) {
      case MsgType::kMapIds:
        RETURN_IF_ERROR(WriteMappings(s1.pid(), req));
        RETURN_IF_ERROR(SendMessage(fd, MsgType::kMapIdsDone, nlohmann::json::object()));
        break;
      case MsgType::kChildPid: {
        s2.Set(msg->body.at("pid").get<int>());
        while (::waitpid(s1.Release(), nullptr, 0) < 0 && errno == EINTR) {}
        if (cb.child) RETURN_IF_ERROR(cb.child(s2.pid()));
        RETURN_IF_ERROR(SendMessage(fd, MsgType::kChildPidAck, nlohmann::json::object()));
        break;
      }
      case MsgType::kRuntimeHooks: {
        nlohmann::json state = nlohmann::json::object();
        if (cb.runtime_hooks) { ASSIGN_OR_RETURN(state, cb.runtime_hooks(s2.pid())); }
        RETURN_IF_ERROR(SendMessage(fd, MsgType::kRuntimeHooksDone, {{"state", state}}));
        break;
      }
      case MsgType::kConsole: {
        ASSIGN_OR_RETURN(int master, RecvFd(fd));
        if (!cb.console) {
          ::close(master);
          return base::Internal("init sent a console nobody asked for");
        }
        RETURN_IF_ERROR(cb.console(master, msg->body.value("name", std::string())));
        break;
      }
      case MsgType::kReady:
        return s2.pid();
      case MsgType::kError:
        return base::Status(base::Code::kInternal, msg->body.value("message", std::string("init failed")),
                            msg->body.value("errno", 0));
      default:
        return base::Internal("init protocol: unexpected message");
    }
  }
}

}  // namespace

base::Result<int> SpawnInit(const SpawnRequest& req, const SpawnCallbacks& cb) {
  ASSIGN_OR_RETURN(base::UniqueFd mem, ProtectedSelf());
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return base::ErrnoError("socketpair");
  base::UniqueFd parent_end(sv[0]), child_end(sv[1]);
  ChildGuard s1, s2;
  const pid_t parent = ::getpid();
  int pid = ::fork();
  if (pid < 0) return base::ErrnoError("fork init");
  if (pid == 0) ExecStage1(mem.get(), child_end.get(), req.preserve_fds, parent);
  s1.Set(pid);
  child_end.Reset();
  ASSIGN_OR_RETURN(int init_pid, Exchange(parent_end.get(), s1, s2, req, cb));
  s2.Release();
  return init_pid;
}

}  // namespace ocirun::linux
