// Rules of config-windows.md, the Windows parts of config.md, and runhcs's (hcsshim's) own checks.
#include <algorithm>
#include <cctype>

#include "specs/rules.h"

namespace ocispec::internal {
namespace {

const Windows* W(const RuleContext& c) { return c.spec->windows ? &*c.spec->windows : nullptr; }

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return std::tolower(ch); });
  std::replace(s.begin(), s.end(), '/', '\\');
  while (s.size() > 1 && s.back() == '\\') s.pop_back();
  return s;
}

// \\?\Volume{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}\ (trailing backslash optional).
bool IsVolumeGuidPath(std::string_view p) {
  constexpr std::string_view kPrefix = "\\\\?\\Volume{";
  if (p.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string_view guid = p.substr(kPrefix.size());
  if (guid.size() < 37 || guid[36] != '}') return false;
  for (size_t i = 0; i < 36; ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? guid[i] != '-' : !std::isxdigit(static_cast<unsigned char>(guid[i]))) return false;
  }
  std::string_view rest = guid.substr(37);
  return rest.empty() || rest == "\\";
}

void SectionRequired(RuleContext& c) {
  if (c.windows_platform() && !W(c)) c.Report("", "the windows section is missing: it MUST be set for the windows platform");
}

void LayerFoldersRunhcs(RuleContext& c) {
  if (W(c) && W(c)->layer_folders.size() == 1) {
    c.Report("/windows/layerFolders", "windows.layerFolders has 1 entry: runhcs needs at least one image layer plus the scratch layer");
  }
}

void LayerFoldersAbsolute(RuleContext& c) {
  if (!W(c)) return;
  for (size_t i = 0; i < W(c)->layer_folders.size(); ++i) {
    if (!IsAbsoluteWindows(W(c)->layer_folders[i])) {
      c.Report(Ptr("/windows/layerFolders", i), "windows.layerFolders[" + std::to_string(i) + "] " +
                                                    Quote(W(c)->layer_folders[i]) + " is not an absolute Windows path");
    }
  }
}

void RootRequiredProcessIsolated(RuleContext& c) {
  if (c.windows_platform() && W(c) && !c.hyperv() && !c.spec->root) {
    c.Report("", "root is missing: it is REQUIRED for Windows Server (process-isolated) containers");
  }
}

void RootForbiddenHyperV(RuleContext& c) {
  if (c.windows_platform() && W(c) && W(c)->hyperv && c.spec->root) {
    c.Report("/root", "root is set but windows.hyperv is present: Hyper-V containers MUST NOT set root");
  }
}

void RootReadonly(RuleContext& c) {
  if (c.windows_platform() && c.spec->root && c.spec->root->readonly.value_or(false)) {
    c.Report("/root/readonly", "root.readonly is true: on Windows it MUST be omitted or false");
  }
}

void RootVolumePath(RuleContext& c) {
  if (c.windows_platform() && c.spec->root && !c.hyperv() && !IsVolumeGuidPath(c.spec->root->path)) {
    c.Report("/root/path", "root.path " + Quote(c.spec->root->path) + " is not a volume GUID path (\\\\?\\Volume{GUID}\\)");
  }
}

void MountsNested(RuleContext& c) {
  if (!c.windows_platform()) return;
  const auto& mounts = c.spec->mounts;
  for (size_t i = 0; i < mounts.size(); ++i) {
    for (size_t j = 0; j < mounts.size(); ++j) {
      std::string outer = Lower(mounts[j].destination), inner = Lower(mounts[i].destination);
      if (i == j || outer.empty() || inner.size() <= outer.size()) continue;
      if (inner.compare(0, outer.size(), outer) == 0 && inner[outer.size()] == '\\') {
        c.Report(Ptr("/mounts", i) + "/destination", "mounts[" + std::to_string(i) + "].destination " +
                                                         Quote(mounts[i].destination) + " is nested in mounts[" +
                                                         std::to_string(j) + "] " + Quote(mounts[j].destination));
      }
    }
  }
}

void MountsSource(RuleContext& c) {
  if (!c.windows_platform()) return;
  for (size_t i = 0; i < c.spec->mounts.size(); ++i) {
    const auto& src = c.spec->mounts[i].source;
    if (!src || src->empty()) {
      c.Report(Ptr("/mounts", i), "mounts[" + std::to_string(i) + "] has no source: runhcs needs source and destination");
    }
  }
}

void ArgsOrCommandLine(RuleContext& c) {
  if (!c.windows_platform() || !c.spec->process) return;
  const Process& p = *c.spec->process;
  if (p.args.empty() && (!p.command_line || p.command_line->empty())) {
    c.Report("/process", "process has neither args nor commandLine: commandLine is REQUIRED when args is omitted");
  }
}

void CpuExclusive(RuleContext& c) {
  if (!c.windows_platform() || !W(c) || c.hyperv() || !W(c)->resources || !W(c)->resources->cpu) return;
  const WindowsCpu& cpu = *W(c)->resources->cpu;
  int set = cpu.count.has_value() + cpu.shares.has_value() + cpu.maximum.has_value();
  if (set > 1) {
    c.Report("/windows/resources/cpu", "windows.resources.cpu sets more than one of count, shares, maximum: "
                                       "they are mutually exclusive for process isolation");
  }
}

void LcowHyperV(RuleContext& c) {
  if (c.windows_platform() && c.spec->linux && W(c) && !W(c)->hyperv) {
    c.Report("/windows", "a linux section on Windows means a Linux container in a utility VM; set windows.hyperv");
  }
}

constexpr Level kMust = Level::kMust;
constexpr Level kShould = Level::kShould;
constexpr Document kConfig = Document::kConfig;

const Rule kRules[] = {
    {{"windows.section.required", kMust, "config.md#platform-specific-configuration: windows MUST be set if the target platform is windows",
      "the windows section is present on Windows"}, kConfig, SectionRequired},
    {{"windows.layerFolders.runhcs-min", kMust, "runhcs (hcsshim): at least one read-only layer plus the scratch layer",
      "windows.layerFolders has >= 2 entries"}, kConfig, LayerFoldersRunhcs},
    {{"windows.layerFolders.absolute", kShould, "config-windows.md#layerfolders: paths to the layer folders (runhcs names layers by folder)",
      "layer folders are absolute Windows paths"}, kConfig, LayerFoldersAbsolute},
    {{"windows.root.required", kMust, "config.md#root: on Windows, REQUIRED for Windows Server Containers",
      "process-isolated Windows containers set root"}, kConfig, RootRequiredProcessIsolated},
    {{"windows.root.hyperv-forbidden", kMust, "config.md#root: for Hyper-V Containers, this field MUST NOT be set",
      "Hyper-V containers do not set root"}, kConfig, RootForbiddenHyperV},
    {{"windows.root.readonly", kMust, "config.md#root: on Windows, readonly MUST be omitted or false",
      "root.readonly is not true on Windows"}, kConfig, RootReadonly},
    {{"windows.root.path.volume", kMust, "config.md#root: on Windows, path MUST be a volume GUID path",
      "root.path is \\\\?\\Volume{GUID}\\ on Windows"}, kConfig, RootVolumePath},
    {{"windows.mounts.nested", kMust, "config.md#mounts: on Windows one mount destination MUST NOT be nested within another",
      "no mount destination inside another"}, kConfig, MountsNested},
    {{"windows.mounts.source", kMust, "runhcs (hcsshim): mounts need source and destination",
      "Windows mounts have a source"}, kConfig, MountsSource},
    {{"windows.process.args-or-commandline", kMust, "config.md#process: on Windows commandLine is REQUIRED if args is omitted",
      "process has args or commandLine"}, kConfig, ArgsOrCommandLine},
    {{"windows.resources.cpu.exclusive", kMust, "runhcs (hcsshim): cpu count, shares and maximum are mutually exclusive for process isolation",
      "one of cpu count/shares/maximum"}, kConfig, CpuExclusive},
    {{"windows.lcow.hyperv", kShould, "runhcs: a linux section means LCOW, which always runs in a utility VM",
      "LCOW configs state windows.hyperv"}, kConfig, LcowHyperV},
};

}  // namespace

std::span<const Rule> WindowsRules() { return kRules; }

}  // namespace ocispec::internal
