#include "runtime/pod/windows_builds.h"

#include <array>

namespace ocirun::pod {
namespace {

constexpr std::array<WindowsBuild, 10> kBuilds = {{
    {kRS1, "RS1", "Windows Server 2016 / Windows 10 1607", true},
    {kRS3, "RS3", "Windows Server 1709", false},
    {kRS4, "RS4", "Windows Server 1803", false},
    {kRS5, "RS5", "Windows Server 2019 / Windows 10 1809", true},
    {k19H1, "19H1", "Windows Server 1903", false},
    {k20H1, "20H1", "Windows Server 2004", false},
    {kLTSC2022, "LTSC2022", "Windows Server 2022", true},
    {kWin11, "Win11", "Windows 11 21H2", false},
    {k22H2, "22H2", "Windows 11 22H2", false},
    {kLTSC2025, "LTSC2025", "Windows Server 2025", true},
}};

// hcsshim's compatLTSCReleases: the releases that anchor the relaxed process-isolation rule. Only
// LTSC2022 is listed: a Server 2025 host runs 2022 images, a 2022 host does not run 2019 images.
constexpr std::array<uint32_t, 1> kCompatAnchors = {kLTSC2022};

}  // namespace

std::span<const WindowsBuild> KnownBuilds() { return kBuilds; }

std::optional<WindowsBuild> FindBuild(uint32_t build) {
  for (const WindowsBuild& b : kBuilds) {
    if (b.build == build) return b;
  }
  return std::nullopt;
}

std::string DescribeBuild(uint32_t build) {
  if (auto b = FindBuild(build)) return std::string(b->name) + " (" + std::to_string(build) + ")";
  return "build " + std::to_string(build);
}

uint32_t LtscAnchor(uint32_t build) {
  uint32_t anchor = 0;
  for (uint32_t a : kCompatAnchors) {
    if (build >= a) anchor = a;
  }
  return anchor;
}

}  // namespace ocirun::pod
