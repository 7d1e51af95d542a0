// config (parity with runc and crun): behaviours an outside conformance suite found ocirun getting
// wrong (issue 11 item 7), each checked against what the spec says and runc and crun do:
//   config.fs.device-modes         linux.devices fileMode is the node's exact mode (no umask), owner too
//   config.fs.rootfs-propagation   each of the four linux.rootfsPropagation values on "/" in mountinfo
//   config.cgroups.hugepage-limits linux.resources.hugepageLimits written to the hugetlb controller
//   config.namespaces.omitted-mount no mount entry in linux.namespaces: the caller's mount namespace
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/file.h"
#include "conformance/case.h"
#include "conformance/helpers.h"

namespace conform {
namespace {

using Json = nlohmann::json;

std::string Octal(const Json& mode) {
  if (!mode.is_number_integer()) return mode.dump();
  char buf[16];
  std::snprintf(buf, sizeof buf, "0%o", mode.get<unsigned>());
  return buf;
}

// config-linux.md#devices: "fileMode (uint32, OPTIONAL) - file mode for the device". Modes that a
// umask of 022 would change (0660, 0666, 0622) and owners other than root.
void DeviceModes(CaseContext& ctx) {
  Container c = ctx.NewContainer("devmodes");
  struct Want { const char* name; const char* type; int major, minor; unsigned mode; int uid, gid; };
  const Want wants[] = {{"oct-m660", "c", 1, 3, 0660, 1000, 1001},
                        {"oct-m666", "c", 1, 5, 0666, 0, 0},
                        {"oct-fifo", "p", 0, 0, 0622, 1002, 1003}};
  c.config["linux"]["devices"] = Json::array();
  for (const Want& w : wants) {
    Json d = {{"path", std::string("/dev/") + w.name}, {"type", w.type}, {"fileMode", w.mode},
              {"uid", w.uid}, {"gid", w.gid}};
    if (std::string(w.type) != "p") d["major"] = w.major, d["minor"] = w.minor;
    c.config["linux"]["devices"].push_back(d);
  }
  Json r = RunProbe(ctx, c);
  for (const Want& w : wants) {
    const Json& d = r["dev"][w.name];
    std::string path = std::string("/dev/") + w.name;
    if (!d.is_object()) {
      ctx.Check(false, path + " is missing");
      continue;
    }
    ctx.Check(d["type"] == w.type, path + " has type " + d["type"].dump() + ", want " + w.type);
    ctx.Check(d["mode"] == w.mode, path + " has mode " + Octal(d["mode"]) + ", want " + Octal(w.mode));
    ctx.Check(d["uid"] == w.uid && d["gid"] == w.gid,
              path + " is owned by " + d["uid"].dump() + ":" + d["gid"].dump() + ", want " +
                  std::to_string(w.uid) + ":" + std::to_string(w.gid));
  }
}

// The optional fields of the mount at "/" as the container sees it (the last "/" line is the one
// visible), or nullopt when the probe saw none.
std::optional<std::string> RootOptional(const Json& report) {
  std::optional<std::string> out;
  for (const Json& m : report["mounts"])
    if (m["mount_point"] == "/") out = m.value("optional", std::string());
  return out;
}

bool HasTag(const std::string& optional, const std::string& prefix) {
  size_t at = 0;
  while ((at = optional.find(prefix, at)) != std::string::npos) {
    if (at == 0 || optional[at - 1] == ' ') return true;
    at += prefix.size();
  }
  return false;
}

// config-linux.md#rootfs-mount-propagation: "rootfsPropagation (string, OPTIONAL) sets the rootfs's
// mount propagation. Its value is either shared, slave, private or unbindable". Seen from inside in /proc/self/mountinfo (proc(5)): shared:N for a shared mount,
// master:N for a slave, "unbindable", and none of them for a private one.
bool RootIsShared();

void RootfsPropagation(CaseContext& ctx) {
  const bool host_shared = RootIsShared();
  struct Want { const char* value; const char* tag; };  // tag "" = private: no shared:, master:, unbindable
  // The spec's four values only: its schema (config-linux.json) allows no r* form.
  const Want wants[] = {{"private", ""}, {"slave", "master:"}, {"shared", "shared:"}, {"unbindable", "unbindable"}};
  for (const Want& w : wants) {
    Container c = ctx.NewContainer(std::string("prop-") + w.value);
    c.config["linux"]["rootfsPropagation"] = w.value;
    Json r = RunProbe(ctx, c);
    std::optional<std::string> opt = RootOptional(r);
    if (!opt) {
      ctx.Check(false, std::string(w.value) + ": the probe saw no \"/\" mount");
      continue;
    }
    std::string seen = opt->empty() ? "no propagation fields (private)" : "\"" + *opt + "\"";
    bool shared = HasTag(*opt, "shared:"), slave = HasTag(*opt, "master:"), unbindable = HasTag(*opt, "unbindable");
    std::string want = w.tag;
    // A slave of a private mount is private: master:N shows only where the rootfs's mount, under
    // the harness's "/", has a peer group to receive from.
    bool ok = want.empty()       ? !shared && !slave && !unbindable
              : want == "master:" ? (host_shared ? slave && !shared : !shared && !unbindable)
                                  : HasTag(*opt, want);
    ctx.Check(ok, std::string("rootfsPropagation ") + w.value + ": \"/\" has " + seen + ", want " +
                      (want.empty() ? "none of shared:, master:, unbindable" : want));
  }
}

// The hugetlb controller's folder for the container's cgroup (v1 hierarchy or v2 unified), "" when
// the host has no hugetlb controller; and the smallest page size the kernel offers, as "2MB".
std::string HugetlbDir(const std::string& cg) {
  std::error_code ec;
  if (std::filesystem::exists("/sys/fs/cgroup/hugetlb", ec)) return "/sys/fs/cgroup/hugetlb" + cg;
  std::string controllers = base::ReadFile("/sys/fs/cgroup/cgroup.controllers").value_or("");
  if (controllers.find("hugetlb") != std::string::npos) return "/sys/fs/cgroup" + cg;
  return "";
}

std::string SmallestPageSize() {
  std::error_code ec;
  uint64_t best = 0;
  for (const auto& e : std::filesystem::directory_iterator("/sys/kernel/mm/hugepages", ec)) {
    std::string n = e.path().filename().string();  // hugepages-2048kB
    if (n.rfind("hugepages-", 0) != 0) continue;
    uint64_t kb = std::strtoull(n.c_str() + 10, nullptr, 10);
    if (kb && (!best || kb < best)) best = kb;
  }
  if (!best) return "";
  if (best % (1024 * 1024) == 0) return std::to_string(best / (1024 * 1024)) + "GB";
  if (best % 1024 == 0) return std::to_string(best / 1024) + "MB";
  return std::to_string(best) + "KB";
}

// config-linux.md#huge-page-limits: "hugepageLimits ... represents the hugetlb controller". runc
// writes hugetlb.<size>.limit_in_bytes (v1) or hugetlb.<size>.max (v2).
void HugepageLimits(CaseContext& ctx) {
  Container c = ctx.NewContainer("hugetlb");
  std::string size = SmallestPageSize();
  if (size.empty()) ctx.Skip("the kernel offers no huge page size (/sys/kernel/mm/hugepages is empty)");
  if (HugetlbDir(c.CgroupsPath()).empty()) ctx.Skip("this host has no hugetlb cgroup controller (v1 or v2)");
  const uint64_t limit = 4ull << 30;  // a multiple of every huge page size
  c.config["linux"]["resources"]["hugepageLimits"] = {{{"pageSize", size}, {"limit", limit}}};
  MakeStatus(ctx, c, "created");
  std::string dir = HugetlbDir(c.CgroupsPath());
  std::string v1 = dir + "/hugetlb." + size + ".limit_in_bytes", v2 = dir + "/hugetlb." + size + ".max";
  std::string got = base::ReadFile(v1).value_or(base::ReadFile(v2).value_or("<missing>"));
  ctx.Check(got == std::to_string(limit) + "\n", "hugetlb." + size + " limit in " + dir + " is " + got);
}

// True when "/" of the mount namespace this process is in is shared (mountinfo's "shared:N"): its
// mounts then propagate to other namespaces, usually the host's.
bool RootIsShared() {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  bool shared = false;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, devno, root, point, options, tag;
    if (!(fields >> id >> parent >> devno >> root >> point >> options) || point != "/") continue;
    shared = false;  // the last "/" line is the one visible
    while (fields >> tag && tag != "-") shared = shared || tag.rfind("shared:", 0) == 0;
  }
  return shared;
}

std::string LinkOf(const std::string& path) {
  char buf[4096];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
  return n < 0 ? "<unreadable>" : std::string(buf, static_cast<size_t>(n));
}

// config-linux.md#namespaces: "If a namespace type is not specified in the namespaces array, the
// container MUST inherit the runtime namespace of that type." Without a mount entry the container is
// in the mount namespace the runtime was called from (the harness's) and its root is still the
// rootfs (runc chroots). Such a runtime mounts in that namespace, and runc also makes its "/" rslave:
// the case runs only where nothing propagates out (ocicert under `unshare -m`). The container gets a
// private copy of the rootfs (device nodes are made in it) and no mounts, masks or read-only root.
void OmittedMountNamespace(CaseContext& ctx) {
  if (RootIsShared())
    ctx.Skip("\"/\" of ocicert's mount namespace is shared: a runtime without a mount namespace would mount "
             "in it (runc also changes its propagation); run ocicert in a private one (unshare -m)");
  Container c = ctx.NewContainer("no-mntns");
  std::string rootfs = ctx.scratch() + "/rootfs-no-mntns";
  std::filesystem::copy(ctx.env().rootfs, rootfs,
                        std::filesystem::copy_options::recursive | std::filesystem::copy_options::copy_symlinks);
  c.config["root"] = {{"path", rootfs}, {"readonly", false}};
  c.config["mounts"] = Json::array();
  for (const char* field : {"maskedPaths", "readonlyPaths", "rootfsPropagation"}) c.config["linux"].erase(field);
  Json kept = Json::array();
  for (const Json& ns : c.config["linux"]["namespaces"])
    if (ns.value("type", "") != "mount") kept.push_back(ns);
  c.config["linux"]["namespaces"] = kept;
  std::string pid = std::to_string(MakeStatus(ctx, c, "created"));
  ctx.Check(NamespaceOf(pid, "mnt") == NamespaceOf("self", "mnt"),
            "the container is in mount namespace " + NamespaceOf(pid, "mnt") + ", not the runtime's " +
                NamespaceOf("self", "mnt"));
  std::error_code ec;
  std::string want = std::filesystem::canonical(rootfs, ec).string();
  std::string root = LinkOf("/proc/" + pid + "/root");
  ctx.Check(root == want, "the container's root is " + root + ", want its rootfs " + want);
}

// The cases as rows: id (after "config."), title, requirement, function, host side.
struct Row {
  const char* id;
  const char* title;
  const char* requirement;
  void (*run)(CaseContext&);
  bool host_side;
};

constexpr Row kRows[] = {
    {"fs.device-modes", "linux.devices get exactly their fileMode (no umask) and owner", "DevicesAvailable",
     DeviceModes, false},
    {"fs.rootfs-propagation", "every rootfsPropagation value is applied to / (mountinfo)",
     "RootfsPropagationImplement", RootfsPropagation, false},
    {"cgroups.hugepage-limits", "hugepageLimits are written to the hugetlb controller",
     "PropsApplyExceptProcOnCreate", HugepageLimits, true},
    {"namespaces.omitted-mount", "without a mount entry the container shares the runtime's mount namespace",
     "NSInheritWithoutType", OmittedMountNamespace, true},
};

}  // namespace

void AddConfigParityCases(std::vector<Case>& out) {
  for (const Row& r : kRows) {
    Case c;
    c.suite = "config";
    c.id = std::string("config.") + r.id;
    c.title = r.title;
    c.requirements = {r.requirement};
    c.run = r.run;
    c.host_side = r.host_side;
    out.push_back(std::move(c));
  }
}

}  // namespace conform
