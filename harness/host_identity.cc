#include "harness/host_identity.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "harness/sha256.h"

namespace harness::host {
namespace {

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// "key<sep>value" lines: the value of the first line whose trimmed key equals `key`.
std::string LineValue(std::string_view text, std::string_view key, char sep) {
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    size_t at = line.find(sep);
    if (at != std::string::npos && Trim(std::string_view(line).substr(0, at)) == key)
      return Trim(std::string_view(line).substr(at + 1));
  }
  return "";
}

}  // namespace

std::string CgroupLayoutFromMountinfo(std::string_view mountinfo) {
  bool v1 = false, v2 = false;
  std::istringstream in{std::string(mountinfo)};
  std::string line;
  while (std::getline(in, line)) {
    // "36 25 0:31 / /sys/fs/cgroup rw,... shared:9 - cgroup2 cgroup2 rw": the type follows " - ".
    size_t dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    std::istringstream rest(line.substr(dash + 3));
    std::string fstype;
    rest >> fstype;
    if (fstype == "cgroup2") v2 = true;
    if (fstype == "cgroup") v1 = true;
  }
  if (v1 && v2) return "hybrid";
  if (v1) return "v1";
  if (v2) return "v2";
  return "none";
}

std::string CpuModelFromCpuinfo(std::string_view cpuinfo) {
  for (const char* key : {"model name", "Model", "Hardware", "CPU part"}) {
    std::string v = LineValue(cpuinfo, key, ':');
    if (!v.empty()) return v;
  }
  return "";
}

bool CpuinfoHasHypervisorFlag(std::string_view cpuinfo) {
  std::istringstream flags(LineValue(cpuinfo, "flags", ':'));
  std::string f;
  while (flags >> f)
    if (f == "hypervisor") return true;
  return false;
}

uint64_t MemTotalFromMeminfo(std::string_view meminfo) {
  std::istringstream v(LineValue(meminfo, "MemTotal", ':'));  // "16318412 kB"
  uint64_t kb = 0;
  v >> kb;
  return kb * 1024;
}

std::string OsReleaseValue(std::string_view os_release, std::string_view key) {
  std::string v = LineValue(os_release, key, '=');
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) v = v.substr(1, v.size() - 2);
  return v;
}

std::string VirtualizationFromDmi(std::string_view vendor, std::string_view product) {
  // systemd's detect-virt.c dmi_vendor_table, matched on prefixes of the vendor or product.
  static const std::pair<const char*, const char*> kTable[] = {
      {"kvm", "kvm"},          {"openstack", "kvm"},  {"kubevirt", "kvm"},         {"amazon ec2", "amazon"},
      {"qemu", "qemu"},        {"vmware", "vmware"},  {"innotek gmbh", "virtualbox"}, {"oracle corporation", "virtualbox"},
      {"virtualbox", "virtualbox"}, {"xen", "xen"},   {"bochs", "bochs"},          {"parallels", "parallels"},
      {"bhyve", "bhyve"},      {"google", "google"},  {"microsoft corporation virtual machine", "hyperv"}};
  std::string v = Lower(Trim(vendor)), p = Lower(Trim(product)), both = v + " " + p;
  for (const auto& [prefix, kind] : kTable) {
    if (v.rfind(prefix, 0) == 0 || p.rfind(prefix, 0) == 0 || both.rfind(prefix, 0) == 0) return kind;
  }
  return "";
}

reports::HostIdentity CollectIdentity(const std::vector<RuntimeToDigest>& runtimes, const std::string& suite_version,
                                      const std::vector<std::string>& command_line) {
  reports::HostIdentity id;
  id.present = true;
  id.host = CollectHostFacts();
  id.suite_version = suite_version;
  id.command_line = command_line;
  for (const RuntimeToDigest& rt : runtimes) {
    reports::RuntimeDigest d{rt.name, rt.path, rt.version, "", ""};
    d.sha256 = Sha256OfFile(rt.path);
    if (d.sha256.empty()) d.digest_error = "cannot read " + rt.path;
    id.runtimes.push_back(std::move(d));
  }
  return id;
}

}  // namespace harness::host
