// config: MUSTs of config.md and config-linux.md the audit found untested
// (../shared/docs/reviews/conformance-audit.md): the Linux mount-option table, relative mount
// destinations, cgroup and time namespaces, `linux.resources.unified`, seccomp errno rules and the
// seccomp listener. Each case says what it proves; where this host lacks the feature it skips, saying so.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "base/file.h"
#include "base/unique_fd.h"
#include "conformance/case.h"
#include "conformance/cgroups.h"
#include "conformance/helpers.h"

namespace conform {
namespace {

using Json = nlohmann::json;

Case Make(std::string id, std::string title, std::vector<std::string> reqs, std::function<void(CaseContext&)> run,
          std::string spec_min = "1.0.0", bool host_side = false) {
  Case c;
  c.suite = "config";
  c.id = "config." + id;
  c.title = std::move(title);
  c.requirements = std::move(reqs);
  c.run = std::move(run);
  c.spec_min = std::move(spec_min);
  c.host_side = host_side;
  return c;
}

const Json* MountAt(const Json& report, const std::string& dest) {
  const Json* found = nullptr;
  for (const Json& m : report["mounts"])
    if (m["mount_point"] == dest) found = &m;  // the last one: mounts stack
  return found;
}

// Whether a comma-separated mountinfo option list holds `opt` exactly.
bool HasOption(const Json& options, const std::string& opt) {
  return ("," + options.get<std::string>() + ",").find("," + opt + ",") != std::string::npos;
}

// ---- config.md#mounts: the Linux option strings ------------------------------------------------------

// One mount of the table: its options, and what /proc/self/mountinfo must then show (per-mount
// options, super-block options, propagation tags) and must not show.
struct OptionMount {
  std::string dest;
  Json mount;
  std::vector<std::string> per_mount, not_per_mount, super, optional, not_optional;
};

std::vector<OptionMount> OptionMounts(const std::string& bind_src) {
  auto tmpfs = [](const std::string& dest, Json options) {
    return Json{{"destination", dest}, {"type", "tmpfs"}, {"source", "tmpfs"}, {"options", std::move(options)}};
  };
  auto bind = [&](const std::string& dest, Json options) {
    return Json{{"destination", dest}, {"type", "bind"}, {"source", bind_src}, {"options", std::move(options)}};
  };
  return {
      {"/run/oct-a", tmpfs("/run/oct-a", {"ro", "nosuid", "nodev", "noexec", "noatime", "nodiratime"}),
       {"ro", "nosuid", "nodev", "noexec", "noatime", "nodiratime"}, {}, {}, {}, {}},
      {"/run/oct-b", tmpfs("/run/oct-b", {"rw", "suid", "dev", "exec", "strictatime", "sync", "dirsync"}),
       {"rw"}, {"nosuid", "nodev", "noexec", "noatime", "relatime"}, {"sync", "dirsync"}, {}, {}},
      {"/run/oct-c", tmpfs("/run/oct-c", {"relatime", "lazytime", "async"}),
       {"rw", "relatime"}, {"noatime"}, {"lazytime"}, {}, {}},
      {"/run/oct-d", bind("/run/oct-d", {"rbind", "rshared"}), {}, {}, {}, {"shared:"}, {}},
      {"/run/oct-e", bind("/run/oct-e", {"bind", "runbindable"}), {}, {}, {}, {"unbindable"}, {"shared:"}},
      {"/run/oct-f", bind("/run/oct-f", {"rbind", "rprivate", "nosuid"}), {"nosuid"}, {}, {}, {}, {"shared:", "master:"}},
  };
}

// The optional fields of a mountinfo entry ("shared:12 master:3"), as the probe reports them.
std::string OptionalFields(const Json& m) { return m.value("optional", ""); }

void MountOptions(CaseContext& ctx) {
  Container c = ctx.NewContainer("mount-options");
  std::string src = ctx.scratch() + "/bind-src";
  std::filesystem::create_directories(src);
  c.config["mounts"].push_back({{"destination", "/run"}, {"type", "tmpfs"}, {"source", "tmpfs"},
                                {"options", {"nosuid", "mode=755"}}});
  std::vector<OptionMount> table = OptionMounts(src);
  for (const OptionMount& m : table) c.config["mounts"].push_back(m.mount);
  Json r = RunProbe(ctx, c);
  ctx.Require(r["mounts"].is_array() && r["mounts"].size() > 0 && r["mounts"][0].contains("optional"),
              "the probe reports no mountinfo optional fields (probe too old)");
  for (const OptionMount& m : table) {
    const Json* got = MountAt(r, m.dest);
    std::string asked = m.mount["options"].dump();
    if (!ctx.Check(got != nullptr, m.dest + " with options " + asked + " is not mounted")) continue;
    for (const std::string& o : m.per_mount)
      ctx.Check(HasOption((*got)["options"], o), m.dest + " " + asked + ": mount option " + o + " missing in " +
                                                     (*got)["options"].dump());
    for (const std::string& o : m.not_per_mount)
      ctx.Check(!HasOption((*got)["options"], o), m.dest + " " + asked + ": mount option " + o + " set in " +
                                                      (*got)["options"].dump());
    for (const std::string& o : m.super)
      ctx.Check(HasOption((*got)["super_options"], o), m.dest + " " + asked + ": super-block option " + o +
                                                           " missing in " + (*got)["super_options"].dump());
    std::string tags = OptionalFields(*got);
    for (const std::string& t : m.optional)
      ctx.Check(tags.find(t) != std::string::npos, m.dest + " " + asked + ": propagation " + t + " missing (\"" + tags + "\")");
    for (const std::string& t : m.not_optional)
      ctx.Check(tags.find(t) == std::string::npos, m.dest + " " + asked + ": propagation " + t + " set (\"" + tags + "\")");
  }
  // "defaults" alone, last: a runtime that hands it to the filesystem as data fails to start, and the
  // table above is judged first.
  Container d = ctx.NewContainer("mount-defaults");
  d.config["mounts"].push_back({{"destination", "/run"}, {"type", "tmpfs"}, {"source", "tmpfs"}, {"options", {"defaults"}}});
  d.config["process"]["args"] = {"/bin/probe"};
  ctx.WriteConfig(d);
  const Call& run = ctx.rt().Run({"run", "--bundle", d.bundle, d.id});
  auto dr = run.ok() ? ParseProbe(run.inv.stdout_text) : std::nullopt;
  const Json* dm = dr ? MountAt(*dr, "/run") : nullptr;
  ctx.Check(dm && HasOption((*dm)["options"], "rw") && !HasOption((*dm)["options"], "nosuid"),
            "a tmpfs with option \"defaults\" must be mounted rw,suid,dev,exec: " +
                (run.ok() ? (dm ? dm->dump() : std::string("not mounted")) : "run failed: " + Describe(run)));
}

// config.md#mounts (1.2): on Linux a relative destination is taken relative to "/".
void RelativeDestination(CaseContext& ctx) {
  Container c = ctx.NewContainer("relative-dest");
  c.config["mounts"].push_back({{"destination", "tmp"}, {"type", "tmpfs"}, {"source", "tmpfs"},
                                {"options", {"nosuid", "size=1m"}}});
  Json r = RunProbe(ctx, c);
  const Json* tmp = MountAt(r, "/tmp");
  ctx.Check(tmp && (*tmp)["fstype"] == "tmpfs", "the mount with destination \"tmp\" is not a tmpfs at /tmp");
}

// ---- config-linux.md#namespaces: cgroup and time -----------------------------------------------------

void NewNamespace(CaseContext& ctx, const std::string& type, const std::string& proc_name) {
  if (NamespaceOf("self", proc_name).empty())
    ctx.Skip("this kernel has no " + type + " namespaces (/proc/self/ns/" + proc_name + " is missing)");
  Container c = ctx.NewContainer(type + "-ns");
  c.config["linux"]["namespaces"].push_back({{"type", type}});
  const Call& create = Create(ctx, c);
  if (create.failed())  // an unsupported value is an error (config.md#valid-values): not a pass either
    ctx.Skip("the runtime refuses a " + type + " namespace (" + Describe(create) + "): the rule cannot be tried");
  ctx.Require(create.ok(), "create with a " + type + " namespace crashed or hung: " + Describe(create));
  ctx.Require(WaitForStatus(ctx, c.id, "created"), "the container is not created: " + StateSays(ctx, c.id));
  auto st = State(ctx, c.id);
  std::string pid = std::to_string(st ? (*st).value("pid", 0) : 0);
  std::string theirs = NamespaceOf(pid, proc_name), ours = NamespaceOf("self", proc_name);
  ctx.Check(!theirs.empty() && theirs != ours, "listed without a path, the " + type + " namespace must be new: the "
                                                   "container's is " + theirs + ", the runtime's " + ours);
}

// ---- config-linux.md#unified -------------------------------------------------------------------------

// On a host without cgroup v2 (this one: v1 only) no v2 controller is present, so any `unified` key
// must be refused. With cgroup v2 the keys are written to the container's cgroup, and a key of a
// controller that does not exist is refused.
void Unified(CaseContext& ctx) {
  cgroups::Layout layout = cgroups::HostLayout();
  ctx.Require(layout.Kind() != "none", "no cgroup hierarchy is mounted on this host");
  Container c = ctx.NewContainer("unified");
  c.config["linux"]["resources"]["unified"] = {{"pids.max", "42"}};
  const cgroups::Hierarchy* v2 = layout.V2();
  std::string controllers = v2 ? base::ReadFile(v2->mount_point + "/cgroup.controllers").value_or("") : "";
  if (!v2 || (" " + controllers).find(" pids") == std::string::npos) {
    ExpectCreateRefused(ctx, c, std::string("create with unified pids.max on a host whose cgroup v2 ") +
                                    (v2 ? "lacks the pids controller" : "is not mounted (" + layout.Kind() + " layout)"));
    ctx.Check(!State(ctx, c.id).has_value(), "the refused create left a container behind");
    for (const std::string& d : cgroups::Existing(layout, c.CgroupsPath()))
      ctx.Check(false, "the refused create left the cgroup " + d);
    return;
  }
  int pid = MakeStatus(ctx, c, "created");
  cgroups::Location loc = cgroups::LocateProcess(layout, pid, "pids");
  ctx.Require(loc.found() && loc.v2, "the container's cgroup v2 is not found from /proc/" + std::to_string(pid) + "/cgroup");
  std::string max = base::ReadFile(loc.dir + "/pids.max").value_or("<missing>");
  ctx.Check(max == "42\n", "unified pids.max 42: " + loc.dir + "/pids.max is \"" + max + "\"");
  Container bad = ctx.NewContainer("unified-bad");
  bad.config["linux"]["resources"]["unified"] = {{"octnone.max", "1"}};
  ExpectCreateRefused(ctx, bad, "create with unified octnone.max (no such controller)");
}

// ---- config-linux.md#intelrdt ----------------------------------------------------------------------

// The one intelRdt MUST a host without resctrl can observe: the error. Where resctrl is mounted the
// case skips (writing tasks and schemata needs the hardware, and this suite does not touch resctrl).
void IntelRdtWithoutResctrl(CaseContext& ctx) {
  std::string mountinfo = base::ReadFile("/proc/self/mountinfo").value_or("");
  if (mountinfo.find(" - resctrl ") != std::string::npos)
    ctx.Skip("resctrl is mounted on this host: the no-resctrl error cannot be observed");
  Container c = ctx.NewContainer("intelrdt");
  c.config["linux"]["intelRdt"] = {{"closID", "oct-conform"}, {"l3CacheSchema", "L3:0=f"}};
  ExpectCreateRefused(ctx, c, "create with intelRdt on a host without a mounted resctrl");
  ctx.Check(!State(ctx, c.id).has_value(), "the refused create left a container behind");
}

// ---- config-linux.md#seccomp: errno ------------------------------------------------------------------

void SeccompErrnoUnsupported(CaseContext& ctx) {
  Container d = ctx.NewContainer("errno-default");
  d.config["linux"]["seccomp"] = {{"defaultAction", "SCMP_ACT_ALLOW"}, {"defaultErrnoRet", 1}};
  ExpectCreateRefused(ctx, d, "create with defaultErrnoRet on defaultAction SCMP_ACT_ALLOW");
  ctx.Check(!State(ctx, d.id).has_value(), "the refused create left a container behind");
  Container s = ctx.NewContainer("errno-rule");
  s.config["linux"]["seccomp"] = {
      {"defaultAction", "SCMP_ACT_ALLOW"},
      {"syscalls", {{{"names", {"mkdir", "mkdirat"}}, {"action", "SCMP_ACT_KILL"}, {"errnoRet", 1}}}}};
  ExpectCreateRefused(ctx, s, "create with errnoRet on a SCMP_ACT_KILL rule");
  ctx.Check(!State(ctx, s.id).has_value(), "the refused create left a container behind");
}

// ---- config-linux.md#seccomp: listenerPath -----------------------------------------------------------

struct ListenerMessage {
  bool received = false;
  std::string payload;
  int fds = 0;           // SCM_RIGHTS fds in the first message
  bool closed = false;   // the runtime closed the connection after the state
  bool second = false;   // a second connection arrived
};

// Accepts one connection, reads every message until EOF (fds only allowed in the first), then waits
// briefly for a second connection, which must not come.
ListenerMessage ReceiveListener(int listener, int timeout_ms) {
  ListenerMessage m;
  pollfd p{listener, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) != 1) return m;
  base::UniqueFd conn(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
  if (!conn) return m;
  m.received = true;
  for (int round = 0; round < 64; ++round) {
    pollfd q{conn.get(), POLLIN, 0};
    if (::poll(&q, 1, timeout_ms) != 1) return m;
    char data[65536];
    char control[CMSG_SPACE(sizeof(int) * 16)] = {};
    iovec iov{data, sizeof data};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = ::recvmsg(conn.get(), &msg, MSG_CMSG_CLOEXEC);
    if (n <= 0) {
      m.closed = n == 0;
      break;
    }
    for (cmsghdr* cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
      if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS) continue;
      size_t count = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      for (size_t i = 0; i < count; ++i) {
        int fd;
        std::memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof fd);
        ::close(fd);  // closing the notify fd fails the notified syscall (ENOSYS); the probe goes on
        if (round == 0) ++m.fds;
        else m.fds = -1000;  // fds after the first message: a violation
      }
    }
    m.payload.append(data, static_cast<size_t>(n));
  }
  pollfd again{listener, POLLIN, 0};
  m.second = ::poll(&again, 1, 200) == 1;
  return m;
}

void SeccompListener(CaseContext& ctx) {
  std::string path = ctx.scratch() + "/seccomp.sock";
  base::UniqueFd listener(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  ctx.Require(path.size() < sizeof addr.sun_path, "seccomp listener path too long: " + path);
  std::strcpy(addr.sun_path, path.c_str());
  ctx.Require(::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                  ::listen(listener.get(), 4) == 0,
              "cannot listen on " + path);
  Container c = ctx.NewContainer("seccomp-listener");
  c.config["linux"]["seccomp"] = {
      {"defaultAction", "SCMP_ACT_ALLOW"},
      {"listenerPath", path},
      {"listenerMetadata", "oct-metadata"},
      {"syscalls", {{{"names", {"mkdir", "mkdirat"}}, {"action", "SCMP_ACT_NOTIFY"}}}}};
  const Call& create = Create(ctx, c);
  // The runtime sends the state while it sets up the filter (during create); read it as it comes.
  ListenerMessage m = ReceiveListener(listener.get(), 2000 * ctx.profile().timeout_scale);
  ctx.Require(create.ok(), "create with a seccomp listenerPath failed: " + Describe(create));
  ctx.Require(m.received, "no connection on listenerPath " + path + " during create");
  Json st = Json::parse(m.payload, nullptr, false);
  ctx.Check(st.is_object(), "the listener did not get a JSON container process state: \"" + m.payload.substr(0, 120) + "\"");
  if (st.is_object()) {
    ctx.Check(st["ociVersion"].is_string(), "the container process state lacks ociVersion");
    ctx.Check(st["fds"].is_array() && !st["fds"].empty(), "the container process state lacks fds");
    bool seccomp_fd = false;
    if (st["fds"].is_array())
      for (const Json& f : st["fds"]) seccomp_fd |= f == "seccompFd";
    ctx.Check(seccomp_fd, "fds does not name \"seccompFd\": " + st["fds"].dump());
    ctx.Check(st["pid"].is_number_integer() && st["pid"].get<int>() > 0, "the container process state has no pid");
    ctx.Check(st["metadata"] == "oct-metadata", "metadata is " + st["metadata"].dump() + ", want listenerMetadata");
    ctx.Check(st["state"].is_object() && st["state"].value("id", "") == c.id,
              "state.id of the container process state is not the container's id");
  }
  ctx.Check(m.fds >= 1, "the seccomp fd was not sent with SCM_RIGHTS in the first message (" + std::to_string(m.fds) + ")");
  ctx.Check(m.closed, "the runtime did not close the listener connection after the state");
  ctx.Check(!m.second, "the runtime opened a second connection: exactly one state per connection, one connection");
}

}  // namespace

void AddConfigMustCases(std::vector<Case>& out) {
  out.push_back(Make("fs.mount-options", "the Linux mount option strings (config.md table) take effect",
                     {"MountOptionsLinux"}, MountOptions));
  out.push_back(Make("fs.relative-mount-destination", "a relative mount destination is relative to /",
                     {"MountDestinationRelative"}, RelativeDestination, "1.2.0"));
  out.push_back(Make("namespaces.cgroup-new", "a cgroup namespace without path is new",
                     {"NSNewNSWithoutPath"}, [](CaseContext& ctx) { NewNamespace(ctx, "cgroup", "cgroup"); }, "1.0.0", true));
  out.push_back(Make("namespaces.time-new", "a time namespace without path is new",
                     {"NSNewNSWithoutPath"}, [](CaseContext& ctx) { NewNamespace(ctx, "time", "time"); }, "1.1.0", true));
  out.push_back(Make("intelrdt.no-resctrl", "intelRdt without a mounted resctrl is an error",
                     {"IntelRdtNoMountedResctrlError"}, IntelRdtWithoutResctrl));
  out.push_back(Make("cgroups.unified", "linux.resources.unified is written, or refused when the controller is absent",
                     {"UnifiedControllersEnabled", "UnifiedUnknownWritten", "UnifiedMissingControllerError"}, Unified,
                     "1.1.0", true));
  out.push_back(Make("seccomp.errno-unsupported", "errnoRet on an action without errno is an error",
                     {"SeccompErrnoUnsupportedError"}, SeccompErrnoUnsupported, "1.1.0"));
  out.push_back(Make("seccomp.listener", "listenerPath gets one container process state with the seccomp fd",
                     {"SeccompListenerState", "SeccompListenerOneState"}, SeccompListener, "1.0.2"));
}

}  // namespace conform
