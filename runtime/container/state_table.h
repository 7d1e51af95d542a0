// The one table of status x operation: allowed, or the exact error runc returns.
#pragma once

#include <string_view>

#include "base/status.h"
#include "runtime/container/status.h"

namespace ocirun {

enum class Operation { kState, kStart, kKill, kKillAll, kDelete, kForceDelete, kPause, kResume, kExec, kPs, kUpdate };

std::string_view OperationName(Operation op);

// Ok when `op` is allowed on container `id` in `status`; else kFailedPrecondition with runc's message
// ("cannot start a container that has stopped", "container not running", ...).
base::Status CheckOperation(ContainerStatus status, Operation op, std::string_view id);

// What delete must do first for a container in `status` (force or not): kill its processes.
bool DeleteNeedsKill(ContainerStatus status);

}  // namespace ocirun
