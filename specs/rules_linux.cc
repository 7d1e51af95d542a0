// Rules of config-linux.md (and the POSIX parts of config.md that only Linux runtimes observe).
#include <algorithm>
#include <map>
#include <set>

#include "specs/rules.h"

namespace ocispec::internal {
namespace {

const Linux* L(const RuleContext& c) { return c.spec->linux ? &*c.spec->linux : nullptr; }

// The namespace entry of `type`, or nullptr.
const Namespace* FindNs(const RuleContext& c, std::string_view type) {
  if (!L(c)) return nullptr;
  for (const Namespace& ns : L(c)->namespaces) {
    if (ns.type == type) return &ns;
  }
  return nullptr;
}
bool NewNs(const RuleContext& c, std::string_view type) {
  const Namespace* ns = FindNs(c, type);
  return ns && !ns->path;
}

void NamespaceTypeUnique(RuleContext& c) {
  if (!L(c)) return;
  std::set<std::string> seen;
  for (size_t i = 0; i < L(c)->namespaces.size(); ++i) {
    const std::string& type = L(c)->namespaces[i].type;
    if (!seen.insert(type).second) {
      c.Report(Ptr("/linux/namespaces", i) + "/type", "linux.namespaces[" + std::to_string(i) +
                                                          "]: namespace type " + Quote(type) + " appears twice");
    }
  }
}

void NamespacePathAbsolute(RuleContext& c) {
  if (!L(c)) return;
  for (size_t i = 0; i < L(c)->namespaces.size(); ++i) {
    const auto& path = L(c)->namespaces[i].path;
    if (path && !IsAbsolutePosix(*path)) {
      c.Report(Ptr("/linux/namespaces", i) + "/path", "linux.namespaces[" + std::to_string(i) + "].path " +
                                                          Quote(*path) + " is not an absolute path");
    }
  }
}

void NamespacePathUnique(RuleContext& c) {
  if (!L(c)) return;
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < L(c)->namespaces.size(); ++i) {
    const auto& path = L(c)->namespaces[i].path;
    if (!path || path->empty()) continue;
    auto [it, inserted] = seen.emplace(*path, i);
    if (!inserted) {
      c.Report(Ptr("/linux/namespaces", i) + "/path",
               "linux.namespaces[" + std::to_string(i) + "].path " + Quote(*path) +
                   " is also the path of namespaces[" + std::to_string(it->second) + "]");
    }
  }
}

void MappingsNeedUserns(RuleContext& c) {
  if (!L(c) || (L(c)->uid_mappings.empty() && L(c)->gid_mappings.empty())) return;
  if (!FindNs(c, "user")) {
    const char* field = L(c)->uid_mappings.empty() ? "gidMappings" : "uidMappings";
    c.Report(Ptr("/linux", field), std::string("linux.") + field + " is set but linux.namespaces has no user namespace");
  }
}

void UsernsNeedsMappings(RuleContext& c) {
  if (NewNs(c, "user") && (L(c)->uid_mappings.empty() || L(c)->gid_mappings.empty())) {
    c.Report("/linux", "a new user namespace is requested but linux.uidMappings or linux.gidMappings is empty");
  }
}

void CheckMappings(RuleContext& c, const std::string& base, const std::vector<IdMapping>& maps) {
  for (size_t i = 0; i < maps.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      uint64_t a = maps[i].container_id, b = maps[j].container_id;
      if (maps[i].size && maps[j].size && a < b + maps[j].size && b < a + maps[i].size) {
        c.Report(Ptr(base, i), base + "[" + std::to_string(i) + "] overlaps [" + std::to_string(j) +
                                   "] in container ids");
      }
    }
  }
}

void MappingsOverlap(RuleContext& c) {
  if (L(c)) {
    CheckMappings(c, "/linux/uidMappings", L(c)->uid_mappings);
    CheckMappings(c, "/linux/gidMappings", L(c)->gid_mappings);
  }
  for (size_t i = 0; i < c.spec->mounts.size(); ++i) {
    CheckMappings(c, Ptr("/mounts", i) + "/uidMappings", c.spec->mounts[i].uid_mappings);
    CheckMappings(c, Ptr("/mounts", i) + "/gidMappings", c.spec->mounts[i].gid_mappings);
  }
}

void MappingsSize(RuleContext& c) {
  if (!L(c)) return;
  for (const char* field : {"uidMappings", "gidMappings"}) {
    const auto& maps = field[0] == 'u' ? L(c)->uid_mappings : L(c)->gid_mappings;
    for (size_t i = 0; i < maps.size(); ++i) {
      std::string pointer = Ptr(Ptr("/linux", field), i) + "/size";
      if (maps[i].size == 0 && c.Present(pointer)) {
        c.Report(pointer, std::string("linux.") + field + "[" + std::to_string(i) + "].size is 0");
      }
    }
  }
}

void TimeOffsetsNeedTimens(RuleContext& c) {
  if (L(c) && !L(c)->time_offsets.empty() && !NewNs(c, "time")) {
    c.Report("/linux/timeOffsets", "linux.timeOffsets is set but no new time namespace is requested");
  }
}

void TimeOffsetsClock(RuleContext& c) {
  if (!L(c)) return;
  for (const auto& [clock, offset] : L(c)->time_offsets) {
    if (clock != "boottime" && clock != "monotonic") {
      c.Report(Ptr("/linux/timeOffsets", clock), "linux.timeOffsets key " + Quote(clock) +
                                                     " is not a clock (boottime or monotonic)");
    }
  }
}

void DevicePathAbsolute(RuleContext& c) {
  if (!L(c)) return;
  for (size_t i = 0; i < L(c)->devices.size(); ++i) {
    const std::string& path = L(c)->devices[i].path;
    if (c.Present(Ptr("/linux/devices", i) + "/path") && !IsAbsolutePosix(path)) {
      c.Report(Ptr("/linux/devices", i) + "/path", "linux.devices[" + std::to_string(i) + "].path " +
                                                       Quote(path) + " is not an absolute path");
    }
  }
}

void DeviceMajorMinor(RuleContext& c) {
  if (!L(c)) return;
  for (size_t i = 0; i < L(c)->devices.size(); ++i) {
    const LinuxDevice& d = L(c)->devices[i];
    if (d.type != "p" && (!d.major || !d.minor)) {
      c.Report(Ptr("/linux/devices", i), "linux.devices[" + std::to_string(i) + "] (" + d.path + ") of type " +
                                             Quote(d.type) + " needs major and minor");
    }
  }
}

void DevicePathUnique(RuleContext& c) {
  if (!L(c)) return;
  std::set<std::string> seen;
  for (size_t i = 0; i < L(c)->devices.size(); ++i) {
    if (!seen.insert(L(c)->devices[i].path).second) {
      c.Report(Ptr("/linux/devices", i) + "/path", "linux.devices[" + std::to_string(i) + "].path " +
                                                       Quote(L(c)->devices[i].path) + " is listed twice");
    }
  }
}

}  // namespace

// Checks defined in rules_linux_checks.cc.
void MemorySwap(RuleContext& c);
void MemoryReservation(RuleContext& c);
void MemorySwappiness(RuleContext& c);
void CpusetFormat(RuleContext& c);
void BlkioWeight(RuleContext& c);
void UnifiedKey(RuleContext& c);
void SysctlKey(RuleContext& c);
void SysctlNetns(RuleContext& c);
void SysctlIpcns(RuleContext& c);
void SeccompErrno(RuleContext& c);
void SeccompDefaultErrno(RuleContext& c);
void SeccompNotifyListener(RuleContext& c);
void SeccompNotifyDefault(RuleContext& c);
void SeccompArgIndex(RuleContext& c);
void MaskedPathsAbsolute(RuleContext& c);
void ReadonlyPathsAbsolute(RuleContext& c);
void CapabilitiesKnown(RuleContext& c);
void CapabilitiesKnownV10(RuleContext& c);
void AmbientSubset(RuleContext& c);
void RlimitsKnown(RuleContext& c);
void OomScoreAdjRange(RuleContext& c);
void HostnameUts(RuleContext& c);
void DomainnameUts(RuleContext& c);
void ClosId(RuleContext& c);

namespace {

constexpr Level kMust = Level::kMust;
constexpr Level kShould = Level::kShould;
constexpr Document kConfig = Document::kConfig;

const Rule kRules[] = {
    {{"linux.namespaces.type-unique", kMust, "config-linux.md#namespaces: a type specified more than once MUST generate an error",
      "each namespace type appears once"}, kConfig, NamespaceTypeUnique},
    {{"linux.namespaces.path-absolute", kMust, "config-linux.md#namespaces: path MUST be an absolute path in the runtime mount namespace",
      "namespace paths are absolute"}, kConfig, NamespacePathAbsolute},
    {{"linux.namespaces.path-unique", kMust, "config-linux.md#namespaces: path names a namespace of `type`; one file cannot be two types",
      "no two namespace entries join the same path"}, kConfig, NamespacePathUnique},
    {{"linux.idmappings.require-userns", kMust, "config-linux.md#user-namespace-mappings: mappings describe the user namespace",
      "uidMappings/gidMappings only with a user namespace"}, kConfig, MappingsNeedUserns},
    {{"linux.userns.mappings-required", kShould, "config-linux.md#user-namespace-mappings (runc and crun reject a new userns without mappings)",
      "a new user namespace comes with uid and gid mappings"}, kConfig, UsernsNeedsMappings},
    {{"linux.idmappings.overlap", kMust, "user_namespaces(7): overlapping ranges make the uid_map/gid_map write fail (EINVAL)",
      "id mapping ranges do not overlap"}, kConfig, MappingsOverlap},
    {{"linux.idmappings.size", kMust, "user_namespaces(7): a mapping of size 0 is rejected (EINVAL)",
      "id mapping sizes are > 0"}, kConfig, MappingsSize},
    {{"linux.timeOffsets.require-timens", kMust, "config-linux.md#offset-for-time-namespace: offsets apply to a new time namespace",
      "timeOffsets only with a new time namespace"}, kConfig, TimeOffsetsNeedTimens},
    {{"linux.timeOffsets.clock", kMust, "config-linux.md#offset-for-time-namespace: keys name the clock, boottime or monotonic",
      "timeOffsets keys are boottime or monotonic"}, kConfig, TimeOffsetsClock},
    {{"linux.devices.path-absolute", kMust, "config-linux.md#devices: path is the full path to the device inside the container",
      "device paths are absolute"}, kConfig, DevicePathAbsolute},
    {{"linux.devices.major-minor", kMust, "config-linux.md#devices: major, minor are REQUIRED unless type is p",
      "c/b/u devices have major and minor"}, kConfig, DeviceMajorMinor},
    {{"linux.devices.path-unique", kShould, "config-linux.md#devices: one node per path",
      "each device path appears once"}, kConfig, DevicePathUnique},
    {{"linux.resources.memory.swap-ge-limit", kShould, "config-linux.md#memory: swap is memory+swap and cannot be below limit (cgroup v1 EINVAL)",
      "memory.swap >= memory.limit"}, kConfig, MemorySwap},
    {{"linux.resources.memory.reservation-le-limit", kShould, "config-linux.md#memory: reservation is a soft limit below limit",
      "memory.reservation <= memory.limit"}, kConfig, MemoryReservation},
    {{"linux.resources.memory.swappiness-range", kShould, "config-linux.md#memory: swappiness values are from 0 to 100",
      "memory.swappiness is 0..100"}, kConfig, MemorySwappiness},
    {{"linux.resources.cpu.cpuset-format", kMust, "config-linux.md#cpu: cpus/mems are cpuset lists; unappliable values MUST error",
      "cpu.cpus and cpu.mems are lists like 0-3,7"}, kConfig, CpusetFormat},
    {{"linux.resources.blockIO.weight-range", kShould, "config-linux.md#block-io: weight and leafWeight range from 10 to 1000",
      "blockIO weights are 10..1000"}, kConfig, BlkioWeight},
    {{"linux.resources.unified.key", kMust, "config-linux.md#unified: each key names a file in the container's cgroup",
      "unified keys are plain cgroup file names"}, kConfig, UnifiedKey},
    {{"linux.sysctl.key", kMust, "config-linux.md#sysctl: keys name entries under /proc/sys",
      "sysctl keys stay under /proc/sys"}, kConfig, SysctlKey},
    {{"linux.sysctl.netns", kShould, "config-linux.md#sysctl (runc, crun): net.* needs a new network namespace",
      "net.* sysctls only with a new network namespace"}, kConfig, SysctlNetns},
    {{"linux.sysctl.ipcns", kShould, "config-linux.md#sysctl (runc, crun): IPC sysctls need a new ipc namespace",
      "kernel.msg*/sem/shm* and fs.mqueue.* only with a new ipc namespace"}, kConfig, SysctlIpcns},
    {{"linux.seccomp.errno-action", kMust, "config-linux.md#seccomp: errnoRet with an action that has no errno MUST error",
      "errnoRet only with SCMP_ACT_ERRNO or SCMP_ACT_TRACE"}, kConfig, SeccompErrno},
    {{"linux.seccomp.default-errno-action", kMust, "config-linux.md#seccomp: defaultErrnoRet with an action that has no errno MUST error",
      "defaultErrnoRet only with SCMP_ACT_ERRNO or SCMP_ACT_TRACE"}, kConfig, SeccompDefaultErrno},
    {{"linux.seccomp.notify-listener", kMust, "config-linux.md#seccomp: SCMP_ACT_NOTIFY needs listenerPath",
      "SCMP_ACT_NOTIFY comes with listenerPath"}, kConfig, SeccompNotifyListener},
    {{"linux.seccomp.notify-default", kMust, "config-linux.md#seccomp (runc, crun): SCMP_ACT_NOTIFY cannot be the defaultAction",
      "defaultAction is not SCMP_ACT_NOTIFY"}, kConfig, SeccompNotifyDefault},
    {{"linux.seccomp.arg-index", kMust, "seccomp(2): a syscall has 6 arguments, index 0..5",
      "seccomp arg index is 0..5"}, kConfig, SeccompArgIndex},
    {{"linux.maskedPaths.absolute", kMust, "config-linux.md#masked-paths: values MUST be absolute paths",
      "maskedPaths are absolute"}, kConfig, MaskedPathsAbsolute},
    {{"linux.readonlyPaths.absolute", kMust, "config-linux.md#readonly-paths: values MUST be absolute paths",
      "readonlyPaths are absolute"}, kConfig, ReadonlyPathsAbsolute},
    {{"linux.process.capabilities.known", kShould, "config.md#linux-process (1.1+): capabilities that cannot be mapped MUST be logged as a warning; runtimes SHOULD NOT fail",
      "capability names are known CAP_* names (ociVersion 1.1+)"}, kConfig, CapabilitiesKnown},
    {{"linux.process.capabilities.known-v1.0", kMust, "config.md#linux-process (1.0.x): capabilities that cannot be mapped MUST cause an error",
      "capability names are known CAP_* names (ociVersion 1.0.x)"}, kConfig, CapabilitiesKnownV10},
    {{"linux.process.capabilities.ambient-subset", kShould, "capabilities(7): an ambient capability must be permitted and inheritable",
      "ambient capabilities are also permitted and inheritable"}, kConfig, AmbientSubset},
    {{"linux.process.rlimits.known", kMust, "config.md#posix-process: values that cannot be mapped to a kernel interface MUST error",
      "rlimit types are known RLIMIT_* names"}, kConfig, RlimitsKnown},
    {{"linux.process.oomScoreAdj.range", kMust, "proc(5): oom_score_adj is -1000..1000; writes outside fail",
      "process.oomScoreAdj is -1000..1000"}, kConfig, OomScoreAdjRange},
    {{"linux.hostname.uts-namespace", kShould, "config.md#hostname (runc, crun): setting it needs a new uts namespace",
      "hostname only with a new uts namespace"}, kConfig, HostnameUts},
    {{"linux.domainname.uts-namespace", kShould, "config.md#domainname (runc, crun): setting it needs a new uts namespace",
      "domainname only with a new uts namespace"}, kConfig, DomainnameUts},
    {{"linux.intelRdt.closID", kMust, "config-linux.md#intelrdt: closID names a directory under the resctrl root",
      "intelRdt.closID is a plain directory name"}, kConfig, ClosId},
};

}  // namespace

std::span<const Rule> LinuxRules() { return kRules; }

bool HasNewNamespace(const RuleContext& c, std::string_view type) { return NewNs(c, type); }

}  // namespace ocispec::internal
