#include "runtime/linux/capabilities.h"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

namespace ocirun::linux {
namespace {

constexpr const char* kNames[] = {
    "CAP_CHOWN",          "CAP_DAC_OVERRIDE",    "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
    "CAP_FSETID",         "CAP_KILL",            "CAP_SETGID",          "CAP_SETUID",
    "CAP_SETPCAP",        "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",      "CAP_NET_RAW",         "CAP_IPC_LOCK",        "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",     "CAP_SYS_RAWIO",       "CAP_SYS_CHROOT",      "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",      "CAP_SYS_ADMIN",       "CAP_SYS_BOOT",        "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",   "CAP_SYS_TIME",        "CAP_SYS_TTY_CONFIG",  "CAP_MKNOD",
    "CAP_LEASE",          "CAP_AUDIT_WRITE",     "CAP_AUDIT_CONTROL",   "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",   "CAP_MAC_ADMIN",       "CAP_SYSLOG",          "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",  "CAP_AUDIT_READ",      "CAP_PERFMON",         "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

int LastCap() {
  static int last = [] {
    int v = 40;
    if (FILE* f = std::fopen("/proc/sys/kernel/cap_last_cap", "re")) {
      if (std::fscanf(f, "%d", &v) != 1) v = 40;
      std::fclose(f);
    }
    return v;
  }();
  return last;
}

base::Result<uint64_t> Mask(const std::vector<std::string>& names) {
  uint64_t mask = 0;
  for (const std::string& n : names) {
    // Names this build or kernel does not know are ignored, as runc 1.1 does (it only warns).
    auto bit = CapabilityNumber(n);
    if (bit.ok() && *bit <= LastCap()) mask |= uint64_t{1} << *bit;
  }
  return mask;
}

}  // namespace

base::Result<int> CapabilityNumber(const std::string& name) {
  for (size_t i = 0; i < std::size(kNames); ++i) {
    if (name == kNames[i]) return static_cast<int>(i);
  }
  return base::InvalidArgument("unknown capability \"" + name + "\"");
}

std::vector<std::string> AllCapabilityNames() { return {std::begin(kNames), std::end(kNames)}; }

base::Status DropBoundingSet(const ocispec::Capabilities& caps) {
  ASSIGN_OR_RETURN(uint64_t keep, Mask(caps.bounding));
  for (int cap = 0; cap <= LastCap(); ++cap) {
    if (keep & (uint64_t{1} << cap)) continue;
    if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) {
      return base::ErrnoError("drop capability " + std::to_string(cap) + " from the bounding set");
    }
  }
  return base::Status::Ok();
}

base::Status ApplyCapabilitySets(const ocispec::Capabilities& caps) {
  ASSIGN_OR_RETURN(uint64_t eff, Mask(caps.effective));
  ASSIGN_OR_RETURN(uint64_t perm, Mask(caps.permitted));
  ASSIGN_OR_RETURN(uint64_t inh, Mask(caps.inheritable));
  ASSIGN_OR_RETURN(uint64_t amb, Mask(caps.ambient));
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  data[0] = {static_cast<uint32_t>(eff), static_cast<uint32_t>(perm), static_cast<uint32_t>(inh)};
  data[1] = {static_cast<uint32_t>(eff >> 32), static_cast<uint32_t>(perm >> 32),
             static_cast<uint32_t>(inh >> 32)};
  if (::syscall(SYS_capset, &header, data) != 0) return base::ErrnoError("capset");
  ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  for (int cap = 0; cap <= LastCap(); ++cap) {
    if (!(amb & (uint64_t{1} << cap))) continue;
    // Raising needs the capability in permitted and inheritable; runc ignores the failure too.
    ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0);
  }
  return base::Status::Ok();
}

}  // namespace ocirun::linux
