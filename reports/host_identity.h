// Who produced a result: the host (OS, edition, build, kernel, cgroup layout, CPU, memory,
// virtualization), the runtimes' digests, the suite version and the exact command line. Recorded as
// "identity" in results.json (ocicert.conform/v2) and bench.json (ocicert.bench/v2); `report merge`
// reads it to tell hosts apart. harness/host_identity*.cc collects it on each platform.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace reports {

struct HostFacts {
  std::string hostname;
  std::string os_family;        // "linux" or "windows"
  std::string os;               // "Debian GNU/Linux 12 (bookworm)", "Windows Server 2022 Datacenter"
  std::string edition;          // Windows EditionID ("ServerDatacenter"); Linux: os-release VARIANT_ID or ""
  std::string build;            // Windows CurrentBuildNumber ("20348"); Linux: os-release VERSION_ID
  std::string ubr;              // Windows update build revision ("2762"); "" on Linux
  std::string display_version;  // Windows DisplayVersion ("21H2"); "" on Linux
  std::string kernel;           // uname release, or "Windows NT 10.0 build 20348.2762"
  std::string arch;             // x86_64, aarch64
  std::string cgroup;           // "v1", "hybrid", "v2", "none" (no cgroup mounts), "n/a" (Windows)
  std::string cpu_model;
  int cpus = 0;
  uint64_t memory_bytes = 0;
  std::string virtualization;   // "none", "kvm", "hyperv", "vmware", "xen", "qemu", "wine", "vm" (unknown kind)
};

struct RuntimeDigest {
  std::string name;
  std::string path;
  std::string version;
  std::string sha256;  // of the file at `path`; "" when it could not be read (see `digest_error`)
  std::string digest_error;
};

struct HostIdentity {
  bool present = false;  // false for schema v1 files, which carry no identity
  HostFacts host;
  std::string suite_version;              // ocicert's version
  std::vector<std::string> command_line;  // argv as given
  std::vector<RuntimeDigest> runtimes;

  // "20348.2762" on Windows, the build alone without a UBR, "" when unknown.
  std::string FullBuild() const;
  // The host-build axis of a merged matrix: "Windows Server 2022 Datacenter 20348.2762" or
  // "Debian GNU/Linux 12 (bookworm), kernel 6.1.0-18, cgroup v2".
  std::string HostBuildLabel() const;
};

nlohmann::ordered_json HostIdentityToJson(const HostIdentity& id);
// Parses the "identity" object; throws std::runtime_error naming the field ("identity.host.cpus: not
// a number") on a malformed one (callers turn it into a Status).
HostIdentity HostIdentityFromJson(const nlohmann::json& j);

// The fields a hosts.json entry may match on (`report merge --expect`): hostname, os_family, os,
// edition, build, ubr, display_version, kernel, arch, cgroup, virtualization; "" for other names.
std::string HostField(const HostFacts& h, const std::string& field);
bool IsHostField(const std::string& field);

}  // namespace reports
