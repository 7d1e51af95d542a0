// The Windows builds ocirun knows by name, and the feature gates tied to them (hcsshim's osversion).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ocirun::pod {

inline constexpr uint32_t kRS1 = 14393;       // Windows Server 2016, Windows 10 1607
inline constexpr uint32_t kRS3 = 16299;       // Windows Server 1709
inline constexpr uint32_t kRS4 = 17134;       // Windows Server 1803
inline constexpr uint32_t kRS5 = 17763;       // Windows Server 2019, Windows 10 1809
inline constexpr uint32_t k19H1 = 18362;      // Windows Server 1903
inline constexpr uint32_t k20H1 = 19041;      // Windows Server 2004
inline constexpr uint32_t kLTSC2022 = 20348;  // Windows Server 2022
inline constexpr uint32_t kWin11 = 22000;     // Windows 11 21H2
inline constexpr uint32_t k22H2 = 22621;      // Windows 11 22H2
inline constexpr uint32_t kLTSC2025 = 26100;  // Windows Server 2025

struct WindowsBuild {
  uint32_t build;
  std::string_view name;     // hcsshim's constant name: "RS5", "LTSC2022"
  std::string_view product;  // what users call it: "Windows Server 2019 / Windows 10 1809"
  bool ltsc;                 // a long-term servicing release (a process-isolation compatibility anchor)
};

// Every known build, oldest first.
std::span<const WindowsBuild> KnownBuilds();

// The entry for exactly this build number; nullopt for builds not in the table.
std::optional<WindowsBuild> FindBuild(uint32_t build);

// "RS5 (17763)" for a known build, "build 12345" otherwise. Used in every error message.
std::string DescribeBuild(uint32_t build);

// The oldest container build a host of `build` runs process-isolated, when the relaxed rule applies:
// from LTSC2022 on, a host runs builds from LTSC2022 up to its own (hcsshim compatLTSCReleases).
// 0 below LTSC2022, where builds must match exactly.
uint32_t LtscAnchor(uint32_t build);

// Schema v2 documents and computecore.dll exist from RS5 on; older hosts take schema v1.
inline bool SupportsSchemaV2(uint32_t build) { return build >= kRS5; }

}  // namespace ocirun::pod
