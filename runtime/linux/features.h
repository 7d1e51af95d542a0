// `ocirun features` on Linux: the runtime-spec features document (features.md), true for this build.
#pragma once

#include <nlohmann/json.hpp>

namespace ocirun::linux {

nlohmann::json FeaturesJson();

}  // namespace ocirun::linux
