// Cgroup layout detection (mountinfo), own-cgroup lookup (/proc/self/cgroup) and path resolution.
#include <algorithm>
#include <array>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/linux/cgroup.h"
#include "runtime/linux/mount_options.h"

namespace ocirun::linux {
namespace {

constexpr std::array<std::string_view, 14> kV1Controllers = {
    "cpu",     "cpuacct",  "cpuset",  "memory",   "devices",    "freezer", "blkio",
    "pids",    "hugetlb",  "net_cls", "net_prio", "perf_event", "rdma",    "misc"};

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    out.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool IsV1Controller(std::string_view name) {
  return std::find(kV1Controllers.begin(), kV1Controllers.end(), name) != kV1Controllers.end();
}

// Joins and normalises: collapses "//", drops "." components. ".." is rejected by the caller.
std::string JoinClean(const std::vector<std::string_view>& parts) {
  std::string out;
  for (std::string_view part : parts) {
    for (const std::string& comp : Split(part, '/')) {
      if (comp.empty() || comp == ".") continue;
      out += "/" + comp;
    }
  }
  return out.empty() ? "/" : out;
}

bool HasDotDot(std::string_view path) {
  for (const std::string& comp : Split(path, '/'))
    if (comp == "..") return true;
  return false;
}

// The caller's own cgroup, relative to the hierarchy mounted with `mount_root`.
std::string OwnRelative(const std::map<std::string, std::string>& own, const std::string& key,
                        const std::string& mount_root) {
  auto it = own.find(key);
  std::string path = it == own.end() ? "/" : it->second;
  if (mount_root != "/" && path.rfind(mount_root, 0) == 0) path = path.substr(mount_root.size());
  return path;
}

base::Status CheckCgroupsPath(const std::string& path) {
  if (path[0] != '/' && std::count(path.begin(), path.end(), ':') == 2)
    return base::InvalidArgument("linux.cgroupsPath \"" + path +
                                 "\": the systemd form slice:prefix:name is not supported by "
                                 "ocirun; use a cgroupfs path such as /mygroup/" +
                                 "container");
  if (HasDotDot(path))
    return base::InvalidArgument("linux.cgroupsPath \"" + path + "\": must not contain \"..\"");
  return base::Status::Ok();
}

}  // namespace

std::string_view LayoutName(CgroupLayout layout) {
  switch (layout) {
    case CgroupLayout::kV1: return "v1";
    case CgroupLayout::kV2: return "v2";
    case CgroupLayout::kHybrid: return "hybrid";
  }
  return "?";
}

base::Result<CgroupMounts> ParseCgroupMounts(std::string_view mountinfo) {
  CgroupMounts mounts;
  std::istringstream in{std::string(mountinfo)};
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f = Split(line, ' ');
    auto dash = std::find(f.begin(), f.end(), "-");
    if (f.size() < 7 || dash == f.end() || f.end() - dash < 4) continue;
    const std::string& fstype = dash[1];
    std::string root = UnescapeMountField(f[3]);
    std::string point = UnescapeMountField(f[4]);
    if (fstype == "cgroup2") {
      if (mounts.unified.empty()) mounts.unified = point;
    } else if (fstype == "cgroup") {
      for (const std::string& opt : Split(dash[3], ',')) {
        if (!IsV1Controller(opt) || mounts.v1.count(opt)) continue;
        mounts.v1[opt] = point;
        mounts.v1_roots[opt] = root;
      }
    }
  }
  if (mounts.v1.empty() && mounts.unified.empty())
    return base::NotFound("no cgroup filesystem is mounted (checked /proc/self/mountinfo)");
  if (mounts.v1.empty()) mounts.layout = CgroupLayout::kV2;
  else mounts.layout = mounts.unified.empty() ? CgroupLayout::kV1 : CgroupLayout::kHybrid;
  return mounts;
}

std::map<std::string, std::string> ParseProcCgroup(std::string_view text) {
  std::map<std::string, std::string> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    size_t a = line.find(':');
    size_t b = a == std::string::npos ? a : line.find(':', a + 1);
    if (b == std::string::npos) continue;
    std::string path = line.substr(b + 1);
    std::string ctrls = line.substr(a + 1, b - a - 1);
    if (ctrls.empty()) out[""] = path;
    for (const std::string& c : Split(ctrls, ','))
      if (!c.empty()) out[c] = path;
  }
  return out;
}

std::string CgroupPaths::Serialize() const {
  nlohmann::json j = {{"layout", LayoutName(layout)}, {"dirs", dirs}};
  return j.dump();
}

base::Result<CgroupPaths> CgroupPaths::Parse(std::string_view json) {
  try {
    nlohmann::json j = nlohmann::json::parse(json);
    CgroupPaths paths;
    std::string layout = j.at("layout").get<std::string>();
    if (layout == "v1") paths.layout = CgroupLayout::kV1;
    else if (layout == "v2") paths.layout = CgroupLayout::kV2;
    else if (layout == "hybrid") paths.layout = CgroupLayout::kHybrid;
    else return base::InvalidArgument("cgroup paths: unknown layout \"" + layout + "\"");
    paths.dirs = j.at("dirs").get<std::map<std::string, std::string>>();
    if (paths.dirs.empty()) return base::InvalidArgument("cgroup paths: no directories");
    return paths;
  } catch (const nlohmann::json::exception& e) {
    return base::InvalidArgument(std::string("cgroup paths: ") + e.what());
  }
}

base::Result<CgroupPaths> ResolveCgroupPaths(const CgroupConfig& config, CgroupOs& os) {
  std::string rel = config.cgroups_path.value_or("");
  if (!rel.empty()) RETURN_IF_ERROR(CheckCgroupsPath(rel));
  if (rel.empty()) {
    if (config.container_id.empty() || config.container_id.find('/') != std::string::npos ||
        HasDotDot(config.container_id))
      return base::InvalidArgument("cgroup name from container id \"" + config.container_id +
                                   "\" is not a valid directory name");
    rel = config.container_id;
  }
  ASSIGN_OR_RETURN_CTX(std::string mountinfo, os.Read("/proc/self/mountinfo"), "detect cgroups");
  ASSIGN_OR_RETURN_CTX(CgroupMounts mounts, ParseCgroupMounts(mountinfo), "detect cgroups");
  std::map<std::string, std::string> own;
  if (rel[0] != '/') {
    ASSIGN_OR_RETURN_CTX(std::string text, os.Read("/proc/self/cgroup"), "find own cgroup");
    own = ParseProcCgroup(text);
  }
  CgroupPaths paths;
  paths.layout = mounts.layout;
  if (mounts.layout == CgroupLayout::kV2) {
    std::string base = rel[0] == '/' ? "/" : OwnRelative(own, "", "/");
    paths.dirs["unified"] = JoinClean({mounts.unified, base, rel});
    return paths;
  }
  for (const auto& [ctrl, point] : mounts.v1) {
    std::string base = rel[0] == '/' ? "/" : OwnRelative(own, ctrl, mounts.v1_roots[ctrl]);
    paths.dirs[ctrl] = JoinClean({point, base, rel});
  }
  return paths;
}

}  // namespace ocirun::linux
