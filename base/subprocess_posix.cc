#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "base/subprocess.h"
#include "base/unique_fd.h"

extern char** environ;

namespace base {
namespace {

using Clock = std::chrono::steady_clock;

Result<std::pair<UniqueFd, UniqueFd>> MakePipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return ErrnoError("pipe");
  return std::make_pair(UniqueFd(fds[0]), UniqueFd(fds[1]));
}

std::vector<char*> CStrings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  out.reserve(v.size() + 1);
  for (const std::string& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

class PosixSubprocess final : public Subprocess {
 public:
  PosixSubprocess(pid_t pid, bool group, std::chrono::milliseconds timeout, UniqueFd in, std::string in_data,
                  UniqueFd out, UniqueFd err)
      : pid_(pid), group_(group), timeout_(timeout), in_(std::move(in)), in_data_(std::move(in_data)),
        out_(std::move(out)), err_(std::move(err)), start_(Clock::now()) {}

  ~PosixSubprocess() override {
    if (!reaped_) {
      KillAll(SIGKILL);
      int st;
      while (::waitpid(pid_, &st, 0) < 0 && errno == EINTR) {}
    }
  }

  int pid() const override { return pid_; }

  Status Signal(int signo) override {
    if (reaped_) return FailedPrecondition("process " + std::to_string(pid_) + " already exited");
    if (::kill(pid_, signo) != 0) return ErrnoError("kill " + std::to_string(pid_));
    return Status::Ok();
  }

  Result<SubprocessResult> Wait() override {
    SubprocessResult result;
    RETURN_IF_ERROR(Pump(result));
    if (reaped_) return result;  // Pump reaped it while honouring the timeout
    int st = 0;
    struct rusage ru {};
    for (;;) {
      if (::wait4(pid_, &st, 0, &ru) >= 0) break;
      if (errno != EINTR) return ErrnoError("waitpid");
    }
    reaped_ = true;
    result.max_rss_kb = ru.ru_maxrss;
    result.duration = Clock::now() - start_;
    if (WIFEXITED(st)) result.exit_code = WEXITSTATUS(st);
    if (WIFSIGNALED(st)) result.term_signal = WTERMSIG(st);
    return result;
  }

 private:
  void KillAll(int signo) {
    if (group_) ::kill(-pid_, signo);
    ::kill(pid_, signo);
  }

  // Feeds stdin and drains stdout/stderr until both close or the timeout passes.
  Status Pump(SubprocessResult& result) {
    size_t in_off = 0;
    if (in_ && in_data_.empty()) in_.Reset();
    while (out_ || err_ || in_) {
      pollfd fds[3];
      int n = 0;
      int idx_in = -1, idx_out = -1, idx_err = -1;
      if (in_) { idx_in = n; fds[n++] = {in_.get(), POLLOUT, 0}; }
      if (out_) { idx_out = n; fds[n++] = {out_.get(), POLLIN, 0}; }
      if (err_) { idx_err = n; fds[n++] = {err_.get(), POLLIN, 0}; }
      int wait_ms = -1;
      if (timeout_.count() > 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(start_ + timeout_ - Clock::now());
        if (left.count() <= 0) {
          result.timed_out = true;
          KillAll(SIGKILL);
          in_.Reset(); out_.Reset(); err_.Reset();
          break;
        }
        wait_ms = static_cast<int>(left.count());
      }
      int r = ::poll(fds, static_cast<nfds_t>(n), wait_ms);
      if (r < 0) {
        if (errno == EINTR) continue;
        return ErrnoError("poll");
      }
      if (idx_in >= 0 && fds[idx_in].revents) {
        ssize_t w = ::write(in_.get(), in_data_.data() + in_off, in_data_.size() - in_off);
        if (w > 0) in_off += static_cast<size_t>(w);
        if (w < 0 && errno != EINTR && errno != EAGAIN) in_.Reset();
        if (in_off >= in_data_.size()) in_.Reset();
      }
      if (idx_out >= 0 && fds[idx_out].revents) Drain(out_, result.out);
      if (idx_err >= 0 && fds[idx_err].revents) Drain(err_, result.err);
    }
    if (timeout_.count() > 0 && !result.timed_out) {
      // Output closed; the child may still run (it closed its stdio or passed it on). Wait with the deadline.
      while (true) {
        int st;
        struct rusage ru {};
        pid_t w = ::wait4(pid_, &st, WNOHANG, &ru);
        if (w == pid_) {
          reaped_ = true;
          result.max_rss_kb = ru.ru_maxrss;
          result.duration = Clock::now() - start_;
          if (WIFEXITED(st)) result.exit_code = WEXITSTATUS(st);
          if (WIFSIGNALED(st)) result.term_signal = WTERMSIG(st);
          return Status::Ok();
        }
        if (Clock::now() >= start_ + timeout_) {
          result.timed_out = true;
          KillAll(SIGKILL);
          break;
        }
        ::usleep(1000);
      }
    }
    return Status::Ok();
  }

  static void Drain(UniqueFd& fd, std::string& sink) {
    char buf[16384];
    ssize_t r = ::read(fd.get(), buf, sizeof buf);
    if (r > 0) {
      sink.append(buf, static_cast<size_t>(r));
    } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
      fd.Reset();
    }
  }

  pid_t pid_;
  bool group_;
  std::chrono::milliseconds timeout_;
  UniqueFd in_;
  std::string in_data_;
  UniqueFd out_, err_;
  Clock::time_point start_;
  bool reaped_ = false;
};

}  // namespace

Result<std::string> FindProgram(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), X_OK) == 0) return name;
    return NotFound("program " + name + " is not executable");
  }
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find(':', start);
    if (end == std::string::npos) end = p.size();
    std::string dir = p.substr(start, end - start);
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + name;
    struct stat sb;
    if (::stat(candidate.c_str(), &sb) == 0 && S_ISREG(sb.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
    start = end + 1;
  }
  return NotFound("program " + name + " not found in PATH");
}

Result<std::unique_ptr<Subprocess>> Subprocess::Start(const SubprocessOptions& o) {
  if (o.argv.empty()) return InvalidArgument("subprocess: empty argv");
  ASSIGN_OR_RETURN(std::string exe, FindProgram(o.argv[0]));

  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_init(&attr);
  struct Cleanup {
    posix_spawn_file_actions_t* fa;
    posix_spawnattr_t* attr;
    ~Cleanup() { posix_spawn_file_actions_destroy(fa); posix_spawnattr_destroy(attr); }
  } cleanup{&fa, &attr};

  UniqueFd in_w, out_r, err_r, in_r, out_w, err_w;
  if (o.stdin_data) {
    ASSIGN_OR_RETURN(auto p, MakePipe());
    in_r = std::move(p.first); in_w = std::move(p.second);
    // Non-blocking, so that a child that stops reading cannot wedge the output pump.
    ::fcntl(in_w.get(), F_SETFL, ::fcntl(in_w.get(), F_GETFL) | O_NONBLOCK);
    posix_spawn_file_actions_adddup2(&fa, in_r.get(), 0);
  } else if (!o.inherit_stdin) {
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  }
  constexpr int kFileFlags = O_WRONLY | O_CREAT | O_APPEND;
  if (o.capture_stdout) {
    ASSIGN_OR_RETURN(auto p, MakePipe());
    out_r = std::move(p.first); out_w = std::move(p.second);
    posix_spawn_file_actions_adddup2(&fa, out_w.get(), 1);
  } else if (!o.stdout_file.empty()) {
    posix_spawn_file_actions_addopen(&fa, 1, o.stdout_file.c_str(), kFileFlags, 0600);
  }
  if (o.capture_stderr) {
    ASSIGN_OR_RETURN(auto p, MakePipe());
    err_r = std::move(p.first); err_w = std::move(p.second);
    posix_spawn_file_actions_adddup2(&fa, err_w.get(), 2);
  } else if (!o.stderr_file.empty()) {
    posix_spawn_file_actions_addopen(&fa, 2, o.stderr_file.c_str(), kFileFlags, 0600);
  }
  for (size_t i = 0; i < o.extra_fds.size(); ++i) {
    // dup2 clears FD_CLOEXEC on the target; the source fds may be close-on-exec.
    posix_spawn_file_actions_adddup2(&fa, o.extra_fds[i], static_cast<int>(3 + i));
  }
  if (!o.cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, o.cwd.c_str());

  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (o.new_process_group) {
    flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setpgroup(&attr, 0);
  }
  sigset_t empty, all;
  sigemptyset(&empty);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, flags);

  std::vector<char*> argv = CStrings(o.argv);
  std::vector<char*> envp = o.env ? CStrings(*o.env) : std::vector<char*>();
  pid_t pid;
  int rc = ::posix_spawn(&pid, exe.c_str(), &fa, &attr, argv.data(), o.env ? envp.data() : environ);
  if (rc != 0) return ErrnoError("spawn " + exe, rc);
  std::unique_ptr<Subprocess> sp = std::make_unique<PosixSubprocess>(
      pid, o.new_process_group, o.timeout, std::move(in_w), o.stdin_data.value_or(""), std::move(out_r),
      std::move(err_r));
  return sp;
}

Result<SubprocessResult> RunSubprocess(const SubprocessOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<Subprocess> sp, Subprocess::Start(options));
  return sp->Wait();
}

}  // namespace base
