// Container id rules (runc's): [A-Za-z0-9_+.-]+, not "." or "..". A valid id is one path component,
// so <root>/<id> never leaves the root.
#pragma once

#include <string_view>

#include "base/status.h"

namespace ocirun {

// kInvalidArgument "invalid container id format: <id>" (runc's words) when the id breaks the rules.
base::Status ValidateId(std::string_view id);

}  // namespace ocirun
