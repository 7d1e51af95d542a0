// cgroups as the host sees them, on any layout: pure v2 (one cgroup2 mount), v1 (one mount per
// controller set) and hybrid (v1 controllers plus a cgroup2 mount, usually /sys/fs/cgroup/unified).
// A container's cgroup is found from /proc/<pid>/cgroup and the mount table (/proc/self/mountinfo),
// never from guessed /sys paths; a cgroup path with no process left (a refused create, a delete) is
// looked up in every hierarchy. The parsers are pure functions of the texts, unit-tested on fixtures.
#pragma once

#include <string>
#include <vector>

namespace conform::cgroups {

// One cgroup mount.
struct Hierarchy {
  std::string mount_point;               // "/sys/fs/cgroup/memory"
  std::string root = "/";                // the mount's root within the hierarchy (a bind or cgroup namespace)
  bool v2 = false;
  std::vector<std::string> controllers;  // v1: from the super options ("cpu", "cpuacct", "name=systemd")
};

struct Layout {
  std::vector<Hierarchy> hierarchies;
  // "v2" (only cgroup2), "v1" (only cgroup), "hybrid" (both), "none".
  std::string Kind() const;
  // The v1 hierarchy holding a controller, else nullptr.
  const Hierarchy* V1For(const std::string& controller) const;
  // The cgroup2 mount, else nullptr.
  const Hierarchy* V2() const;
};

// One line of /proc/<pid>/cgroup: "4:memory:/path" (v1) or "0::/path" (v2).
struct Membership {
  bool v2 = false;
  std::vector<std::string> controllers;
  std::string path;
};

Layout ParseMountInfo(const std::string& mountinfo);
std::vector<Membership> ParseProcCgroup(const std::string& text);
// The host's layout, from /proc/self/mountinfo.
Layout HostLayout();

// Where a process's cgroup for `controller` ("memory", "pids", "cpu", "devices", ...) is: its path in
// the hierarchy (as /proc/<pid>/cgroup gives it) and the host folder. The v1 hierarchy holding the
// controller wins (hybrid hosts put resources there); otherwise the v2 one. Empty when the process
// belongs to no such hierarchy or it is not mounted here.
struct Location {
  bool v2 = false;
  std::string path;  // "/oct-conform-…"
  std::string dir;   // "/sys/fs/cgroup/memory/oct-conform-…"
  bool found() const { return !dir.empty(); }
};
Location Locate(const Layout& layout, const std::vector<Membership>& memberships, const std::string& controller);
// Reads /proc/<pid>/cgroup; not found when the process is gone.
Location LocateProcess(const Layout& layout, int pid, const std::string& controller);

// The host folders a cgroup path (absolute within the hierarchy, as cgroupsPath) maps to, one per
// mounted hierarchy whose root contains it. Paths are normalized lexically; a path that leaves the
// hierarchy ("/../x") maps to where the lexical join would land, outside every mount.
std::vector<std::string> Candidates(const Layout& layout, const std::string& cgroup_path);
// Those candidates that exist on the host now.
std::vector<std::string> Existing(const Layout& layout, const std::string& cgroup_path);
// Whether a host folder lies inside (or is) one of the hierarchy mounts.
bool InsideHierarchy(const Layout& layout, const std::string& dir);
// "/a/../b/" -> "/b"; never above "/".
std::string CleanPath(const std::string& path);

// cpu.shares on v1 becomes cpu.weight on v2. The weights accepted for a shares value: runc's and crun's
// linear conversion, 1 + (shares - 2) * 9999 / 262142 (the one the OCI runtimes document). A runtime
// converting otherwise fails config.cgroups.resources on a v2 host (none is known here; no v2 run).
std::vector<long long> CpuWeightsForShares(long long shares);

}  // namespace conform::cgroups
