// The parent side of the init protocol (init_protocol.h): re-executes ocirun through a private
// read-only overlayfs mount of its own folder, or from a sealed memfd copy of itself where that
// mount cannot be made (CVE-2019-5736: either way the container cannot write the runtime binary
// through /proc/<pid>/exe), drives the exchange and returns the pid of stage 2.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "specs/spec.h"

namespace ocirun::linux {

struct SpawnCallbacks {
  // Stage 1 exists and waits for its config: put it into the cgroup (its children inherit it).
  std::function<base::Status(int s1_pid)> place;
  // Stage 2 exists (pid as seen here).
  std::function<base::Status(int s2_pid)> child;
  // Create only: the mounts are done; run prestart + createRuntime. Returns the state JSON that
  // the createContainer/startContainer hooks receive.
  std::function<base::Result<nlohmann::json>(int s2_pid)> runtime_hooks;
  // process.terminal: the pty master (owned by the callee) and the slave's name.
  std::function<base::Status(int master, const std::string& name)> console;
};

struct SpawnRequest {
  nlohmann::json config;  // the kConfig body
  std::vector<ocispec::IdMapping> uid_mappings, gid_mappings;  // for a new user namespace
  int preserve_fds = 0;
};

// Runs the exchange until stage 2 reports kReady; returns its pid. On any failure every process
// started is killed and reaped, and the child's structured error is returned.
base::Result<int> SpawnInit(const SpawnRequest& req, const SpawnCallbacks& cb);

}  // namespace ocirun::linux
