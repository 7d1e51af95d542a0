// Rules of config-linux.md for resources, sysctl, seccomp, paths, and the Linux process.
#include <algorithm>
#include <cctype>
#include <set>

#include "specs/rules.h"

namespace ocispec::internal {
namespace {

const Linux* L(const RuleContext& c) { return c.spec->linux ? &*c.spec->linux : nullptr; }
const LinuxResources* R(const RuleContext& c) {
  return L(c) && L(c)->resources ? &*L(c)->resources : nullptr;
}

// A cpuset list: "0-3,7,9-10" (spaces tolerated by the kernel are not).
bool IsCpuList(std::string_view s) {
  if (s.empty()) return true;  // empty means "inherit"
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start) return false;
    if (i < s.size() && s[i] == '-') {
      size_t hi = ++i;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      if (i == hi) return false;
    }
    if (i < s.size() && s[i] != ',') return false;
    if (i < s.size() && ++i == s.size()) return false;  // trailing comma
  }
  return true;
}

// A path component that cannot climb out of its directory.
bool IsPlainName(std::string_view s) {
  return !s.empty() && s != "." && s != ".." && s.find('/') == std::string_view::npos &&
         s.find('\0') == std::string_view::npos;
}

constexpr std::string_view kCapabilities[] = {
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
    "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
    "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE"};

constexpr std::string_view kRlimits[] = {
    "RLIMIT_AS", "RLIMIT_CORE", "RLIMIT_CPU", "RLIMIT_DATA", "RLIMIT_FSIZE", "RLIMIT_LOCKS",
    "RLIMIT_MEMLOCK", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_NOFILE", "RLIMIT_NPROC",
    "RLIMIT_RSS", "RLIMIT_RTPRIO", "RLIMIT_RTTIME", "RLIMIT_SIGPENDING", "RLIMIT_STACK"};

template <size_t N>
bool Contains(const std::string_view (&list)[N], std::string_view v) {
  return std::find(std::begin(list), std::end(list), v) != std::end(list);
}

void CheckAbsoluteList(RuleContext& c, const char* field, const std::vector<std::string>& paths) {
  for (size_t i = 0; i < paths.size(); ++i) {
    if (!IsAbsolutePosix(paths[i])) {
      c.Report(Ptr(Ptr("/linux", field), i), std::string("linux.") + field + "[" + std::to_string(i) + "] " +
                                                 Quote(paths[i]) + " is not an absolute path");
    }
  }
}

bool HasErrno(const std::string& action) { return action == "SCMP_ACT_ERRNO" || action == "SCMP_ACT_TRACE"; }

}  // namespace

void MemorySwap(RuleContext& c) {
  if (!R(c) || !R(c)->memory) return;
  const LinuxMemory& m = *R(c)->memory;
  if (m.limit && m.swap && *m.limit > 0 && *m.swap > 0 && *m.swap < *m.limit) {
    c.Report("/linux/resources/memory/swap", "memory.swap " + std::to_string(*m.swap) +
                                                 " (memory+swap) is below memory.limit " + std::to_string(*m.limit));
  }
}

void MemoryReservation(RuleContext& c) {
  if (!R(c) || !R(c)->memory) return;
  const LinuxMemory& m = *R(c)->memory;
  if (m.limit && m.reservation && *m.limit > 0 && *m.reservation > *m.limit) {
    c.Report("/linux/resources/memory/reservation", "memory.reservation " + std::to_string(*m.reservation) +
                                                        " is above memory.limit " + std::to_string(*m.limit));
  }
}

void MemorySwappiness(RuleContext& c) {
  if (R(c) && R(c)->memory && R(c)->memory->swappiness && *R(c)->memory->swappiness > 100) {
    c.Report("/linux/resources/memory/swappiness",
             "memory.swappiness " + std::to_string(*R(c)->memory->swappiness) + " is above 100");
  }
}

void CpusetFormat(RuleContext& c) {
  if (!R(c) || !R(c)->cpu) return;
  const LinuxCpu& cpu = *R(c)->cpu;
  if (cpu.cpus && !IsCpuList(*cpu.cpus)) {
    c.Report("/linux/resources/cpu/cpus", "cpu.cpus " + Quote(*cpu.cpus) + " is not a CPU list like 0-3,7");
  }
  if (cpu.mems && !IsCpuList(*cpu.mems)) {
    c.Report("/linux/resources/cpu/mems", "cpu.mems " + Quote(*cpu.mems) + " is not a node list like 0-1");
  }
}

void BlkioWeight(RuleContext& c) {
  if (!R(c) || !R(c)->block_io) return;
  const LinuxBlockIo& b = *R(c)->block_io;
  auto check = [&](const std::string& pointer, const std::optional<uint16_t>& w) {
    if (w && *w != 0 && (*w < 10 || *w > 1000)) {
      c.Report(pointer, "blockIO weight " + std::to_string(*w) + " at " + pointer + " is outside 10..1000");
    }
  };
  check("/linux/resources/blockIO/weight", b.weight);
  check("/linux/resources/blockIO/leafWeight", b.leaf_weight);
  for (size_t i = 0; i < b.weight_device.size(); ++i) {
    check(Ptr("/linux/resources/blockIO/weightDevice", i) + "/weight", b.weight_device[i].weight);
    check(Ptr("/linux/resources/blockIO/weightDevice", i) + "/leafWeight", b.weight_device[i].leaf_weight);
  }
}

void UnifiedKey(RuleContext& c) {
  if (!R(c)) return;
  for (const auto& [key, value] : R(c)->unified) {
    if (!IsPlainName(key)) {
      c.Report(Ptr("/linux/resources/unified", key), "unified key " + Quote(key) +
                                                         " is not a plain cgroup file name (no '/', '.', '..')");
    }
  }
}

void SysctlKey(RuleContext& c) {
  if (!L(c)) return;
  for (const auto& [key, value] : L(c)->sysctl) {
    bool bad = key.empty() || key[0] == '/' || key[0] == '.' || key.find("..") != std::string::npos ||
               key.find("//") != std::string::npos || key.back() == '/';
    if (bad) c.Report(Ptr("/linux/sysctl", key), "sysctl key " + Quote(key) + " does not name an entry under /proc/sys");
  }
}

void SysctlNetns(RuleContext& c) {
  if (!L(c) || HasNewNamespace(c, "network")) return;
  for (const auto& [key, value] : L(c)->sysctl) {
    if (key.rfind("net.", 0) == 0 || key.rfind("net/", 0) == 0) {
      c.Report(Ptr("/linux/sysctl", key), "sysctl " + Quote(key) + " needs a new network namespace");
    }
  }
}

void SysctlIpcns(RuleContext& c) {
  if (!L(c) || HasNewNamespace(c, "ipc")) return;
  for (const auto& [key, value] : L(c)->sysctl) {
    bool ipc = key.rfind("kernel.msg", 0) == 0 || key.rfind("kernel.shm", 0) == 0 || key == "kernel.sem" ||
               key.rfind("fs.mqueue.", 0) == 0;
    if (ipc) c.Report(Ptr("/linux/sysctl", key), "sysctl " + Quote(key) + " needs a new ipc namespace");
  }
}

void SeccompErrno(RuleContext& c) {
  if (!L(c) || !L(c)->seccomp) return;
  const auto& calls = L(c)->seccomp->syscalls;
  for (size_t i = 0; i < calls.size(); ++i) {
    if (calls[i].errno_ret && !HasErrno(calls[i].action)) {
      c.Report(Ptr("/linux/seccomp/syscalls", i) + "/errnoRet",
               "seccomp.syscalls[" + std::to_string(i) + "].errnoRet is set but action " + calls[i].action +
                   " returns no errno");
    }
  }
}

void SeccompDefaultErrno(RuleContext& c) {
  if (!L(c) || !L(c)->seccomp) return;
  const Seccomp& s = *L(c)->seccomp;
  if (s.default_errno_ret && !HasErrno(s.default_action)) {
    c.Report("/linux/seccomp/defaultErrnoRet",
             "seccomp.defaultErrnoRet is set but defaultAction " + s.default_action + " returns no errno");
  }
}

void SeccompNotifyListener(RuleContext& c) {
  if (!L(c) || !L(c)->seccomp || L(c)->seccomp->listener_path) return;
  const auto& calls = L(c)->seccomp->syscalls;
  for (size_t i = 0; i < calls.size(); ++i) {
    if (calls[i].action == "SCMP_ACT_NOTIFY") {
      c.Report(Ptr("/linux/seccomp/syscalls", i) + "/action",
               "seccomp.syscalls[" + std::to_string(i) + "] uses SCMP_ACT_NOTIFY but seccomp.listenerPath is not set");
    }
  }
}

void SeccompNotifyDefault(RuleContext& c) {
  if (L(c) && L(c)->seccomp && L(c)->seccomp->default_action == "SCMP_ACT_NOTIFY") {
    c.Report("/linux/seccomp/defaultAction", "seccomp.defaultAction cannot be SCMP_ACT_NOTIFY");
  }
}

void SeccompArgIndex(RuleContext& c) {
  if (!L(c) || !L(c)->seccomp) return;
  const auto& calls = L(c)->seccomp->syscalls;
  for (size_t i = 0; i < calls.size(); ++i) {
    for (size_t j = 0; j < calls[i].args.size(); ++j) {
      if (calls[i].args[j].index > 5) {
        c.Report(Ptr(Ptr("/linux/seccomp/syscalls", i) + "/args", j) + "/index",
                 "seccomp.syscalls[" + std::to_string(i) + "].args[" + std::to_string(j) + "].index " +
                     std::to_string(calls[i].args[j].index) + " is above 5");
      }
    }
  }
}

void MaskedPathsAbsolute(RuleContext& c) {
  if (L(c)) CheckAbsoluteList(c, "maskedPaths", L(c)->masked_paths);
}

void ReadonlyPathsAbsolute(RuleContext& c) {
  if (L(c)) CheckAbsoluteList(c, "readonlyPaths", L(c)->readonly_paths);
}

// runtime-spec 1.0.x: an unknown capability MUST cause an error; 1.1+: it MUST be logged as a warning
// and runtimes SHOULD NOT fail (runc 1.1 warns and ignores it). One check, reported by the rule whose
// level matches the document's ociVersion.
void CapabilitiesKnownAt(RuleContext& c, Level level) {
  if (!c.spec->process || !c.spec->process->capabilities) return;
  bool v10 = c.spec->oci_version.rfind("1.0.", 0) == 0;
  if (v10 != (level == Level::kMust)) return;
  const Capabilities& caps = *c.spec->process->capabilities;
  std::pair<const char*, const std::vector<std::string>*> sets[] = {
      {"bounding", &caps.bounding}, {"effective", &caps.effective}, {"inheritable", &caps.inheritable},
      {"permitted", &caps.permitted}, {"ambient", &caps.ambient}};
  for (const auto& [name, list] : sets) {
    for (size_t i = 0; i < list->size(); ++i) {
      if (!Contains(kCapabilities, (*list)[i])) {
        c.Report(Ptr(Ptr("/process/capabilities", name), i),
                 std::string("process.capabilities.") + name + " has unknown capability " + Quote((*list)[i]));
      }
    }
  }
}
void CapabilitiesKnown(RuleContext& c) { CapabilitiesKnownAt(c, Level::kShould); }
void CapabilitiesKnownV10(RuleContext& c) { CapabilitiesKnownAt(c, Level::kMust); }

void AmbientSubset(RuleContext& c) {
  if (!c.spec->process || !c.spec->process->capabilities) return;
  const Capabilities& caps = *c.spec->process->capabilities;
  auto has = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  for (size_t i = 0; i < caps.ambient.size(); ++i) {
    if (!has(caps.permitted, caps.ambient[i]) || !has(caps.inheritable, caps.ambient[i])) {
      c.Report(Ptr("/process/capabilities/ambient", i), "ambient capability " + Quote(caps.ambient[i]) +
                                                            " is not in both permitted and inheritable");
    }
  }
}

void RlimitsKnown(RuleContext& c) {
  if (!c.spec->process) return;
  const auto& rl = c.spec->process->rlimits;
  for (size_t i = 0; i < rl.size(); ++i) {
    if (!Contains(kRlimits, rl[i].type)) {
      c.Report(Ptr("/process/rlimits", i) + "/type", "process.rlimits[" + std::to_string(i) + "].type " +
                                                         Quote(rl[i].type) + " is not a Linux resource limit");
    }
  }
}

void OomScoreAdjRange(RuleContext& c) {
  if (!c.spec->process || !c.spec->process->oom_score_adj) return;
  int32_t v = *c.spec->process->oom_score_adj;
  if (v < -1000 || v > 1000) {
    c.Report("/process/oomScoreAdj", "process.oomScoreAdj " + std::to_string(v) + " is outside -1000..1000");
  }
}

void HostnameUts(RuleContext& c) {
  if (c.spec->hostname && !c.spec->hostname->empty() && !HasNewNamespace(c, "uts")) {
    c.Report("/hostname", "hostname is set but no new uts namespace is requested");
  }
}

void DomainnameUts(RuleContext& c) {
  if (c.spec->domainname && !c.spec->domainname->empty() && !HasNewNamespace(c, "uts")) {
    c.Report("/domainname", "domainname is set but no new uts namespace is requested");
  }
}

void ClosId(RuleContext& c) {
  if (L(c) && L(c)->intel_rdt && L(c)->intel_rdt->clos_id && !IsPlainName(*L(c)->intel_rdt->clos_id)) {
    c.Report("/linux/intelRdt/closID", "intelRdt.closID " + Quote(*L(c)->intel_rdt->clos_id) +
                                           " is not a plain directory name");
  }
}

}  // namespace ocispec::internal
