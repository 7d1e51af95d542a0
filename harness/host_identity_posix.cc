// Host facts on Linux: /etc/os-release, uname, /proc/cpuinfo, /proc/meminfo, the mount table and the
// firmware's DMI strings.
#include <sys/utsname.h>

#include <thread>

#include "base/file.h"
#include "harness/host_identity.h"

namespace harness::host {
namespace {

std::string ReadOr(const std::string& path) {
  auto text = base::ReadFile(path);
  return text.ok() ? *text : "";
}

std::string FirstLine(const std::string& path) {
  std::string text = ReadOr(path);
  return text.substr(0, text.find('\n'));
}

// The DMI strings first (they name the hypervisor), then the CPUID bit alone ("vm": some kind).
std::string Virtualization(const std::string& cpuinfo) {
  std::string kind = VirtualizationFromDmi(FirstLine("/sys/class/dmi/id/sys_vendor"),
                                           FirstLine("/sys/class/dmi/id/product_name"));
  if (!kind.empty()) return kind;
  if (CpuinfoHasHypervisorFlag(cpuinfo)) return "vm";
  return "none";
}

}  // namespace

reports::HostFacts CollectHostFacts() {
  reports::HostFacts h;
  struct utsname u {};
  ::uname(&u);
  std::string os_release = ReadOr("/etc/os-release");
  if (os_release.empty()) os_release = ReadOr("/usr/lib/os-release");
  std::string cpuinfo = ReadOr("/proc/cpuinfo");
  h.hostname = u.nodename;
  h.os_family = "linux";
  h.os = OsReleaseValue(os_release, "PRETTY_NAME");
  if (h.os.empty()) h.os = u.sysname;
  h.edition = OsReleaseValue(os_release, "VARIANT_ID");
  h.build = OsReleaseValue(os_release, "VERSION_ID");
  h.kernel = u.release;
  h.arch = u.machine;
  h.cgroup = CgroupLayoutFromMountinfo(ReadOr("/proc/self/mountinfo"));
  h.cpu_model = CpuModelFromCpuinfo(cpuinfo);
  h.cpus = static_cast<int>(std::thread::hardware_concurrency());
  h.memory_bytes = MemTotalFromMeminfo(ReadOr("/proc/meminfo"));
  h.virtualization = Virtualization(cpuinfo);
  return h;
}

}  // namespace harness::host
