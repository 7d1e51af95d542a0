// The config the guest agent hands to the guest's ocirun: the container's config.json, checked for
// what a utility VM cannot honour yet. Refusals name the field (docs/hyperv.md "What is missing").
#pragma once

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace ocirun::hyperv {

// The guest's copy of `config`: without the isolation annotation (the guest runs it in process mode)
// and without hooks' host paths. kInvalidArgument for process.terminal, hooks, and bind mounts (host
// paths do not exist in the guest; only the rootfs is shared, over virtio-9p).
base::Result<nlohmann::json> GuestConfig(const nlohmann::json& config);

}  // namespace ocirun::hyperv
