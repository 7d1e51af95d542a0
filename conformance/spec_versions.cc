#include "conformance/spec_versions.h"

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>


namespace conform {

std::string SpecVersion::ToString() const { return fmt::format("{}.{}.{}", major, minor, patch); }

std::optional<SpecVersion> ParseSpecVersion(const std::string& text) {
  SpecVersion v;
  int used = 0;
  if (std::sscanf(text.c_str(), "%d.%d.%d%n", &v.major, &v.minor, &v.patch, &used) != 3) return std::nullopt;
  if (v.major < 0 || v.minor < 0 || v.patch < 0) return std::nullopt;
  // Only a SemVer pre-release or build suffix may follow ("1.0.2-dev", "1.3.0+dev").
  if (used < static_cast<int>(text.size()) && text[used] != '-' && text[used] != '+') return std::nullopt;
  return v;
}

base::Result<SpecTarget> ResolveSpecTarget(const std::string& requested, const std::string& features_json,
                                           const Profile& profile) {
  if (!requested.empty()) {
    auto v = ParseSpecVersion(requested);
    if (!v) return base::InvalidArgument("--spec-version " + requested + ": want a version like 1.2.0");
    return SpecTarget{v->ToString(), "--spec-version"};
  }
  auto features = nlohmann::json::parse(features_json, nullptr, false);
  if (features.is_object() && features.contains("ociVersionMax") && features["ociVersionMax"].is_string()) {
    std::string max = features["ociVersionMax"];
    // A pre-release of X ("1.0.2-dev") is below X; the rules of X are what it implements.
    if (auto v = ParseSpecVersion(max)) return SpecTarget{v->ToString(), "features ociVersionMax " + max};
  }
  return SpecTarget{profile.oci_version, "profile " + profile.name};
}

std::string SpecVersionSkip(const Case& c, const std::string& target) {
  auto t = ParseSpecVersion(target);
  if (!t) return "";
  auto lo = ParseSpecVersion(c.spec_min);
  auto hi = ParseSpecVersion(c.spec_before);
  bool below = lo && *t < *lo, above = hi && *t >= *hi;
  if (!below && !above) return "";
  std::string range = c.spec_before.empty() ? c.spec_min + " and later" : c.spec_min + " up to (not including) " + c.spec_before;
  return "tests the runtime-spec " + range + " rule; the target spec version is " + target +
         " (--spec-version picks another)";
}

}  // namespace conform
