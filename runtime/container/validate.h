// Config validation before create: the specs/ validator when it is linked (the error names the
// field), plus the checks the runtime itself depends on.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace ocirun {

// kInvalidArgument naming the field ("process.args: must not be empty") when the config cannot be used
// (a MUST-level finding). SHOULD-level findings (e.g. a capability this kernel does not know, which
// runtime-spec 1.1+ wants logged as a warning, not refused) are appended to `warnings` when given.
base::Status ValidateConfig(const std::string& config_text, std::vector<std::string>* warnings = nullptr);
// The same for a config already parsed (create parses a config once, however large).
base::Status ValidateConfigJson(const nlohmann::json& config, std::vector<std::string>* warnings = nullptr);

}  // namespace ocirun
