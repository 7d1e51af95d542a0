// Conversion of the typed OCI model (specs/spec.h) into the cgroup layer's CgroupResources.
#pragma once

#include "base/status.h"
#include "runtime/linux/cgroup.h"
#include "specs/spec.h"

namespace ocirun::linux {

enum class DeviceRules { kApply, kLeave };

// linux.resources -> CgroupResources. `devices`: kApply at create (deny-all + rules + defaults),
// kLeave for `update` (runc's update does not touch devices). Fields ocirun cannot apply at all
// (network, rdma) fail with kUnimplemented naming the field; a hugepageLimits pageSize that is not
// <number>KB/MB/GB is kInvalidArgument.
base::Result<CgroupResources> ResourcesFromSpec(const ocispec::LinuxResources& spec,
                                                DeviceRules devices = DeviceRules::kApply);

}  // namespace ocirun::linux
