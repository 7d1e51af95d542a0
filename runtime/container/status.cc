#include "runtime/container/status.h"

namespace ocirun {

std::string_view StatusName(ContainerStatus status) {
  switch (status) {
    case ContainerStatus::kCreating: return "creating";
    case ContainerStatus::kCreated: return "created";
    case ContainerStatus::kRunning: return "running";
    case ContainerStatus::kPaused: return "paused";
    case ContainerStatus::kStopped: return "stopped";
  }
  return "unknown";
}

ContainerStatus DeriveStatus(const Observation& o) {
  // A folder without a state file is either a create in progress or the remains of a create that
  // was killed. The remains are "creating" while anything the killed create made still runs (delete
  // --force destroys it by the recorded intent), "stopped" once nothing does.
  if (!o.has_state) {
    return o.creator_alive || o.unfinished_alive ? ContainerStatus::kCreating : ContainerStatus::kStopped;
  }
  if (!o.init_alive) return ContainerStatus::kStopped;
  if (o.frozen) return ContainerStatus::kPaused;
  return o.gate_present ? ContainerStatus::kCreated : ContainerStatus::kRunning;
}

}  // namespace ocirun
