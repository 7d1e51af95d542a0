// Backend: everything that touches a kernel or a hypervisor sits behind this interface. The container
// layer (create.cc, start.cc, ...) is platform neutral and calls only this. One backend per folder:
// runtime/linux/ (namespaces + cgroups), runtime/hcs/ (Windows HCS). MakeBackend() is defined by the
// backend linked into the binary.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "runtime/container/state_store.h"

namespace ocirun {

struct CreateRequest {
  std::string id;
  std::string bundle;      // absolute
  std::string state_dir;   // <root>/<id>: exists and is locked by the caller
  nlohmann::json config;   // config.json, parsed and validated (ocispec) before the backend sees it
  std::string console_socket;  // AF_UNIX socket receiving the pty master (terminal: true)
  bool no_pivot = false;
  bool no_new_keyring = false;
  int preserve_fds = 0;        // fds 3..3+N-1 of the caller reach the container process
  bool foreground = false;     // `run` without -d: the caller waits for the init (and may own a tty)
  std::map<std::string, std::string> backend_options;  // CreateOptions::backend_options
  // Records the facts known so far as the create's intent (state_store.h), before the backend makes
  // what they name: a create killed at any point leaves what `delete --force` needs to destroy it.
  // A failure aborts the create. Unset: nothing is recorded.
  std::function<base::Status(const StateFacts&)> record;
};

struct ExecRequest {
  nlohmann::json process;  // an OCI "process" object (from --process or built from the flags)
  std::string console_socket;
  std::string pid_file;  // written by the backend once the process exists (atomically, no newline)
  int preserve_fds = 0;
  bool detach = false;
};

// What a backend observes about a container right now (status.h derives the status from it).
struct BackendObservation {
  bool init_alive = false;
  bool gate_present = false;
  bool frozen = false;
  bool cgroup_populated = false;  // with the init gone: some process is still in the container's cgroup
};

class Backend {
 public:
  virtual ~Backend() = default;

  // Builds the container up to the create->start gate: the user program has not run. Fills the facts
  // it owns (pid, pid_start_time, cgroup_path, exec_gate, backend), and calls req.record with them
  // before making each thing they name. On failure nothing it made is left.
  virtual base::Status Create(const CreateRequest& req, StateFacts& facts) = 0;
  // Opens the gate: the user program runs.
  virtual base::Status Start(const StateFacts& facts) = 0;
  // Sends `signal` to the init, or to every process of the container with `all`.
  virtual base::Status Kill(const StateFacts& facts, int signal, bool all) = 0;
  // Kills whatever still runs and releases what Create made (cgroup, gate). Idempotent; also given
  // the intent of a create that was killed (only what was recorded is set).
  virtual base::Status Destroy(const StateFacts& facts) = 0;
  virtual BackendObservation Observe(const StateFacts& facts) = 0;
  // Waits for the init to exit (only the process that created it can); returns the shell status
  // (exit code, or 128+signal).
  virtual base::Result<int> WaitInit(const StateFacts& facts) = 0;
  // Runs one more process in the container; returns its shell status in the foreground, 0 detached.
  virtual base::Result<int> Exec(const StateFacts& facts, const ExecRequest& req) = 0;

  // The runtime-spec features document (`ocirun features`).
  virtual nlohmann::json Features() = 0;
  // The hidden `ocirun init` command: the re-executed helper the backend starts for create and exec.
  // Returns the process exit code (on success it does not return: it execs the user program).
  virtual int RunInit() = 0;

  // Freezer, pids, resources (OPS: pause.cc, resume.cc, ps.cc, update.cc call these).
  virtual base::Status Freeze(const StateFacts& facts) = 0;
  virtual base::Status Thaw(const StateFacts& facts) = 0;
  virtual base::Result<std::vector<int>> Pids(const StateFacts& facts) = 0;
  // `resources` is an OCI LinuxResources (or WindowsResources) object.
  virtual base::Status Update(const StateFacts& facts, const nlohmann::json& resources) = 0;
};

// The backend of this build (Linux: namespaces + cgroups; Windows: HCS).
std::unique_ptr<Backend> MakeBackend();

}  // namespace ocirun
