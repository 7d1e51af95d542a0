#include "conformance/cgroups.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>

#include "base/file.h"

namespace conform::cgroups {
namespace {

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(s);
  while (std::getline(in, field, sep)) out.push_back(field);
  if (!s.empty() && s.back() == sep) out.push_back("");
  return out;
}

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string Unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && std::isdigit(s[i + 1]) && std::isdigit(s[i + 2]) &&
        std::isdigit(s[i + 3])) {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

// v1 controllers from a cgroup mount's super options ("rw,memory" -> memory; "rw,name=systemd").
std::vector<std::string> ControllersOf(const std::string& super_options) {
  static const std::vector<std::string> kNotControllers = {"rw", "ro", "relatime", "noprefix", "xattr",
                                                           "clone_children", "cpuset_v2_mode", "nsdelegate"};
  std::vector<std::string> out;
  for (const std::string& o : Split(super_options, ',')) {
    if (o.empty() || o.rfind("release_agent=", 0) == 0) continue;
    if (std::find(kNotControllers.begin(), kNotControllers.end(), o) != kNotControllers.end()) continue;
    out.push_back(o);
  }
  return out;
}

bool Has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// `path` relative to a hierarchy mount whose root is `root`: "" when the path is not under the root.
bool RelativeTo(const std::string& root, const std::string& path, std::string& rel) {
  std::string r = CleanPath(root), p = path;
  if (r == "/") {
    rel = p == "/" ? "" : p;
    return true;
  }
  if (p == r) {
    rel = "";
    return true;
  }
  if (p.rfind(r + "/", 0) != 0) return false;
  rel = p.substr(r.size());
  return true;
}

// Joins without cleaning away "..": where a naive runtime's mkdir(mount + path) would land, cleaned.
std::string LexicalJoin(const std::string& dir, const std::string& path) {
  return CleanPath(dir + "/" + path);
}

}  // namespace

std::string Layout::Kind() const {
  bool v1 = false, v2 = false;
  for (const Hierarchy& h : hierarchies) (h.v2 ? v2 : v1) = true;
  if (v1 && v2) return "hybrid";
  if (v2) return "v2";
  if (v1) return "v1";
  return "none";
}

const Hierarchy* Layout::V1For(const std::string& controller) const {
  for (const Hierarchy& h : hierarchies)
    if (!h.v2 && Has(h.controllers, controller)) return &h;
  return nullptr;
}

const Hierarchy* Layout::V2() const {
  for (const Hierarchy& h : hierarchies)
    if (h.v2) return &h;
  return nullptr;
}

std::string CleanPath(const std::string& path) {
  std::string p = std::filesystem::path("/" + path).lexically_normal().generic_string();
  // lexically_normal keeps "/.." at the root as "/"; drop a trailing slash.
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

Layout ParseMountInfo(const std::string& mountinfo) {
  Layout layout;
  std::istringstream in(mountinfo);
  std::string line;
  while (std::getline(in, line)) {
    // id parent major:minor root mount-point options [optional...] - fstype source super-options
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string w; fields >> w;) f.push_back(w);
    auto dash = std::find(f.begin(), f.end(), "-");
    if (f.size() < 5 || dash == f.end() || dash + 3 > f.end()) continue;
    const std::string& fstype = *(dash + 1);
    if (fstype != "cgroup" && fstype != "cgroup2") continue;
    Hierarchy h;
    h.root = Unescape(f[3]);
    h.mount_point = Unescape(f[4]);
    h.v2 = fstype == "cgroup2";
    if (!h.v2) h.controllers = ControllersOf(*(dash + 3));
    // A hierarchy mounted twice (a bind): the first mount serves.
    bool seen = false;
    for (const Hierarchy& o : layout.hierarchies) seen |= o.v2 == h.v2 && o.controllers == h.controllers && o.root == h.root;
    if (!seen) layout.hierarchies.push_back(std::move(h));
  }
  return layout;
}

std::vector<Membership> ParseProcCgroup(const std::string& text) {
  std::vector<Membership> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    size_t a = line.find(':');
    size_t b = a == std::string::npos ? a : line.find(':', a + 1);
    if (b == std::string::npos) continue;
    Membership m;
    std::string id = line.substr(0, a), ctls = line.substr(a + 1, b - a - 1);
    m.path = line.substr(b + 1);
    m.v2 = id == "0" && ctls.empty();
    if (!m.v2) m.controllers = Split(ctls, ',');
    out.push_back(std::move(m));
  }
  return out;
}

Layout HostLayout() { return ParseMountInfo(base::ReadFile("/proc/self/mountinfo").value_or("")); }

Location Locate(const Layout& layout, const std::vector<Membership>& memberships, const std::string& controller) {
  Location loc;
  auto place = [&](const Hierarchy& h, const Membership& m) {
    std::string rel;
    if (!RelativeTo(h.root, m.path, rel)) return false;
    loc.v2 = h.v2;
    loc.path = m.path;
    loc.dir = h.mount_point + rel;
    return true;
  };
  if (const Hierarchy* h = layout.V1For(controller)) {
    for (const Membership& m : memberships)
      if (!m.v2 && Has(m.controllers, controller) && place(*h, m)) return loc;
    return loc;  // the controller is on a v1 hierarchy: the v2 one does not have it
  }
  if (const Hierarchy* h = layout.V2()) {
    for (const Membership& m : memberships)
      if (m.v2 && place(*h, m)) return loc;
  }
  return loc;
}

Location LocateProcess(const Layout& layout, int pid, const std::string& controller) {
  if (pid <= 0) return {};
  auto text = base::ReadFile("/proc/" + std::to_string(pid) + "/cgroup");
  if (!text.ok()) return {};
  return Locate(layout, ParseProcCgroup(*text), controller);
}

std::vector<std::string> Candidates(const Layout& layout, const std::string& cgroup_path) {
  std::vector<std::string> out;
  if (cgroup_path.empty()) return out;
  for (const Hierarchy& h : layout.hierarchies) {
    // A runtime that cleans the path lands inside the hierarchy (under the mount's root); one that
    // joins it to the mount point as given lands where the lexical join does ("/../x": outside).
    std::string rel;
    if (RelativeTo(h.root, CleanPath(cgroup_path), rel)) out.push_back(h.mount_point + rel);
    out.push_back(LexicalJoin(h.mount_point, cgroup_path));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> Existing(const Layout& layout, const std::string& cgroup_path) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const std::string& dir : Candidates(layout, cgroup_path))
    if (std::filesystem::is_directory(dir, ec)) out.push_back(dir);
  return out;
}

bool InsideHierarchy(const Layout& layout, const std::string& dir) {
  std::string d = CleanPath(dir);
  for (const Hierarchy& h : layout.hierarchies) {
    std::string m = CleanPath(h.mount_point);
    if (d == m || d.rfind(m + "/", 0) == 0) return true;
  }
  return false;
}

std::vector<long long> CpuWeightsForShares(long long shares) {
  if (shares < 2) shares = 2;
  if (shares > 262144) shares = 262144;
  return {1 + ((shares - 2) * 9999) / 262142};
}

}  // namespace conform::cgroups
