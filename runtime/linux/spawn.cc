#include "runtime/linux/spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

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
base::Result<base::UniqueFd> SealedSelf() {
  base::UniqueFd self(::open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  if (!self) return base::ErrnoError("open /proc/self/exe");
  struct stat st{};
  if (::fstat(self.get(), &st) != 0) return base::ErrnoError("stat /proc/self/exe");
  constexpr int kAttempts = 4;
  constexpr int kSeals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(base::UniqueFd mem, CopySelf(self.get(), st.st_size));
    if (::fcntl(mem.get(), F_ADD_SEALS, kSeals) == 0) return mem;
    int err = errno;
    if (err != EBUSY || attempt == kAttempts) return base::ErrnoError("seal memfd", err);
  }
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

[[noreturn]] void ExecStage1(int mem_fd, int child_fd, int preserve_fds) {
  // Between fork and exec: only async-signal-safe calls on prepared memory... and setenv, which is
  // fine because the parent is single-threaded.
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
  ASSIGN_OR_RETURN(base::UniqueFd mem, SealedSelf());
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return base::ErrnoError("socketpair");
  base::UniqueFd parent_end(sv[0]), child_end(sv[1]);
  ChildGuard s1, s2;
  int pid = ::fork();
  if (pid < 0) return base::ErrnoError("fork init");
  if (pid == 0) ExecStage1(mem.get(), child_end.get(), req.preserve_fds);
  s1.Set(pid);
  child_end.Reset();
  ASSIGN_OR_RETURN(int init_pid, Exchange(parent_end.get(), s1, s2, req, cb));
  s2.Release();
  return init_pid;
}

}  // namespace ocirun::linux
