// Signal names as kill accepts them: "KILL", "SIGKILL", "9" (runc's kill).
#pragma once

#include <string_view>

#include "base/status.h"

namespace ocirun {

// The signal number; kInvalidArgument "unknown signal \"X\"" otherwise.
base::Result<int> ParseSignal(std::string_view text);

}  // namespace ocirun
