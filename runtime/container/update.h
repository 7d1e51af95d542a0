// ocirun update: change the resources of a created, running or paused container. The input is a
// LinuxResources JSON document (`-r file|-`, containerd's `update --resources -`) or runc's
// per-field flags; the backend applies it to the container's cgroup and the stored config keeps
// it, merged with what create and earlier updates set.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "runtime/container/container.h"

namespace ocirun {

// runc update's per-field flags, as typed on the command line ("64m", "-1", "0-1").
struct UpdateFlags {
  std::optional<std::string> memory, memory_reservation, memory_swap, kernel_memory,
      kernel_memory_tcp;
  std::optional<std::string> cpu_shares, cpu_quota, cpu_period, cpu_burst, cpu_rt_period,
      cpu_rt_runtime, cpuset_cpus, cpuset_mems;
  std::optional<std::string> pids_limit, blkio_weight;
  bool any() const;
};

// "1024", "64k", "64m", "1g", "1t" (binary units, optional trailing "b"/"ib"), or "-1".
// kInvalidArgument naming `flag` otherwise.
base::Result<int64_t> ParseByteSize(std::string_view flag, std::string_view text);

// The LinuxResources JSON the flags describe (only the fields given).
base::Result<nlohmann::json> ResourcesFromFlags(const UpdateFlags& flags);

// Parses a LinuxResources document (`-r`). kInvalidArgument naming `source` on bad JSON or a
// document that is not an object.
base::Result<nlohmann::json> ParseResourcesDocument(std::string_view source, std::string_view text);

// `config` (a stored config.json) with `resources` merged into linux.resources (windows.resources
// for a Windows config): objects merge member by member, anything else replaces, null members are
// "not given" (as runc decodes them); unchanged unless both are objects. `devices` is left out:
// update does not apply device rules (nor does runc's), so the stored rules stay those in effect.
nlohmann::json MergeResources(nlohmann::json config, const nlohmann::json& resources);

// Applies `resources` to the container, then records them in the stored config (MergeResources),
// so that later readers of the stored config see the resources in effect.
base::Status Update(const Runtime& rt, const std::string& id, const nlohmann::json& resources);

}  // namespace ocirun
