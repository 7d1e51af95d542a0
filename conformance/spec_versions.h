// Runtime-spec versions: the rule a case tests belongs to a range of spec versions (a few rules
// changed: an unknown capability is an error in 1.0.x and a warning from 1.1; a failing poststart
// hook is a warning up to 1.2 and stops the container from 1.3). Each run has a target version per
// runtime: --spec-version, else the newest the runtime accepts (`features` ociVersionMax, else its
// profile). Bundles carry the target as ociVersion; cases whose range excludes the target skip, saying so.
#pragma once

#include <optional>
#include <string>

#include "base/status.h"
#include "conformance/case.h"

namespace conform {

// "1.2.0" or "1.0.2-dev" -> (1, 2, 0); nullopt for anything else.
struct SpecVersion {
  int major = 0, minor = 0, patch = 0;
  auto operator<=>(const SpecVersion&) const = default;
  std::string ToString() const;
};
std::optional<SpecVersion> ParseSpecVersion(const std::string& text);

// The target for a runtime: `requested` (--spec-version) when given, else ociVersionMax of the
// runtime's `features` output, else its profile's oci_version. Returns the version and where it came
// from ("--spec-version", "features ociVersionMax 1.0.2-dev", "profile runc"). kInvalidArgument for
// a malformed --spec-version.
struct SpecTarget {
  std::string version;  // "1.2.0": written into bundles
  std::string source;
};
base::Result<SpecTarget> ResolveSpecTarget(const std::string& requested, const std::string& features_json,
                                           const Profile& profile);
// Why a case does not apply to a target version ("" when it does).
std::string SpecVersionSkip(const Case& c, const std::string& target);

}  // namespace conform
