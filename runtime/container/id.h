// Container id rules (runc's): [A-Za-z0-9_+.-]+, not "." or "..". A valid id is one path component,
// so <root>/<id> never leaves the root.
#pragma once

#include <cstddef>
#include <string_view>

#include "base/status.h"

namespace ocirun {

// The longest id: NAME_MAX, since the id is a folder name (runc and crun accept as much).
constexpr size_t kMaxIdLength = 255;

// kInvalidArgument "invalid container id format: <id>" (runc's words) when the id breaks the rules;
// "invalid container id: N characters long, at most 255 ..." when it is longer than kMaxIdLength.
base::Status ValidateId(std::string_view id);

}  // namespace ocirun
