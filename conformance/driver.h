// Driver: a case's view of the runtime under test. It runs the runtime's command line through the
// harness's driver (harness/runtime_command.h) and records every invocation of the case (argv, exit
// code, stdout, stderr, duration) under the case's deadline. It never links a runtime.
//
// The runtime's stdout/stderr go to files, never pipes: `create` hands its stdio to the container,
// and a pipe would keep the driver waiting for the container's exit. The container's later output
// therefore lands in the files of the invocation that created it (OutputOf()).
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "harness/host.h"
#include "harness/runtime.h"
#include "reports/conform_results.h"

namespace conform {

namespace host = harness::host;
using harness::Profile;
using harness::RuntimeUnderTest;
using harness::host::Interrupted;

// Thrown inside the library only (never across its boundary) to end a case early.
struct CaseAbort {
  enum Kind { kFail, kError, kSkip } kind;
  std::string message;
};

struct InvokeOptions {
  std::optional<std::string> stdin_data;        // nullopt: /dev/null
  std::chrono::milliseconds timeout{10000};     // capped by the case deadline
  std::vector<int> extra_fds;                   // become fd 3, 4, ...
  std::vector<std::string> global_args;         // extra global flags (--log FILE --log-format json)
  bool record = true;                           // cleanup calls are not part of the case's transcript
  std::string root;                             // state root instead of the driver's (--root isolation)
};

struct Call {
  reports::Invocation inv;  // inv.exit_code is shell-style: 128+signal when a signal killed it
  std::string stdout_path;
  std::string stderr_path;
  int signal = 0;           // the signal that killed the runtime (POSIX), else 0
  bool ok() const { return inv.exit_code == 0 && !inv.timed_out && signal == 0; }
  // A refusal, what a "must fail" check needs: the runtime exited by itself with a non-zero status.
  // A signal death (a crash: SIGSEGV, SIGABRT), a timeout, a status of 129-192 (128+signal, as a
  // shell reports a crashed child) or a failure to start it is not a refusal. runc and crun exit 1,
  // 253 or 255 on errors.
  bool failed() const {
    return !inv.timed_out && signal == 0 && inv.exit_code > 0 && (inv.exit_code <= 128 || inv.exit_code > 192);
  }
};

class Driver {
 public:
  using Clock = std::chrono::steady_clock;
  // state_root: this runtime's --root for the run; scratch: the case's private folder.
  Driver(const RuntimeUnderTest& rt, std::string state_root, std::string scratch, Clock::time_point deadline);

  // Runs `<runtime> --root <state_root> <global_args> <args>`; throws CaseAbort(kError) when the case
  // deadline passed, the run was interrupted, or (recorded calls) the invocation timed out: a runtime
  // that does not answer makes the case an error, not a failure. The returned reference stays valid
  // for the case.
  const Call& Run(const std::vector<std::string>& args, const InvokeOptions& options = {});

  // Everything written so far to the stdout / stderr file of a call (container output included).
  std::string OutputOf(const Call& call) const;
  std::string ErrorsOf(const Call& call) const;

  const RuntimeUnderTest& runtime() const { return rt_; }
  const std::string& state_root() const { return state_root_; }
  std::vector<reports::Invocation> Transcript() const;
  // Whether a recorded invocation timed out or the case deadline passed.
  bool timed_out() const { return timed_out_.load(); }

 private:
  const RuntimeUnderTest& rt_;
  std::string state_root_;
  std::string scratch_;
  Clock::time_point deadline_;
  mutable std::mutex mu_;  // the stress suite runs lifecycles of one case in parallel
  std::deque<Call> calls_;       // the transcript
  std::deque<Call> unrecorded_;  // cleanup calls (record = false)
  int counter_ = 0;
  std::atomic<bool> timed_out_{false};
};

}  // namespace conform
