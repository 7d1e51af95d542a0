// ocirun pause / resume: freeze or thaw every process of the container through the cgroup freezer
// (v1 freezer.state, v2 cgroup.freeze), returning only once the kernel reports it done. The status
// then derives as paused (frozen) / back to running or created. The state table decides: pause of
// a paused container is "container already paused", of a stopped one "container not running";
// resume of anything but paused is "container not paused".
#pragma once

#include <string>

#include "base/status.h"
#include "runtime/container/container.h"

namespace ocirun {

base::Status Pause(const Runtime& rt, const std::string& id);
base::Status Resume(const Runtime& rt, const std::string& id);

}  // namespace ocirun
