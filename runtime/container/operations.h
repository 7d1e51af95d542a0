// The container verbs, one file each (create.cc, start.cc, run.cc, state.cc, kill.cc, delete.cc,
// list.cc, exec.cc). pause/resume/ps/update have their own headers beside these.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "runtime/container/backend.h"
#include "runtime/container/container.h"
#include "runtime/container/exec_process.h"

namespace ocirun {

struct CreateOptions {
  std::string id;
  std::string bundle;  // "" = current directory
  std::string pid_file;
  std::string console_socket;
  bool no_pivot = false;
  bool no_new_keyring = false;
  int preserve_fds = 0;
  // Flags one backend uses (runhcs's --owner, --host, --shim-log, --vm-log, --vm-console on
  // Windows: hcs_backend.h); passed to Backend::Create untouched, ignored by the others.
  std::map<std::string, std::string> backend_options;
};

// Validates the bundle's config (the error names the field), reserves the id, builds the container up
// to the start gate, writes the state and the pid file. On error nothing is left behind.
base::Status Create(const Runtime& rt, const CreateOptions& opts);
// Lets the user program run (created -> running).
base::Status Start(const Runtime& rt, const std::string& id);

struct RunOptions {
  CreateOptions create;
  bool detach = false;
  bool keep = false;  // foreground: keep the stopped container instead of deleting it
};
// create + start; in the foreground waits and returns the shell status (128+signal when killed).
base::Result<int> Run(const Runtime& rt, const RunOptions& opts);

// The state JSON (runc's fields: ociVersion, id, pid, status, bundle, rootfs, created, owner,
// annotations).
base::Result<nlohmann::ordered_json> State(const Runtime& rt, const std::string& id);
// The same as text, as `ocirun state` prints it (2-space indent); the stored annotations are spliced
// in unparsed (last key), so a state with tens of MB of them is not re-parsed on every call.
base::Result<std::string> StateText(const Runtime& rt, const std::string& id);

// kill [--all]: `signal` is a number (signal.h parses names).
base::Status Kill(const Runtime& rt, const std::string& id, int signal, bool all);

// delete [--force]: stopped is removed; created is killed and removed; running/paused need force.
// Force on a missing id succeeds (containerd's cleanup relies on it).
base::Status Delete(const Runtime& rt, const std::string& id, bool force);

// Every container under the root, sorted by id, as state JSON objects.
base::Result<std::vector<nlohmann::ordered_json>> List(const Runtime& rt);

// exec: refuses containers that are not created/running (runc's message). The process comes from
// --process, or from the container's own config process with the flags applied (exec_process.h).
base::Result<int> Exec(const Runtime& rt, const std::string& id, const ExecFlags& flags);

// The state JSON of a snapshot (shared by state and list), and a snapshot with its stored annotations.
nlohmann::ordered_json StateJson(const Snapshot& s);
base::Result<Snapshot> PeekWithAnnotations(const Runtime& rt, const std::string& id);

}  // namespace ocirun
