// Config validation before create: the specs/ validator when it is linked (the error names the
// field), plus the checks the runtime itself depends on.
#pragma once

#include <string>

#include "base/status.h"

namespace ocirun {

// kInvalidArgument naming the field ("process.args: must not be empty") when the config cannot be used.
base::Status ValidateConfig(const std::string& config_text);

}  // namespace ocirun
