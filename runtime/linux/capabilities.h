// Linux capability names <-> numbers and applying the OCI capability sets.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "specs/spec.h"

namespace ocirun::linux {

// "CAP_SYS_ADMIN" -> 21; kInvalidArgument "unknown capability \"X\"" otherwise.
base::Result<int> CapabilityNumber(const std::string& name);
// Every capability name this build knows, in number order.
std::vector<std::string> AllCapabilityNames();

// Drops from the bounding set every capability not in caps.bounding (needs CAP_SETPCAP: call before
// changing the user).
base::Status DropBoundingSet(const ocispec::Capabilities& caps);
// Sets effective/permitted/inheritable with capset(2) and raises the ambient ones (after the user
// change, with PR_SET_KEEPCAPS set before it).
base::Status ApplyCapabilitySets(const ocispec::Capabilities& caps);

}  // namespace ocirun::linux
