// Collects reports::HostIdentity for `ocicert conform` and `ocicert bench`. The platform facts come
// from host_identity_posix.cc (/etc/os-release, /proc, /sys, the mount table) or host_identity_win32.cc
// (the registry's CurrentVersion key, GlobalMemoryStatusEx, the BIOS key), chosen by CMake; the text
// parsers below are portable so that they are tested on every build.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reports/host_identity.h"

namespace harness::host {

struct RuntimeToDigest {
  std::string name, path, version;
};

// Everything: this host's facts, the suite version, the command line, and a sha256 of each runtime binary (an
// unreadable one gets digest_error instead; never a failure of the run).
reports::HostIdentity CollectIdentity(const std::vector<RuntimeToDigest>& runtimes, const std::string& suite_version,
                                      const std::vector<std::string>& command_line);

// This host's facts (platform file).
reports::HostFacts CollectHostFacts();

// --- Portable parsers, each of one file's text ---

// /proc/self/mountinfo -> "v2" (only cgroup2 at /sys/fs/cgroup), "hybrid" (v1 controllers plus a
// cgroup2 mount, e.g. /sys/fs/cgroup/unified), "v1" (v1 controllers only), "none" (no cgroup mount).
std::string CgroupLayoutFromMountinfo(std::string_view mountinfo);
// /proc/cpuinfo -> the first "model name" (x86) or "Model"/"CPU part" line's value; "" when absent.
std::string CpuModelFromCpuinfo(std::string_view cpuinfo);
// True when /proc/cpuinfo's flags carry "hypervisor" (the CPUID bit a hypervisor sets).
bool CpuinfoHasHypervisorFlag(std::string_view cpuinfo);
// /proc/meminfo -> MemTotal in bytes; 0 when absent.
uint64_t MemTotalFromMeminfo(std::string_view meminfo);
// A value of /etc/os-release ("PRETTY_NAME" -> "Debian GNU/Linux 12 (bookworm)"), quotes removed.
std::string OsReleaseValue(std::string_view os_release, std::string_view key);
// The kind of virtual machine from the firmware's vendor and product strings (DMI sys_vendor /
// product_name, or the Windows BIOS key): "kvm", "qemu", "hyperv", "vmware", "xen", "virtualbox",
// "amazon", "google", ""(no known marker). Matches systemd-detect-virt's DMI table.
std::string VirtualizationFromDmi(std::string_view vendor, std::string_view product);

}  // namespace harness::host
