// The bench's view of one OCI runtime (ocirun, runc, crun, runhcs): typed verbs over the harness's
// driver of the runc command line (harness/runtime_command.h), timing each call and recording the peak
// RSS of the runtime process. Every call uses the runtime's own --root, so several runtimes can be
// benchmarked side by side without seeing each other's containers.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "harness/runtime.h"

namespace ocicert::bench {

// What one runtime invocation cost.
struct CallCost {
  std::chrono::nanoseconds wall{0};  // from spawn to reap, as seen by the harness
  int64_t peak_rss_kb = 0;           // of the runtime process itself (Linux: wait4 rusage; Windows:
                                     // PeakWorkingSetSize); 0 when unknown
  std::string out;                   // stdout, for calls that capture it
};

class RuntimeCli {
 public:
  // `root` is passed as --root; `io_dir` receives the stdio of detached containers (one file per id).
  RuntimeCli(harness::RuntimeUnderTest rt, std::string root, std::string io_dir);

  const harness::RuntimeUnderTest& runtime() const { return rt_; }

  base::Result<CallCost> Create(const std::string& id, const std::string& bundle) const;
  base::Result<CallCost> Start(const std::string& id) const;
  base::Result<CallCost> State(const std::string& id) const;
  base::Result<CallCost> Exec(const std::string& id, const std::vector<std::string>& args, bool detach) const;
  base::Result<CallCost> Kill(const std::string& id, const std::string& signal) const;
  base::Result<CallCost> Delete(const std::string& id, bool force) const;
  base::Result<CallCost> Pause(const std::string& id) const;
  base::Result<CallCost> Resume(const std::string& id) const;
  base::Result<CallCost> Ps(const std::string& id) const;
  // `run` in the foreground: create, start, wait for the process, delete.
  base::Result<CallCost> Run(const std::string& id, const std::string& bundle) const;

  // The "status" and "pid" of `state`; kNotFound when the runtime does not know the id.
  base::Result<std::string> Status(const std::string& id) const;
  base::Result<int> Pid(const std::string& id) const;
  // Polls state until the container is stopped (kill is asynchronous).
  base::Status WaitStopped(const std::string& id, std::chrono::milliseconds timeout) const;

 private:
  // Runs `<path> --root <root> args...`. Detached calls (create, exec -d) send stdio to files under
  // io_dir, because the container inherits them and would hold a pipe open.
  base::Result<CallCost> Call(std::vector<std::string> args, bool detached, const std::string& id) const;

  harness::RuntimeUnderTest rt_;
  std::string root_;
  std::string io_dir_;
};

// Explains a runtime failure in words a user can act on (crun on a cgroup v1/v2 hybrid host, ...);
// returns `stderr_text` trimmed when nothing is known about it.
std::string ExplainRuntimeError(const std::string& runtime, const std::string& stderr_text);

}  // namespace ocicert::bench
