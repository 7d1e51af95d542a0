// Hook runner: fork, wire stdin/stdout/stderr to pipes, exec; the parent feeds the state, collects
// the output and enforces the timeout with poll(2) on a monotonic deadline.
#include "runtime/linux/hooks.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/unique_fd.h"

extern char** environ;

namespace ocirun::linux {
namespace {

constexpr size_t kKeptOutput = 4096;  // the tail of the hook's output kept for the error message

int64_t NowMs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

struct Pipe {
  base::UniqueFd read, write;
};

base::Result<Pipe> MakePipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return base::ErrnoError("pipe2");
  return Pipe{base::UniqueFd(fds[0]), base::UniqueFd(fds[1])};
}

// argv/envp as NUL-terminated arrays, built before fork.
struct ExecArgs {
  std::vector<std::string> storage_argv, storage_env;
  std::vector<char*> argv, envp;
  char** env() { return envp.empty() ? environ : envp.data(); }
};

ExecArgs MakeExecArgs(const ocispec::Hook& hook) {
  ExecArgs a;
  a.storage_argv = hook.args.empty() ? std::vector<std::string>{hook.path} : hook.args;
  a.storage_env = hook.env;
  for (std::string& s : a.storage_argv) a.argv.push_back(s.data());
  a.argv.push_back(nullptr);
  if (!a.storage_env.empty()) {
    for (std::string& s : a.storage_env) a.envp.push_back(s.data());
    a.envp.push_back(nullptr);
  }
  return a;
}

// In the child: only async-signal-safe calls. Reports an exec failure's errno on `err_fd`.
[[noreturn]] void ExecChild(const char* path, ExecArgs& args, int in_fd, int out_fd, int err_fd) {
  ::setpgid(0, 0);
  ::signal(SIGPIPE, SIG_DFL);  // the parent ignores it while feeding stdin; exec keeps SIG_IGN
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (::dup2(in_fd, 0) < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(out_fd, 2) < 0 ||
      ::dup2(err_fd, 3) < 0 || ::fcntl(3, F_SETFD, FD_CLOEXEC) < 0) {
    int e = errno;
    (void)!::write(err_fd, &e, sizeof e);
    ::_exit(127);
  }
  ::syscall(SYS_close_range, 4U, ~0U, 0U);
  ::execve(path, args.argv.data(), args.env());
  int e = errno;
  (void)!::write(3, &e, sizeof e);
  ::_exit(127);
}

// The parent side of one run.
class HookRun {
 public:
  HookRun(pid_t pid, base::UniqueFd in, base::UniqueFd out, std::string_view state)
      : pid_(pid), in_(std::move(in)), out_(std::move(out)), state_(state) {
    ::fcntl(in_.get(), F_SETFL, O_NONBLOCK);
    ::fcntl(out_.get(), F_SETFL, O_NONBLOCK);
  }
  ~HookRun() {
    if (pid_ > 0) {  // never leave the hook behind
      ::kill(-pid_, SIGKILL);
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  // Waits for exit, or kills at `deadline_ms` (0: none). Returns the wait status; -1 on timeout.
  base::Result<int> Wait(int64_t deadline_ms) {
    for (;;) {
      int status = 0;
      pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r < 0 && errno != EINTR) return base::ErrnoError("waitpid hook");
      if (r == pid_) {
        pid_ = -1;
        Drain();
        return status;
      }
      if (deadline_ms && NowMs() >= deadline_ms) {
        ::kill(-pid_, SIGKILL);
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
        Drain();
        return -1;
      }
      PollOnce(10);
    }
  }

  const std::string& output() const { return output_; }

 private:
  void PollOnce(int ms) {
    struct pollfd fds[2];
    nfds_t n = 0;
    if (out_) fds[n++] = {out_.get(), POLLIN, 0};
    if (in_) fds[n++] = {in_.get(), POLLOUT, 0};
    if (::poll(fds, n, ms) <= 0) return;
    Drain();
    FeedStdin();
  }
  void FeedStdin() {
    if (!in_) return;
    while (written_ < state_.size()) {
      ssize_t w = ::write(in_.get(), state_.data() + written_, state_.size() - written_);
      if (w < 0) {
        if (errno == EAGAIN) return;
        break;  // EPIPE: the hook does not read its stdin; that is its business
      }
      written_ += static_cast<size_t>(w);
    }
    in_.Reset();
  }
  void Drain() {
    if (!out_) return;
    char buf[4096];
    for (;;) {
      ssize_t r = ::read(out_.get(), buf, sizeof buf);
      if (r > 0) {
        output_.append(buf, static_cast<size_t>(r));
        if (output_.size() > 2 * kKeptOutput) output_.erase(0, output_.size() - kKeptOutput);
        continue;
      }
      if (r == 0) out_.Reset();
      return;
    }
  }

  pid_t pid_;
  base::UniqueFd in_, out_;
  std::string_view state_;
  size_t written_ = 0;
  std::string output_;
};

std::string Describe(HookKind kind, size_t index, const ocispec::Hook& hook) {
  return std::string(HookKindName(kind)) + " hook #" + std::to_string(index) + " (" + hook.path +
         ")";
}

std::string OutputTail(const std::string& out) {
  if (out.empty()) return "";
  std::string tail = out.size() > kKeptOutput ? out.substr(out.size() - kKeptOutput) : out;
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == ' ')) tail.pop_back();
  return tail.empty() ? "" : ": " + tail;
}

}  // namespace

std::string_view HookKindName(HookKind kind) {
  switch (kind) {
    case HookKind::kPrestart: return "prestart";
    case HookKind::kCreateRuntime: return "createRuntime";
    case HookKind::kCreateContainer: return "createContainer";
    case HookKind::kStartContainer: return "startContainer";
    case HookKind::kPoststart: return "poststart";
    case HookKind::kPoststop: return "poststop";
  }
  return "?";
}

const std::vector<ocispec::Hook>& HooksOf(const ocispec::Hooks& hooks, HookKind kind) {
  switch (kind) {
    case HookKind::kPrestart: return hooks.prestart;
    case HookKind::kCreateRuntime: return hooks.create_runtime;
    case HookKind::kCreateContainer: return hooks.create_container;
    case HookKind::kStartContainer: return hooks.start_container;
    case HookKind::kPoststart: return hooks.poststart;
    case HookKind::kPoststop: return hooks.poststop;
  }
  return hooks.poststop;
}

OnHookFailure DefaultOnFailure(HookKind kind) {
  return kind == HookKind::kPoststop ? OnHookFailure::kContinue : OnHookFailure::kStop;
}

base::Status RunHook(HookKind kind, size_t index, const ocispec::Hook& hook,
                     std::string_view state_json) {
  const std::string what = Describe(kind, index, hook);
  if (hook.path.empty() || hook.path[0] != '/')
    return base::InvalidArgument(what + ": path must be absolute");
  if (hook.timeout && *hook.timeout <= 0)
    return base::InvalidArgument(what + ": timeout must be greater than zero");
  ExecArgs args = MakeExecArgs(hook);
  ASSIGN_OR_RETURN_CTX(Pipe in, MakePipe(), what);
  ASSIGN_OR_RETURN_CTX(Pipe out, MakePipe(), what);
  ASSIGN_OR_RETURN_CTX(Pipe err, MakePipe(), what);
  int64_t deadline = hook.timeout ? NowMs() + *hook.timeout * 1000 : 0;
  // A hook that exits without reading stdin must give us EPIPE, not kill us with SIGPIPE.
  struct sigaction ignore = {}, old_pipe = {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &old_pipe);
  struct RestorePipe {
    struct sigaction* old;
    ~RestorePipe() { ::sigaction(SIGPIPE, old, nullptr); }
  } restore{&old_pipe};
  pid_t pid = ::fork();
  if (pid < 0) return base::ErrnoError(what + ": fork");
  if (pid == 0) ExecChild(hook.path.c_str(), args, in.read.get(), out.write.get(), err.write.get());
  in.read.Reset();
  out.write.Reset();
  err.write.Reset();
  HookRun run(pid, std::move(in.write), std::move(out.read), state_json);
  int exec_errno = 0;
  if (::read(err.read.get(), &exec_errno, sizeof exec_errno) == sizeof exec_errno) {
    (void)run.Wait(0);
    return base::ErrnoError(what + ": exec " + hook.path, exec_errno);
  }
  ASSIGN_OR_RETURN_CTX(int status, run.Wait(deadline), what);
  if (status == -1)
    return base::Timeout(what + ": timed out after " + std::to_string(*hook.timeout) +
                         "s and was killed" + OutputTail(run.output()));
  if (WIFSIGNALED(status))
    return base::Internal(what + ": killed by signal " + std::to_string(WTERMSIG(status)) +
                          OutputTail(run.output()));
  if (WEXITSTATUS(status) != 0)
    return base::Internal(what + ": exit status " + std::to_string(WEXITSTATUS(status)) +
                          OutputTail(run.output()));
  return base::Status::Ok();
}

base::Status RunHooks(HookKind kind, const std::vector<ocispec::Hook>& hooks,
                      std::string_view state_json, OnHookFailure on_failure) {
  base::Status first;
  for (size_t i = 0; i < hooks.size(); ++i) {
    base::Status st = RunHook(kind, i, hooks[i], state_json);
    if (st.ok()) continue;
    if (on_failure == OnHookFailure::kStop) return st;
    if (first.ok()) first = st;
  }
  return first;
}

}  // namespace ocirun::linux
