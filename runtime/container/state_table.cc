#include "runtime/container/state_table.h"

#include <string>

namespace ocirun {
namespace {

using S = ContainerStatus;
using O = Operation;

struct Rule {
  Operation op;
  ContainerStatus status;
  const char* error;  // nullptr: allowed. "%s": replaced by the id, "%t": by the status name.
};

// Anything not listed is allowed. Messages are runc 1.1's (libcontainer/error.go, start.go, delete.go,
// exec.go), so that containerd's string matching ("container not running", "does not exist") works.
constexpr Rule kRules[] = {
    {O::kStart, S::kCreating, "cannot start a container in the creating state"},
    {O::kStart, S::kRunning, "cannot start an already running container"},
    {O::kStart, S::kPaused, "cannot start a container in the paused state"},
    {O::kStart, S::kStopped, "cannot start a container that has stopped"},
    {O::kKill, S::kCreating, "container not running"},
    {O::kKill, S::kStopped, "container not running"},
    {O::kKillAll, S::kCreating, "container not running"},
    {O::kDelete, S::kCreating, "cannot delete container %s that is not stopped: creating"},
    {O::kDelete, S::kRunning, "cannot delete container %s that is not stopped: running"},
    {O::kDelete, S::kPaused, "cannot delete container %s that is not stopped: paused"},
    {O::kPause, S::kCreating, "container not running"},
    {O::kPause, S::kPaused, "container not running"},  // runc 1.1: Pause() accepts only running/created
    {O::kPause, S::kStopped, "container not running"},
    {O::kResume, S::kCreating, "container not paused"},
    {O::kResume, S::kCreated, "container not paused"},
    {O::kResume, S::kRunning, "container not paused"},
    {O::kResume, S::kStopped, "container not paused"},
    {O::kExec, S::kCreating, "cannot exec in a container that is being created"},
    {O::kExec, S::kPaused, "cannot exec in a paused container (use --ignore-paused to override)"},
    {O::kExec, S::kStopped, "cannot exec in a stopped container"},
    {O::kPs, S::kCreating, "container not running"},
    {O::kUpdate, S::kCreating, "container not running"},
    {O::kUpdate, S::kStopped, "container not running"},
};

std::string Expand(std::string_view pattern, std::string_view id, ContainerStatus status) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '%' && i + 1 < pattern.size() && pattern[i + 1] == 's') {
      out += id;
      ++i;
    } else if (pattern[i] == '%' && i + 1 < pattern.size() && pattern[i + 1] == 't') {
      out += StatusName(status);
      ++i;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

}  // namespace

std::string_view OperationName(Operation op) {
  switch (op) {
    case O::kState: return "state";
    case O::kStart: return "start";
    case O::kKill: return "kill";
    case O::kKillAll: return "kill --all";
    case O::kDelete: return "delete";
    case O::kForceDelete: return "delete --force";
    case O::kPause: return "pause";
    case O::kResume: return "resume";
    case O::kExec: return "exec";
    case O::kPs: return "ps";
    case O::kUpdate: return "update";
  }
  return "unknown";
}

base::Status CheckOperation(ContainerStatus status, Operation op, std::string_view id) {
  for (const Rule& r : kRules) {
    if (r.op == op && r.status == status) return base::FailedPrecondition(Expand(r.error, id, status));
  }
  return base::Status::Ok();
}

bool DeleteNeedsKill(ContainerStatus status) { return status != ContainerStatus::kStopped; }

}  // namespace ocirun
