// Container status, derived from facts on every read (never stored): the init pid alive with the
// same start time, the create->start gate present, the cgroup frozen.
#pragma once

#include <optional>
#include <string_view>

namespace ocirun {

enum class ContainerStatus { kCreating, kCreated, kRunning, kPaused, kStopped };

// "creating", "created", "running", "paused", "stopped" (runtime.md's words).
std::string_view StatusName(ContainerStatus status);

// What was observed about one container at one moment.
struct Observation {
  bool has_state = false;     // the state file exists (false while create is still working)
  bool creator_alive = false; // without state: the create that reserved the id still holds the lock
  // Without state: a process of what a killed create recorded in its intent (its init, or anything
  // in its cgroup) still lives. The container is then not stopped: only delete --force ends it.
  bool unfinished_alive = false;
  bool init_alive = false;    // init pid alive with the recorded start time
  bool gate_present = false;  // the create->start gate (exec fifo) still exists
  bool frozen = false;        // the container's cgroup is frozen
};

ContainerStatus DeriveStatus(const Observation& o);

}  // namespace ocirun
