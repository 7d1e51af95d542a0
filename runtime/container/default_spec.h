// The default config.json `ocirun spec` writes (runc's `spec` template: sh, a read-only rootfs,
// the usual mounts, masked and readonly paths).
#pragma once

#include <nlohmann/json.hpp>

namespace ocirun {

nlohmann::ordered_json DefaultSpec();

}  // namespace ocirun
