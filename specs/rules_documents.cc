// Rules for the state (runtime.md#state) and features (features.md) documents.
#include <tuple>

#include "specs/rules.h"

namespace ocispec::internal {
namespace {

void StateVersion(RuleContext& c) {
  if (c.doc.contains("ociVersion") && !IsSemVer(c.state->oci_version)) {
    c.Report("/ociVersion", "ociVersion " + Quote(c.state->oci_version) + " is not a SemVer 2.0.0 version");
  }
}

void StateBundleAbsolute(RuleContext& c) {
  if (c.doc.contains("bundle") && !IsAbsoluteFor(c.options.platform, c.state->bundle)) {
    c.Report("/bundle", "bundle " + Quote(c.state->bundle) + " is not an absolute path");
  }
}

void StatePid(RuleContext& c) {
  const std::string& s = c.state->status;
  if (c.linux_platform() && (s == "created" || s == "running") && (!c.state->pid || *c.state->pid <= 0)) {
    c.Report(c.state->pid ? "/pid" : "", "pid is missing or not positive but the status is " + s);
  }
}

void StateStatus(RuleContext& c) {
  const std::string& s = c.state->status;
  if (s != "creating" && s != "created" && s != "running" && s != "stopped" && s != "paused") {
    c.Report("/status", "status " + Quote(s) + " is not one of creating, created, running, stopped (or paused)");
  }
}

void FeaturesVersions(RuleContext& c) {
  const Features& f = *c.features;
  if (c.Present("/ociVersionMin") && !IsSemVer(f.oci_version_min)) c.Report("/ociVersionMin", "ociVersionMin " + Quote(f.oci_version_min) + " is not SemVer");
  if (c.Present("/ociVersionMax") && !IsSemVer(f.oci_version_max)) c.Report("/ociVersionMax", "ociVersionMax " + Quote(f.oci_version_max) + " is not SemVer");
}

// MAJOR.MINOR.PATCH as numbers (prerelease ignored); callers check IsSemVer first.
std::tuple<unsigned long, unsigned long, unsigned long> Triple(const std::string& v) {
  unsigned long parts[3] = {0, 0, 0};
  size_t pos = 0;
  for (int i = 0; i < 3 && pos < v.size(); ++i) {
    while (pos < v.size() && v[pos] >= '0' && v[pos] <= '9') {
      parts[i] = parts[i] > 100000000 ? parts[i] : parts[i] * 10 + (v[pos] - '0');
      ++pos;
    }
    ++pos;
  }
  return {parts[0], parts[1], parts[2]};
}

void FeaturesOrder(RuleContext& c) {
  const Features& f = *c.features;
  if (IsSemVer(f.oci_version_min) && IsSemVer(f.oci_version_max) &&
      Triple(f.oci_version_min) > Triple(f.oci_version_max)) {
    c.Report("/ociVersionMin", "ociVersionMin " + f.oci_version_min + " is above ociVersionMax " + f.oci_version_max);
  }
}

constexpr Level kMust = Level::kMust;
constexpr Level kShould = Level::kShould;

const Rule kRules[] = {
    {{"state.ociVersion.semver", kMust, "runtime.md#state: ociVersion is the spec version (SemVer)",
      "state ociVersion is SemVer"}, Document::kState, StateVersion},
    {{"state.bundle.absolute", kMust, "runtime.md#state: bundle is the absolute path to the bundle directory",
      "state bundle is absolute"}, Document::kState, StateBundleAbsolute},
    {{"state.pid.required", kMust, "runtime.md#state: pid is REQUIRED on Linux when status is created or running",
      "pid > 0 when created or running (Linux)"}, Document::kState, StatePid},
    {{"state.status.known", kShould, "runtime.md#state: creating, created, running, stopped; runtimes MAY add others",
      "status is a known value"}, Document::kState, StateStatus},
    {{"features.version.semver", kMust, "features.md: ociVersionMin and ociVersionMax are SemVer versions",
      "features versions are SemVer"}, Document::kFeatures, FeaturesVersions},
    {{"features.version.order", kMust, "features.md: ociVersionMin <= ociVersionMax",
      "ociVersionMin is not above ociVersionMax"}, Document::kFeatures, FeaturesOrder},
};

}  // namespace

std::span<const Rule> DocumentRules() { return kRules; }

}  // namespace ocispec::internal
