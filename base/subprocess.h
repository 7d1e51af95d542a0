// Subprocess: run a program, feed its stdin, capture stdout/stderr, enforce a timeout.
// The harness drives every runtime through this layer (posix_spawn here, CreateProcessW on Windows:
// subprocess_posix.cc / subprocess_win32.cc, chosen by CMake).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace base {

struct SubprocessOptions {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH when it has no '/'
  // Environment: nullopt inherits ours; otherwise exactly these "K=V" entries.
  std::optional<std::vector<std::string>> env;
  std::string cwd;                // empty: ours
  // Bytes written to the child's stdin, then closed. nullopt: stdin is /dev/null (or inherited).
  std::optional<std::string> stdin_data;
  bool inherit_stdin = false;     // with no stdin_data: pass our stdin instead of /dev/null
  bool capture_stdout = true;     // false: inherit ours
  bool capture_stderr = true;     // false: inherit ours
  // With capture off, send the child's stdout / stderr to this file instead of ours (created, 0600 on
  // POSIX, or appended to). Lets a child hand its stdio to long-lived descendants (a container)
  // without the parent waiting for a pipe to close.
  std::string stdout_file;
  std::string stderr_file;
  // Kill the child (SIGKILL to its process group) after this long; zero means no limit.
  std::chrono::milliseconds timeout{0};
  // POSIX only: extra fds passed to the child as fd 3, 4, ... (in order). Ours are untouched.
  std::vector<int> extra_fds;
  // Put the child in its own process group, so that a timeout kills its helpers too.
  bool new_process_group = true;
};

struct SubprocessResult {
  int exit_code = -1;      // exit status when it exited normally, else -1
  int term_signal = 0;     // the signal that killed it, else 0 (POSIX)
  bool timed_out = false;  // killed because the timeout passed
  std::string out;
  std::string err;
  std::chrono::nanoseconds duration{0};  // from spawn to reap
  // Peak memory of the child itself, 0 if unknown: POSIX the max RSS (wait4 rusage), Windows the
  // PeakWorkingSetSize (GetProcessMemoryInfo on the exited process).
  int64_t max_rss_kb = 0;

  bool success() const { return exit_code == 0 && !timed_out; }
  // Shell-style status: exit code, or 128+signal.
  int shell_status() const { return exit_code >= 0 ? exit_code : 128 + term_signal; }
};

// A started child. Destroying a Subprocess that was not waited for kills and reaps it.
class Subprocess {
 public:
  // Starts the program; fails with kNotFound when argv[0] cannot be executed.
  static Result<std::unique_ptr<Subprocess>> Start(const SubprocessOptions& options);
  virtual ~Subprocess() = default;

  virtual int pid() const = 0;
  // Waits for exit, collecting output, honouring the timeout given at Start.
  virtual Result<SubprocessResult> Wait() = 0;
  // Sends a signal (POSIX numbers; on Windows any signal terminates).
  virtual Status Signal(int signo) = 0;
};

// Start + Wait.
Result<SubprocessResult> RunSubprocess(const SubprocessOptions& options);

// Looks a program up in PATH; the absolute path or kNotFound.
Result<std::string> FindProgram(const std::string& name);

}  // namespace base
