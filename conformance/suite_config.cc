// config: the environment config.json asks for, checked inside with the probe (identity, rlimits,
// capabilities, mounts, devices, masked and readonly paths, sysctls, seccomp, fds) and outside from the
// host (namespaces, cgroups) while the container is created, before its program runs.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "base/file.h"
#include "conformance/case.h"
#include "conformance/cgroups.h"
#include "conformance/helpers.h"

namespace conform {
namespace {

using Json = nlohmann::json;

Case Make(std::string id, std::string title, std::vector<std::string> reqs, std::function<void(CaseContext&)> run,
          bool host_side = false) {
  Case c;
  c.suite = "config";
  c.id = "config." + id;
  c.title = std::move(title);
  c.requirements = std::move(reqs);
  c.run = std::move(run);
  c.host_side = host_side;
  return c;
}

std::set<std::string> AsSet(const Json& a) {
  std::set<std::string> s;
  if (a.is_array())
    for (const Json& e : a) s.insert(e.get<std::string>());
  return s;
}

bool EnvHas(const Json& env, const std::string& kv) {
  for (const Json& e : env)
    if (e == kv) return true;
  return false;
}

const Json* MountAt(const Json& report, const std::string& dest) {
  const Json* found = nullptr;
  for (const Json& m : report["mounts"])
    if (m["mount_point"] == dest) found = &m;  // the last one is the visible one
  return found;
}

int MountIndex(const Json& report, const std::string& dest) {
  int i = 0;
  for (const Json& m : report["mounts"]) {
    if (m["mount_point"] == dest) return i;
    ++i;
  }
  return -1;
}

bool HasOption(const std::string& options, const std::string& opt) {
  return ("," + options + ",").find("," + opt + ",") != std::string::npos;
}

void AddConfigProcessCases(std::vector<Case>& out) {
  out.push_back(Make("process.domainname", "domainname sets the NIS domain name in the container's uts namespace",
                     {"DomainnameImplement"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("domainname");
                       c.config["domainname"] = "oct.domain";
                       Json r = RunProbe(ctx, c);
                       ctx.Check(r["domainname"] == "oct.domain", "domainname is " + r["domainname"].dump());
                     }));
  out.push_back(Make("process.identity", "hostname, cwd, env, uid/gid/groups and umask are applied",
                     {"HostnameImplement", "ProcCwdImplement", "ProcEnvImplement",
                      "PosixUserImplement", "PosixUmaskImplement", "EnvCreateImplement", "PropsApplyExceptProcOnCreate",
                      "ProcArgsOneEntryRequired"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("identity");
                       c.config["hostname"] = "oct-host";
                       c.config["process"]["cwd"] = "/tmp";
                       c.config["process"]["env"].push_back("OCT_VAR=some value");
                       c.config["process"]["user"] = {{"uid", 1000}, {"gid", 1001}, {"additionalGids", {5, 6}},
                                                      {"umask", 18}};
                       // args[0] without a slash: resolved through PATH like execvp.
                       Json r = RunProbe(ctx, c);
                       ctx.Check(r["hostname"] == "oct-host", "hostname is " + r["hostname"].dump());
                       ctx.Check(r["cwd"] == "/tmp", "cwd is " + r["cwd"].dump());
                       ctx.Check(EnvHas(r["env"], "OCT_VAR=some value"), "env lacks OCT_VAR");
                       ctx.Check(r["uid"] == 1000 && r["euid"] == 1000, "uid is " + r["uid"].dump());
                       ctx.Check(r["gid"] == 1001 && r["egid"] == 1001, "gid is " + r["gid"].dump());
                       std::set<int> groups;
                       for (const Json& g : r["groups"]) groups.insert(g.get<int>());
                       ctx.Check(groups.count(5) && groups.count(6), "additionalGids 5,6 missing: " + r["groups"].dump());
                       ctx.Check(r["umask"] == "0022", "umask is " + r["umask"].dump());
                       Container p = ctx.NewContainer("pathlookup");
                       p.config["process"]["args"] = {"probe"};
                       ctx.WriteConfig(p);
                       const Call& run = ctx.rt().Run({"run", "--bundle", p.bundle, p.id});
                       ctx.Check(run.ok() && ParseProbe(run.inv.stdout_text).has_value(),
                                 "args[0] \"probe\" was not found through PATH: " + Describe(run));
                     }));
  out.push_back(Make("process.rlimits", "rlimits: soft and hard values match", {"PosixProcRlimitsSoftMatchCur",
                     "PosixProcRlimitsHardMatchMax", "PosixProcRlimitsTypeGet"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("rlimits");
                       c.config["process"]["rlimits"] = {
                           {{"type", "RLIMIT_NOFILE"}, {"hard", 1000}, {"soft", 900}},
                           {{"type", "RLIMIT_CORE"}, {"hard", 4096}, {"soft", 2048}},
                           {{"type", "RLIMIT_NPROC"}, {"hard", 500}, {"soft", 400}}};
                       Json r = RunProbe(ctx, c);
                       for (const Json& l : c.config["process"]["rlimits"]) {
                         std::string t = l["type"];
                         ctx.Check(r["rlimits"][t]["soft"] == l["soft"], t + " soft is " + r["rlimits"][t]["soft"].dump());
                         ctx.Check(r["rlimits"][t]["hard"] == l["hard"], t + " hard is " + r["rlimits"][t]["hard"].dump());
                       }
                     }));
  out.push_back(Make("process.capabilities", "the five capability sets are exactly the configured ones",
                     {"LinuxProcCapImplement"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("caps");
                       Json set = {"CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETUID"};
                       c.config["process"]["capabilities"] = {{"bounding", set}, {"effective", set}, {"permitted", set},
                                                              {"inheritable", set}, {"ambient", {"CAP_KILL"}}};
                       Json r = RunProbe(ctx, c);
                       for (const char* s : {"bounding", "effective", "permitted", "inheritable"})
                         ctx.Check(AsSet(r["capabilities"][s]) == AsSet(set),
                                   std::string(s) + " set is " + r["capabilities"][s].dump());
                       ctx.Check(AsSet(r["capabilities"]["ambient"]) == std::set<std::string>{"CAP_KILL"},
                                 "ambient set is " + r["capabilities"]["ambient"].dump());
                     }));
  out.push_back(Make("process.no-new-privileges", "noNewPrivileges sets no_new_privs; unset leaves it clear",
                     {"LinuxProcNoNewPrivs"}, [](CaseContext& ctx) {
                       Container on = ctx.NewContainer("nnp-on");
                       ctx.Check(RunProbe(ctx, on)["no_new_privs"] == true, "no_new_privs is not set");
                       Container off = ctx.NewContainer("nnp-off");
                       off.config["process"]["noNewPrivileges"] = false;
                       ctx.Check(RunProbe(ctx, off)["no_new_privs"] == false, "no_new_privs is set though false");
                     }));
  out.push_back(Make("process.oom-score-adj", "oomScoreAdj is applied when set and inherited when not",
                     {"LinuxProcOomScoreAdjSet", "LinuxProcOomScoreAdjNotSet"}, [](CaseContext& ctx) {
                       Container set = ctx.NewContainer("oom-set");
                       set.config["process"]["oomScoreAdj"] = 123;
                       Json r = RunProbe(ctx, set);
                       ctx.Check(r["oom_score_adj"] == 123, "oom_score_adj is " + r["oom_score_adj"].dump());
                       int ours = std::atoi(base::ReadFile("/proc/self/oom_score_adj").value_or("0").c_str());
                       Container unset = ctx.NewContainer("oom-unset");
                       Json u = RunProbe(ctx, unset);
                       ctx.Check(u["oom_score_adj"] == ours, "oom_score_adj changed to " + u["oom_score_adj"].dump() +
                                                                 " though unset (ours is " + std::to_string(ours) + ")");
                     }));
  out.push_back(Make("process.fds", "only stdin, stdout and stderr are open in the process",
                     {"LinuxFdsOnlyStdio"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("fds");
                       Json r = RunProbe(ctx, c);
                       std::string extra;
                       for (const Json& f : r["fds"])
                         if (f["fd"].get<int>() > 2) extra += " " + f["fd"].dump() + "->" + f["target"].get<std::string>();
                       ctx.Check(extra.empty(), "fds beyond 0-2 are open:" + extra);
                     }));
}

// What the probe reads at a masked path: true when it could read something (bytes, entries).
bool ReadsSomething(const Json& e) {
  if (!e.value("exists", false) || !e.value("readable", false)) return false;
  return e.value("is_dir", false) ? e.value("entries", 0) > 0 : e.value("read_bytes", 0) > 0;
}

// maskedPaths: each path is first read unmasked, by a control container with CAP_SYS_RAWIO (without
// it /proc/kcore cannot be opened at all, masked or not); only paths the control could read prove
// anything, the others are noted. The masked container has the same capabilities.
void MaskedAndReadonlyPaths(CaseContext& ctx) {
  const std::vector<std::string> masked = {"/proc/kcore", "/proc/timer_list", "/sys/firmware"};
  const std::vector<std::string> readonly = {"/proc/sys", "/proc/irq", "/proc/sysrq-trigger"};
  std::vector<std::string> args;
  for (const std::string& p : masked) args.insert(args.end(), {"--check", p});
  for (const std::string& p : readonly) args.insert(args.end(), {"--check", p});
  auto with_rawio = [](Container& c) {
    for (const char* set : {"bounding", "effective", "permitted"})
      c.config["process"]["capabilities"][set].push_back("CAP_SYS_RAWIO");
  };
  Container control = ctx.NewContainer("unmasked");
  with_rawio(control);
  control.config["linux"]["maskedPaths"] = Json::array();
  Json unmasked = RunProbe(ctx, control, args);
  Container c = ctx.NewContainer("masked");
  with_rawio(c);
  c.config["linux"]["maskedPaths"] = masked;
  c.config["linux"]["readonlyPaths"] = readonly;
  Json r = RunProbe(ctx, c, args);
  int proven = 0;
  for (const std::string& p : masked) {
    if (!ReadsSomething(unmasked["paths"][p])) {
      ctx.Note(p + " cannot be read unmasked here either: not checked");
      continue;
    }
    ++proven;
    ctx.Check(!ReadsSomething(r["paths"][p]), "masked path " + p + " can still be read: " + r["paths"][p].dump());
  }
  // A path that does not exist in this kernel's /proc cannot be written either.
  for (const std::string& p : readonly)
    ctx.Check(!r["paths"][p].value("exists", false) || r["paths"][p].value("readonly_mount", false),
              p + " is not read-only");
  if (proven == 0 && ctx.failures().empty())
    ctx.Skip("none of the " + std::to_string(masked.size()) + " masked paths can be read unmasked here");
}

void AddFilesystemCases(std::vector<Case>& out) {
  out.push_back(Make("fs.default-filesystems-devices", "default filesystems, devices and /dev symlinks are there",
                     {"DefaultFilesystems", "DefaultDevices", "LinuxDevSymlinks"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("defaults");
                       Json r = RunProbe(ctx, c);
                       for (auto [dest, type] : std::vector<std::pair<std::string, std::string>>{
                                {"/proc", "proc"}, {"/sys", "sysfs"}, {"/dev/pts", "devpts"}, {"/dev/shm", "tmpfs"}}) {
                         const Json* m = MountAt(r, dest);
                         ctx.Check(m && (*m)["fstype"] == type, dest + " is not a " + type + " mount");
                       }
                       struct Dev { const char* name; int major, minor; };
                       for (Dev d : {Dev{"null", 1, 3}, Dev{"zero", 1, 5}, Dev{"full", 1, 7}, Dev{"random", 1, 8},
                                     Dev{"urandom", 1, 9}, Dev{"tty", 5, 0}}) {
                         const Json& e = r["dev"][d.name];
                         ctx.Check(e.is_object() && e["type"] == "c" && e["major"] == d.major && e["minor"] == d.minor,
                                   std::string("/dev/") + d.name + " is not char " + std::to_string(d.major) + ":" +
                                       std::to_string(d.minor) + ": " + e.dump());
                       }
                       ctx.Check(r["dev"]["ptmx"].is_object(), "/dev/ptmx is missing");
                       for (auto [name, target] : std::vector<std::pair<std::string, std::string>>{
                                {"fd", "/proc/self/fd"}, {"stdin", "/proc/self/fd/0"},
                                {"stdout", "/proc/self/fd/1"}, {"stderr", "/proc/self/fd/2"}}) {
                         const Json& e = r["dev"][name];
                         ctx.Check(e.is_object() && e["type"] == "l" && e["target"] == target,
                                   "/dev/" + name + " is not a symlink to " + target + ": " + e.dump());
                       }
                     }));
  out.push_back(Make("fs.readonly-root", "root.readonly makes / read-only; false leaves it writable",
                     {"RootReadonlyImplement"}, [](CaseContext& ctx) {
                       Container ro = ctx.NewContainer("ro");
                       std::string probe_file = "/oct-conform-write-" + ro.id;
                       Json r = RunProbe(ctx, ro, {"--try-write", probe_file});
                       ctx.Check(r["write_errno"][probe_file] == EROFS,
                                 "writing / of a readonly root gave errno " + r["write_errno"][probe_file].dump());
                       Container rw = ctx.NewContainer("rw");
                       rw.config["root"]["readonly"] = false;
                       Json w = RunProbe(ctx, rw, {"--try-write", probe_file});
                       ctx.Check(w["write_errno"][probe_file] == 0,
                                 "writing / of a writable root gave errno " + w["write_errno"][probe_file].dump());
                     }));
  out.push_back(Make("fs.mounts", "mounts are made in order, with their type and options",
                     {"MountsInOrder", "MountsImplement"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("mounts");
                       std::string src = ctx.scratch() + "/mount-src";
                       std::filesystem::create_directories(src + "/inner");
                       c.config["mounts"].push_back({{"destination", "/mnt"}, {"type", "tmpfs"}, {"source", "tmpfs"},
                                                     {"options", {"nosuid", "size=1m"}}});
                       c.config["mounts"].push_back({{"destination", "/mnt/bound"}, {"type", "bind"}, {"source", src},
                                                     {"options", {"rbind", "ro"}}});
                       Json r = RunProbe(ctx, c, {"--try-write", "/mnt/bound/x"});
                       const Json* tmp = MountAt(r, "/mnt");
                       const Json* bound = MountAt(r, "/mnt/bound");
                       ctx.Require(tmp && bound, "the /mnt or /mnt/bound mount is missing");
                       ctx.Check((*tmp)["fstype"] == "tmpfs" && HasOption((*tmp)["options"], "nosuid"),
                                 "/mnt is not a nosuid tmpfs: " + tmp->dump());
                       ctx.Check(MountIndex(r, "/mnt") < MountIndex(r, "/mnt/bound"), "mounts not made in listed order");
                       ctx.Check(HasOption((*bound)["options"], "ro"), "the ro bind mount is not read-only");
                       ctx.Check(r["write_errno"]["/mnt/bound/x"] == EROFS, "writing into the ro bind mount worked");
                     }));
  out.push_back(Make("fs.masked-readonly-paths", "maskedPaths cannot be read; readonlyPaths are read-only",
                     {"MaskedPathsImplement", "ReadonlyPathsImplement"}, MaskedAndReadonlyPaths));
  out.push_back(Make("fs.devices", "linux.devices are created with type, numbers, mode and owner",
                     {"DevicesAvailable"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("devices");
                       c.config["linux"]["devices"] = {{{"path", "/dev/oct-null"}, {"type", "c"}, {"major", 1},
                                                        {"minor", 3}, {"fileMode", 0640}, {"uid", 1000}, {"gid", 1001}}};
                       Json r = RunProbe(ctx, c);
                       const Json& d = r["dev"]["oct-null"];
                       ctx.Require(d.is_object(), "/dev/oct-null is missing");
                       ctx.Check(d["type"] == "c" && d["major"] == 1 && d["minor"] == 3, "/dev/oct-null is " + d.dump());
                       ctx.Check(d["mode"] == 0640, "/dev/oct-null mode is " + d["mode"].dump());
                       ctx.Check(d["uid"] == 1000 && d["gid"] == 1001, "/dev/oct-null owner is " + d.dump());
                     }));
  out.push_back(Make("fs.device-path-conflict", "a file at a device path that is not that device fails create",
                     {"DevicesFileNotMatch", "ErrorsLeaveStateUnchange"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("devconflict");
                       base::WriteFile(c.oct_dir + "/not-a-device", "plain file").IgnoreError();
                       c.config["linux"]["devices"] = {{{"path", "/oct/not-a-device"}, {"type", "c"}, {"major", 1},
                                                        {"minor", 3}, {"fileMode", 0666}}};
                       const Call& call = Create(ctx, c);
                       ctx.Check(call.failed(), "create over a regular file at the device path must fail, got " + Describe(call));
                       ctx.Check(!State(ctx, c.id).has_value(), "the refused create left a container");
                       ctx.Check(base::ReadFile(c.oct_dir + "/not-a-device").value_or("") == "plain file",
                                 "the file at the device path was replaced");
                     }));
  out.push_back(Make("personality", "personality LINUX32 gives a 32-bit execution domain", {"PersonalityImplement"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("personality");
                       c.config["linux"]["personality"] = {{"domain", "LINUX32"}};
                       Json r = RunProbe(ctx, c);
                       ctx.Check(r["machine"] == "i686", "uname machine is " + r["machine"].dump() + ", want i686");
                     }));
  out.push_back(Make("sysctl", "sysctl values are set in the container's namespaces", {"SysctlImplement"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("sysctl");
                       c.config["linux"]["sysctl"] = {{"kernel.shmmni", "1234"}, {"net.ipv4.ip_forward", "1"}};
                       Json r = RunProbe(ctx, c, {"--sysctl", "kernel.shmmni", "--sysctl", "net.ipv4.ip_forward"});
                       ctx.Check(r["sysctls"]["kernel.shmmni"] == "1234", "kernel.shmmni is " + r["sysctls"]["kernel.shmmni"].dump());
                       ctx.Check(r["sysctls"]["net.ipv4.ip_forward"] == "1", "net.ipv4.ip_forward is " +
                                                                                  r["sysctls"]["net.ipv4.ip_forward"].dump());
                     }));
  out.push_back(Make("seccomp", "the seccomp filter is installed: listed syscalls get their action", {"SeccompImplement"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("seccomp");
                       c.config["linux"]["seccomp"] = {
                           {"defaultAction", "SCMP_ACT_ALLOW"},
                           {"architectures", {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"}},
                           {"syscalls", {{{"names", {"mkdir", "mkdirat"}}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", 38}}}}};
                       Json r = RunProbe(ctx, c, {"--try-mkdir", "/tmp/oct-seccomp"});
                       ctx.Check(r["seccomp"] == 2, "Seccomp mode is " + r["seccomp"].dump() + ", want 2 (filter)");
                       ctx.Check(r["mkdir_errno"]["/tmp/oct-seccomp"] == 38,
                                 "mkdir returned errno " + r["mkdir_errno"]["/tmp/oct-seccomp"].dump() + ", want 38");
                     }));
}

// The container's cgroup for a controller, found from /proc/<pid>/cgroup and the mount table (v1, v2
// or hybrid); it must be the config's cgroupsPath, taken relative to the hierarchy's mount.
cgroups::Location ContainerCgroup(CaseContext& ctx, const cgroups::Layout& layout, int pid, const Container& c,
                                  const std::string& controller) {
  cgroups::Location loc = cgroups::LocateProcess(layout, pid, controller);
  ctx.Require(loc.found(), "no " + controller + " cgroup for pid " + std::to_string(pid) + " in /proc/" +
                               std::to_string(pid) + "/cgroup (" + layout.Kind() + " layout)");
  ctx.Check(loc.path == c.CgroupsPath(), "the " + controller + " cgroup is " + loc.path + ", want cgroupsPath " +
                                             c.CgroupsPath());
  return loc;
}

std::string Trimmed(const std::string& path) {
  std::string t = base::ReadFile(path).value_or("<missing>");
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
  return t;
}

void CgroupsResources(CaseContext& ctx) {
  Container c = ctx.NewContainer("cgroups");
  c.config["linux"]["resources"]["memory"] = {{"limit", 67108864}};
  c.config["linux"]["resources"]["cpu"] = {{"shares", 512}};
  c.config["linux"]["resources"]["pids"] = {{"limit", 77}};
  int pid = MakeStatus(ctx, c, "created");
  cgroups::Layout layout = cgroups::HostLayout();
  cgroups::Location mem = ContainerCgroup(ctx, layout, pid, c, "memory");
  std::string limit = Trimmed(mem.dir + (mem.v2 ? "/memory.max" : "/memory.limit_in_bytes"));
  ctx.Check(limit == "67108864", "memory limit in " + mem.dir + " is " + limit + ", want 67108864");
  cgroups::Location cpu = ContainerCgroup(ctx, layout, pid, c, "cpu");
  if (cpu.v2) {
    std::string weight = Trimmed(cpu.dir + "/cpu.weight");
    std::vector<long long> want = cgroups::CpuWeightsForShares(512);
    ctx.Check(weight == std::to_string(want[0]), "cpu.weight for shares 512 is " + weight + ", want " +
                                                     std::to_string(want[0]));
  } else {
    std::string shares = Trimmed(cpu.dir + "/cpu.shares");
    ctx.Check(shares == "512", "cpu.shares in " + cpu.dir + " is " + shares + ", want 512");
  }
  cgroups::Location pids = ContainerCgroup(ctx, layout, pid, c, "pids");
  std::string max = Trimmed(pids.dir + "/pids.max");
  ctx.Check(max == "77", "pids.max in " + pids.dir + " is " + max + ", want 77");
  std::string procs = base::ReadFile(pids.dir + "/cgroup.procs").value_or("");
  ctx.Check(("\n" + procs).find("\n" + std::to_string(pid) + "\n") != std::string::npos,
            "the init pid is not in " + pids.dir + "/cgroup.procs");
  const Call& kill = ctx.rt().Run({"kill", c.id, "KILL"});
  ctx.Require(kill.ok() && WaitForStatus(ctx, c.id, "stopped"), "the container did not stop");
  const Call& del = ctx.rt().Run({"delete", c.id});
  ctx.Require(del.ok(), "delete failed: " + Describe(del));
  for (const std::string& dir : cgroups::Existing(layout, c.CgroupsPath()))
    ctx.Check(false, "delete left the cgroup " + dir);
}

// v1: the devices controller's devices.list shows the effective rules. v2 has no devices.list (the
// rules are an eBPF program on the cgroup): the case checks the cgroup is there, then skips, saying so.
void DevicesInOrder(CaseContext& ctx) {
  Json deny_all = {{"allow", false}, {"access", "rwm"}};
  Json allow_kmsg = {{"allow", true}, {"type", "c"}, {"major", 1}, {"minor", 11}, {"access", "rwm"}};
  cgroups::Layout layout = cgroups::HostLayout();
  auto list_of = [&](const Json& rules, const std::string& tag) {
    Container c = ctx.NewContainer(tag);
    c.config["linux"]["resources"]["devices"] = rules;
    int pid = MakeStatus(ctx, c, "created");
    cgroups::Location dev = ContainerCgroup(ctx, layout, pid, c, "devices");
    if (dev.v2)
      ctx.Skip("cgroup v2: device rules are an eBPF program on " + dev.dir + ", not readable as devices.list");
    auto list = base::ReadFile(dev.dir + "/devices.list");
    ctx.Require(list.ok(), "cannot read " + dev.dir + "/devices.list: " + list.status().message());
    return *list;
  };
  std::string allowed = list_of(Json::array({deny_all, allow_kmsg}), "devorder-allow");
  ctx.Check(allowed.find("c 1:11 rwm") != std::string::npos,
            "deny-all then allow c 1:11: c 1:11 is not allowed: " + allowed);
  std::string denied = list_of(Json::array({allow_kmsg, deny_all}), "devorder-deny");
  ctx.Check(denied.find("c 1:11 rwm") == std::string::npos, "allow c 1:11 then deny-all: c 1:11 is still allowed");
}

// Host side: namespaces and cgroups of a created container, seen from outside.
void AddHostCases(std::vector<Case>& out) {
  out.push_back(Make("namespaces.new-and-inherited", "listed namespaces are new, unlisted ones are the runtime's",
                     {"NSNewNSWithoutPath", "NSInheritWithoutType", "PropsApplyExceptProcOnCreate", "EnvCreateImplement"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("ns");
                       c.config["linux"]["namespaces"] = {{{"type", "pid"}}, {{"type", "mount"}}, {{"type", "ipc"}},
                                                          {{"type", "uts"}}};  // no network, no cgroup
                       std::string pid = std::to_string(MakeStatus(ctx, c, "created"));
                       for (const char* ns : {"pid", "mnt", "ipc", "uts"})
                         ctx.Check(NamespaceOf(pid, ns) != NamespaceOf("self", ns), std::string("no new ") + ns + " namespace");
                       ctx.Check(NamespaceOf(pid, "net") == NamespaceOf("self", "net"), "the network namespace was not inherited");
                     }, true));
  out.push_back(Make("namespaces.join-path", "a namespace path places the container in that namespace",
                     {"NSProcInPath"}, [](CaseContext& ctx) {
                       Container a = ctx.NewContainer("ns-owner");
                       std::string apid = std::to_string(MakeStatus(ctx, a, "created"));
                       Container b = ctx.NewContainer("ns-joiner");
                       for (Json& ns : b.config["linux"]["namespaces"]) {
                         if (ns["type"] == "network") ns["path"] = "/proc/" + apid + "/ns/net";
                         if (ns["type"] == "ipc") ns["path"] = "/proc/" + apid + "/ns/ipc";
                       }
                       std::string bpid = std::to_string(MakeStatus(ctx, b, "created"));
                       ctx.Check(NamespaceOf(bpid, "net") == NamespaceOf(apid, "net"), "not in the given network namespace");
                       ctx.Check(NamespaceOf(bpid, "ipc") == NamespaceOf(apid, "ipc"), "not in the given ipc namespace");
                       ctx.Check(NamespaceOf(bpid, "uts") != NamespaceOf(apid, "uts"), "uts namespace shared unasked");
                     }, true));
  out.push_back(Make("namespaces.user", "uidMappings/gidMappings map the container's root", {"UserNSMappingsImplement"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("userns");
                       c.config["linux"]["namespaces"].push_back({{"type", "user"}});
                       c.config["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 200000}, {"size", 65536}}};
                       c.config["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 200000}, {"size", 65536}}};
                       std::string pid = std::to_string(MakeStatus(ctx, c, "created"));
                       std::string map = base::ReadFile("/proc/" + pid + "/uid_map").value_or("");
                       ctx.Check(map.find("200000") != std::string::npos, "uid_map does not map to 200000: " + map);
                       ctx.Check(NamespaceOf(pid, "user") != NamespaceOf("self", "user"), "no new user namespace");
                     }, true));
  out.push_back(Make("cgroups.resources", "cgroupsPath is used under each controller and resources are written",
                     {"CgroupsAbsPathRelToMount", "CgroupsPathAttach", "ResourcesMemoryImplement",
                      "ResourcesCpuImplement", "ResourcesPidsImplement", "DeleteResImplement", "PropsApplyExceptProcOnCreate"},
                     CgroupsResources, true));
  out.push_back(Make("cgroups.devices-in-order", "device rules are applied in the listed order",
                     {"DevicesApplyInOrder"}, DevicesInOrder, true));
  out.push_back(Make("delete.only-created-resources", "delete removes what create made and nothing else",
                     {"DeleteOnlyCreatedRes", "DeleteResImplement"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("onlycreated");
                       std::string shared = ctx.scratch() + "/shared";
                       std::filesystem::create_directories(shared);
                       base::WriteFile(shared + "/keep", "keep").IgnoreError();
                       c.config["mounts"].push_back({{"destination", "/mnt"}, {"type", "bind"}, {"source", shared},
                                                     {"options", {"rbind", "rw"}}});
                       MakeStatus(ctx, c, "stopped");
                       const Call& del = ctx.rt().Run({"delete", c.id});
                       ctx.Require(del.ok(), "delete failed: " + Describe(del));
                       ctx.Check(base::ReadFile(shared + "/keep").value_or("") == "keep", "delete removed a bind-mounted host file");
                       ctx.Check(std::filesystem::exists(c.bundle + "/config.json"), "delete removed the bundle");
                       ctx.Check(std::filesystem::exists(ctx.env().rootfs + "/bin/probe"), "delete removed rootfs files");
                     }));
}

}  // namespace

void AddConfigParityCases(std::vector<Case>& out);  // suite_config_parity.cc

void AddConfigCases(std::vector<Case>& out) {
  AddConfigProcessCases(out);
  AddFilesystemCases(out);
  AddHostCases(out);
  AddConfigParityCases(out);
}

}  // namespace conform
