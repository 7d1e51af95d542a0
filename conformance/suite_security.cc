// security: the escapes container runtimes have shipped, tried against the runtime under test, each
// made harmless and detectable. The runtime gets hostile input (ids, bundle paths, cwd, mount and mask
// targets through symlinks, inherited fds) and the container plays the attacker with the probe.
//
// Safety of the harness itself: a hostile id never reaches cleanup (never Track()ed); calls that
// carry one use a private state root deep inside the case folder, fenced by sentinel files, so that a
// runtime that resolves `..` out of its root (crun 1.8.1's `delete --force ..` removes its root's
// parent) only removes a sentinel of this case, which is reported. Containers that a hostile call did
// create keep the cgroupsPath of the case's own safe id, which cleanup removes.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "base/file.h"
#include "base/unique_fd.h"
#include "conformance/case.h"
#include "conformance/helpers.h"

namespace conform {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

// A state root four levels down the case folder: <scratch>/fence/a/b/c/root, each level holding a
// sentinel file and nothing else but the next level.
class Fence {
 public:
  explicit Fence(const std::string& scratch) : base_(scratch + "/fence") { Restore(); }

  // Makes (or remakes, after a breach) the levels and their sentinels; what appeared stays, known.
  void Restore() {
    std::string dir = base_;
    levels_.clear();
    for (const char* level : {"a", "b", "c", "root"}) {
      levels_.push_back(dir);
      fs::create_directories(dir + "/" + level);
      base::WriteFile(dir + "/sentinel", "fence\n").IgnoreError();
      dir += std::string("/") + level;
    }
    root_ = dir;
    std::error_code ec;
    for (const std::string& d : levels_)
      for (const auto& e : fs::directory_iterator(d, ec)) known_.insert(e.path().string());
  }
  const std::string& root() const { return root_; }
  const std::string& base() const { return base_; }

  // Sentinels removed or changed, the root removed, and anything that appeared beside them.
  std::vector<std::string> Breaches() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (size_t i = 0; i < levels_.size(); ++i) {
      const std::string& dir = levels_[i];
      if (base::ReadFile(dir + "/sentinel").value_or("") != "fence\n") out.push_back("removed " + dir + "/sentinel");
      std::string next = i + 1 < levels_.size() ? levels_[i + 1] : root_;
      if (!fs::is_directory(next, ec)) out.push_back("removed " + next);
      for (const auto& e : fs::directory_iterator(dir, ec)) {
        std::string name = e.path().filename().string();
        if (name != "sentinel" && e.path().string() != next && !known_.count(e.path().string()))
          out.push_back("created " + e.path().string());
      }
    }
    return out;
  }

 private:
  std::string base_, root_;
  std::vector<std::string> levels_;
  std::set<std::string> known_;  // entries there before (or reported already)
};

InvokeOptions Fenced(const Fence& f) {
  InvokeOptions o;
  o.root = f.root();
  return o;
}

std::string Printable(const std::string& s) {
  std::string out;
  for (unsigned char ch : s) out += ch < 0x20 || ch == 0x7f ? fmt::format("\\x{:02x}", ch) : std::string(1, ch);
  return out.size() > 60 ? out.substr(0, 40) + fmt::format("...({} chars)", s.size()) : out;
}

// Checks the fence after a call that carried a hostile value; a breach is reported once, then the
// fence is remade so that the next call is judged on its own.
void CheckFence(CaseContext& ctx, Fence& f, const std::string& what) {
  std::vector<std::string> breaches = f.Breaches();
  if (breaches.empty()) return;
  std::string all;
  for (const std::string& b : breaches) all += (all.empty() ? "" : ", ") + b;
  ctx.Check(false, what + " escaped its --root: " + all);
  f.Restore();
}

// A runtime that refuses everything would pass every case that accepts a refusal: each such case first
// shows that the runtime does the harmless variant.
void ControlRun(CaseContext& ctx, Container c, const std::string& what, const InvokeOptions& o = {}) {
  c.config["process"]["args"] = {"/bin/probe"};
  ctx.WriteConfig(c);
  const Call& run = ctx.rt().Run({"run", "--bundle", c.bundle, c.id}, o);
  ctx.Require(run.ok() && ParseProbe(run.inv.stdout_text).has_value(),
              "control run (" + what + ") failed, so a refusal would prove nothing: " + Describe(run));
}

// The fenced root works for an ordinary id: create, state, delete --force.
void ControlFencedId(CaseContext& ctx, Fence& f) {
  Container c = ctx.NewContainer("fence-control");
  ctx.WriteConfig(c);
  InvokeOptions o = Fenced(f);
  const Call& create = ctx.rt().Run({"create", "--bundle", c.bundle, c.id}, o);
  ctx.Require(create.ok(), "control create with an ordinary id under --root " + f.root() + " failed: " +
                               Describe(create));
  const Call& st = ctx.rt().Run({"state", c.id}, o);
  ctx.Require(st.ok(), "control state under --root failed: " + Describe(st));
  ctx.rt().Run({"delete", "--force", c.id}, o);
  ctx.Require(!ctx.rt().Run({"state", c.id}, o).ok(), "control delete --force under --root left the container");
  CheckFence(ctx, f, "an ordinary id");
}

// ---- hostile ids -----------------------------------------------------------------------------------

// Every command with a hostile id, against the fenced root. create must fail; the others may fail or
// (delete --force of a missing id) exit 0, but none may touch anything outside the root.
void HostileIdCommands(CaseContext& ctx, Fence& f, Container& c, const std::string& id, bool must_refuse) {
  ctx.WriteConfig(c);
  InvokeOptions o = Fenced(f);
  const Call& create = ctx.rt().Run({"create", "--bundle", c.bundle, id}, o);
  std::string shown = "id \"" + Printable(id) + "\"";
  if (must_refuse) ctx.Check(create.failed(), "create with " + shown + " must fail, got " + Describe(create));
  CheckFence(ctx, f, "create with " + shown);
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"state", id}, {"kill", id, "KILL"}, {"delete", id}, {"delete", "--force", id}}) {
    ctx.rt().Run(args, o);
    CheckFence(ctx, f, args[0] + (args[1] == "--force" ? " --force" : "") + " with " + shown);
  }
  if (create.ok()) {
    const Call& st = ctx.rt().Run({"state", id}, o);
    ctx.Check(!st.ok(), "after delete --force, state still knows " + shown);
  }
}

void PathLikeIds(CaseContext& ctx) {
  Fence f(ctx.scratch());
  ControlFencedId(ctx, f);
  // Relative to the root <fence>/a/b/c/root, each lands inside the fence if resolved as a path.
  std::vector<std::string> ids = {"..", ".", "../escape", "a/../../b", "../../../../up4", "a/b", "./dot",
                                  f.base() + "/x"};  // an absolute "/x" made to point into the fence
  for (const std::string& id : ids) {
    Container c = ctx.NewContainer("hostile");  // its own id is the safe one cleanup uses
    HostileIdCommands(ctx, f, c, id, true);
  }
}

// Ids with control characters (no NUL: argv cannot carry it): refused, or usable end to end.
void ControlCharIds(CaseContext& ctx) {
  Fence f(ctx.scratch());
  ControlFencedId(ctx, f);
  for (std::string tail : {std::string("new\nline"), std::string("tab\there"), std::string("esc\x1b[31mred"),
                           std::string("cr\rret"), std::string("del\x7f")}) {
    Container c = ctx.NewContainer("ctl");
    std::string id = "oct-" + ctx.env().run_tag + "-" + tail;
    HostileIdCommands(ctx, f, c, id, false);
  }
  std::error_code ec;
  ctx.Check(fs::is_empty(f.root(), ec), "state folders left in the root after delete --force of control-char ids");
}

// Long ids: refused with an error message, or usable end to end (create, state names it, delete).
void LongIds(CaseContext& ctx) {
  Fence f(ctx.scratch());
  ControlFencedId(ctx, f);
  for (size_t len : {200u, 250u, 255u, 256u, 1024u, 5000u}) {
    Container c = ctx.NewContainer("long");
    std::string id = c.id + "-";
    id.resize(len, 'x');
    ctx.WriteConfig(c);
    InvokeOptions o = Fenced(f);
    const Call& create = ctx.rt().Run({"create", "--bundle", c.bundle, id}, o);
    CheckFence(ctx, f, fmt::format("create with a {}-character id", len));
    if (!create.ok()) {
      ctx.Check(create.failed() && !create.inv.stderr_text.empty(),
                fmt::format("a refused {}-character id must fail with a message on stderr, got {}", len,
                            Describe(create)));
    } else {
      const Call& st = ctx.rt().Run({"state", id}, o);
      Json j = Json::parse(st.inv.stdout_text, nullptr, false);
      ctx.Check(st.ok() && j.is_object() && j.value("id", "") == id,
                fmt::format("a {}-character id was accepted but state does not name it: {}", len, Describe(st)));
    }
    ctx.rt().Run({"delete", "--force", id}, o);
    CheckFence(ctx, f, fmt::format("delete --force with a {}-character id", len));
    ctx.Check(!ctx.rt().Run({"state", id}, o).ok(), fmt::format("a {}-character id survives delete --force", len));
  }
}

// ---- bundle paths ------------------------------------------------------------------------------------

bool SameFile(const std::string& a, const std::string& b) {
  struct stat sa, sb;
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

void BundleDotDot(CaseContext& ctx) {
  fs::create_directories(ctx.scratch() + "/detour");
  std::string scratch_name = fs::path(ctx.scratch()).filename().string();
  for (int form = 0; form < 2; ++form) {
    Container c = ctx.NewContainer("bundle");
    ctx.WriteConfig(c);
    std::string leaf = fs::path(c.bundle).filename().string();
    // Absolute with a `..` segment, and relative to the runtime's cwd (the case folder) through `..`.
    std::string given = form == 0 ? ctx.scratch() + "/detour/../" + leaf : "../" + scratch_name + "/detour/../" + leaf;
    const Call& create = ctx.rt().Run({"create", "--bundle", given, c.id});
    ctx.Require(create.ok(), "create --bundle " + given + " failed: " + Describe(create));
    auto st = State(ctx, c.id);
    ctx.Require(st.has_value(), "state after create --bundle " + given + " failed");
    std::string bundle = st->value("bundle", "");
    ctx.Check(!bundle.empty() && bundle[0] == '/', "state.bundle is not absolute: \"" + bundle + "\"");
    ctx.Check(SameFile(bundle, c.bundle), "state.bundle \"" + bundle + "\" is not the bundle given as " + given);
    ctx.rt().Run({"delete", "--force", c.id});
  }
}

// ---- fds and cwd (CVE-2024-21626) --------------------------------------------------------------------

// Host fds handed to the runtime (fd 3: the case folder, fd 4: a host file, fd 5: /): without
// --preserve-fds none may reach the container.
struct HostFds {
  base::UniqueFd dir, file, root;
  explicit HostFds(const std::string& scratch) {
    base::WriteFile(scratch + "/host-secret", "host\n").IgnoreError();
    dir = base::UniqueFd(::open(scratch.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    file = base::UniqueFd(::open((scratch + "/host-secret").c_str(), O_RDONLY | O_CLOEXEC));
    root = base::UniqueFd(::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  }
  InvokeOptions Options() const {
    InvokeOptions o;
    o.extra_fds = {dir.get(), file.get(), root.get()};
    return o;
  }
};

std::string ExtraFds(const Json& report) {
  std::string extra;
  for (const Json& f : report["fds"])
    if (f.value("fd", -1) > 2) extra += fmt::format(" {}->{}", f.value("fd", -1), f.value("target", ""));
  return extra;
}

void FdsNotLeaked(CaseContext& ctx) {
  HostFds host(ctx.scratch());
  InvokeOptions o = host.Options();
  Container c = ctx.NewContainer("fds");
  c.config["process"]["args"] = {"/bin/probe"};
  ctx.WriteConfig(c);
  const Call& run = ctx.rt().Run({"run", "--bundle", c.bundle, c.id}, o);
  ctx.Require(run.ok(), "run of the probe failed: " + Describe(run));
  auto init = ParseProbe(run.inv.stdout_text);
  ctx.Require(init.has_value(), "the probe printed no report");
  std::string extra = ExtraFds(*init);
  ctx.Check(extra.empty(), "fds beyond 0-2 reached the container's init:" + extra);

  Container d = ctx.NewContainer("fds-exec");
  MakeStatus(ctx, d, "running");
  const Call& exec = ctx.rt().Run({"exec", d.id, "/bin/probe"}, o);
  ctx.Require(exec.ok(), "exec of the probe failed: " + Describe(exec));
  auto execd = ParseProbe(exec.inv.stdout_text);
  ctx.Require(execd.has_value(), "the exec'd probe printed no report");
  extra = ExtraFds(*execd);
  ctx.Check(extra.empty(), "fds beyond 0-2 reached the exec'd process:" + extra);
}

// A cwd that is not inside the container: glibc's getcwd fails (the probe reports "") or says
// "(unreachable)".
bool CwdInside(const Json& report) {
  std::string cwd = report.value("cwd", "");
  return !cwd.empty() && cwd[0] == '/';
}

void CwdProcSelfFd(CaseContext& ctx) {
  HostFds host(ctx.scratch());
  InvokeOptions o = host.Options();
  ControlRun(ctx, ctx.NewContainer("cwd-control"), "process.cwd /, the same fds");
  for (int n = 3; n <= 9; ++n) {
    Container c = ctx.NewContainer("cwd");
    std::string cwd = "/proc/self/fd/" + std::to_string(n);
    c.config["process"]["cwd"] = cwd;
    c.config["process"]["args"] = {"/bin/probe"};
    ctx.WriteConfig(c);
    const Call& run = ctx.rt().Run({"run", "--bundle", c.bundle, c.id}, o);
    if (!run.ok()) continue;  // refused: the safe answer
    auto r = ParseProbe(run.inv.stdout_text);
    ctx.Check(r.has_value(), "process.cwd " + cwd + ": run exited 0 but the probe printed no report");
    if (!r) continue;
    ctx.Check(CwdInside(*r), "process.cwd " + cwd + " left the process outside the container (getcwd: \"" +
                                 r->value("cwd", "") + "\")");
  }
}

void ExecCwdProcSelfFd(CaseContext& ctx) {
  HostFds host(ctx.scratch());
  InvokeOptions o = host.Options();
  Container c = ctx.NewContainer("exec-cwd");
  MakeStatus(ctx, c, "running");
  const Call& plain = ctx.rt().Run({"exec", "--cwd", "/", c.id, "/bin/probe"}, o);
  ctx.Require(plain.ok() && ParseProbe(plain.inv.stdout_text).has_value(),
              "exec --cwd / of the probe failed: " + Describe(plain));
  for (int n = 3; n <= 9; ++n) {
    std::string cwd = "/proc/self/fd/" + std::to_string(n);
    const Call& exec = ctx.rt().Run({"exec", "--cwd", cwd, c.id, "/bin/probe"}, o);
    if (!exec.ok()) continue;
    auto r = ParseProbe(exec.inv.stdout_text);
    ctx.Check(r.has_value(), "exec --cwd " + cwd + " exited 0 but the probe printed no report");
    if (r)
      ctx.Check(CwdInside(*r), "exec --cwd " + cwd + " left the process outside the container (getcwd: \"" +
                                   r->value("cwd", "") + "\")");
  }
}

// ---- mounts and masks through symlinks (CVE-2021-30465 class) ------------------------------------

// A private, writable copy of the rootfs with symlinks that leave it when resolved on the host:
// /evil-rel -> ../victim (the rootfs's parent), /evil-abs -> <case>/victim (absolute host path).
// Inside the container both name /victim and <case>/victim of the copy.
std::string HostileRootfs(CaseContext& ctx, const std::string& victim) {
  std::string rootfs = ctx.scratch() + "/rootfs";
  fs::copy(ctx.env().rootfs, rootfs, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  fs::create_directories(victim);
  base::WriteFile(victim + "/host-secret", "host\n").IgnoreError();
  fs::create_directories(rootfs + "/victim");
  fs::create_directories(rootfs + victim);
  fs::create_symlink("../victim", rootfs + "/evil-rel");
  fs::create_symlink(victim, rootfs + "/evil-abs");
  return rootfs;
}

bool HostMountAt(const std::string& path) {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.find(" " + path + " ") != std::string::npos) return true;
  return false;
}

void MountThroughSymlink(CaseContext& ctx) {
  std::string victim = ctx.scratch() + "/victim";
  std::string rootfs = HostileRootfs(ctx, victim);
  for (std::string link : {"/victim", "/evil-rel", "/evil-abs"}) {
    Container c = ctx.NewContainer("mount-link");
    c.config["root"] = {{"path", rootfs}, {"readonly", false}};
    std::string src = c.oct_dir + "/src";
    fs::create_directories(src);
    fs::permissions(src, fs::perms::all);
    c.config["mounts"].push_back({{"destination", link}, {"type", "bind"}, {"source", src}, {"options", {"rbind", "rw"}}});
    c.config["process"]["args"] = {"/bin/probe", "mark", link + "/through.log", "wrote"};
    ctx.WriteConfig(c);
    const Call& run = ctx.rt().Run({"run", "--bundle", c.bundle, c.id});
    ctx.Check(!fs::exists(victim + "/through.log"), "a write through " + link + " landed on the host: " + victim);
    ctx.Check(!HostMountAt(victim), "a mount landed on the host path " + victim);
    ctx.Check(base::ReadFile(victim + "/host-secret").value_or("") == "host\n", "the host folder was changed");
    if (link == "/victim")  // the control: a plain directory
      ctx.Require(run.ok() && fs::exists(src + "/through.log"), "control bind mount on /victim failed: " +
                                                                     Describe(run));
    if (!run.ok()) continue;  // refused: the safe answer
    // Accepted: the bind must be where the symlink points inside the container, so the write reached it.
    ctx.Check(fs::exists(src + "/through.log"), "mount destination " + link +
                                                    ": the bind is not where the symlink resolves inside the rootfs");
  }
}

void MaskThroughSymlink(CaseContext& ctx) {
  std::string victim = ctx.scratch() + "/victim";
  std::string rootfs = HostileRootfs(ctx, victim);
  Container control = ctx.NewContainer("mask-control");
  control.config["root"] = {{"path", rootfs}, {"readonly", false}};
  control.config["linux"]["maskedPaths"] = {"/proc/kcore"};
  ControlRun(ctx, control, "the private rootfs copy");
  base::WriteFile(rootfs + "/victim/secret", "inside\n").IgnoreError();
  base::WriteFile(rootfs + victim + "/secret", "inside\n").IgnoreError();
  Container c = ctx.NewContainer("mask-link");
  c.config["root"] = {{"path", rootfs}, {"readonly", false}};
  c.config["linux"]["maskedPaths"] = {"/evil-rel"};
  c.config["linux"]["readonlyPaths"] = {"/evil-abs"};
  Json args = {"/bin/probe", "--check", "/evil-rel/secret", "--try-write", "/evil-abs/new"};
  c.config["process"]["args"] = args;
  ctx.WriteConfig(c);
  const Call& run = ctx.rt().Run({"run", "--bundle", c.bundle, c.id});
  ctx.Check(!HostMountAt(victim), "a mask landed on the host path " + victim);
  ctx.Check(base::ReadFile(victim + "/host-secret").value_or("") == "host\n", "the host folder was changed");
  if (!run.ok()) return;  // refused
  auto r = ParseProbe(run.inv.stdout_text);
  ctx.Require(r.has_value(), "run exited 0 but the probe printed no report");
  const Json& masked = (*r)["paths"]["/evil-rel/secret"];
  ctx.Check(!masked.value("readable", false), "maskedPaths /evil-rel (a symlink) left its target readable: " +
                                                  masked.dump());
  int werr = (*r)["write_errno"].value("/evil-abs/new", 0);
  ctx.Check(werr != 0, "readonlyPaths /evil-abs (a symlink) left its target writable");
}

// Masked and read-only paths hold for exec'd processes too, and through /proc/<pid>/root.
void MaskedForExec(CaseContext& ctx) {
  Container c = ctx.NewContainer("mask-exec");
  MakeStatus(ctx, c, "running");
  const std::vector<std::string> masked = {"/proc/kcore", "/proc/1/root/proc/kcore", "/proc/self/root/proc/kcore",
                                           "/proc/timer_list"};
  const std::vector<std::string> readonly = {"/proc/sysrq-trigger", "/proc/1/root/proc/sysrq-trigger",
                                             "/proc/sys/kernel/hostname"};
  std::vector<std::string> args = {"exec", c.id, "/bin/probe"};
  for (const std::string& p : masked) args.insert(args.end(), {"--check", p});
  for (const std::string& p : readonly) args.insert(args.end(), {"--try-open-write", p});
  const Call& exec = ctx.rt().Run(args);
  ctx.Require(exec.ok(), "exec of the probe failed: " + Describe(exec));
  auto r = ParseProbe(exec.inv.stdout_text);
  ctx.Require(r.has_value(), "the exec'd probe printed no report");
  for (const std::string& p : masked) {
    const Json& e = (*r)["paths"][p];
    ctx.Check(!e.value("exists", false) || e.value("read_bytes", 1) == 0,
              "masked path " + p + " is readable from an exec'd process: " + e.dump());
  }
  for (const std::string& p : readonly)
    ctx.Check((*r)["open_write_errno"].value(p, 0) != 0, "read-only path " + p + " opened for writing from an exec'd process");
}

// ---- the runtime binary through /proc/<pid>/exe (CVE-2019-5736) --------------------------------------

struct WatchFindings {
  int observed = 0;  // processes seen whose executable is not a file of the container
  std::vector<std::string> writable;
  bool ready = false, done = false;
};

WatchFindings ReadWatch(const std::string& log) {
  WatchFindings w;
  for (const Json& j : ReadJsonLines(log)) {
    std::string ev = j.value("event", "");
    w.ready |= ev == "ready";
    w.done |= ev == "done";
    if (ev == "seen" && !j.value("container_file", false) && j.value("exe_errno", 0) != ENOENT) ++w.observed;
    // A writable fd to a linked file: a host file (a memfd copy has no link).
    if ((ev == "seen" || ev == "final") && j.value("write_errno", -1) == 0 && !j.value("container_file", false) &&
        j.value("nlink", 0) > 0)
      w.writable.push_back(fmt::format("pid {} exe \"{}\" (dev {} ino {})", j.value("pid", 0), j.value("exe", ""),
                                       j.value("dev", 0), j.value("ino", 0)));
  }
  return w;
}

std::string RuntimeBinaryNote(CaseContext& ctx) {
  struct stat st;
  if (::stat(ctx.runtime().path.c_str(), &st) != 0) return "";
  return fmt::format(" (the runtime binary {} is dev {} ino {})", ctx.runtime().path, st.st_dev, st.st_ino);
}

// A watcher container whose init is `probe exe-watch`; waits until it logs "ready".
Container StartWatcher(CaseContext& ctx, int seconds) {
  Container w = ctx.NewContainer("exe-watch");
  w.config["process"]["args"] = {"/bin/probe", "exe-watch", "/oct/watch.log", std::to_string(seconds)};
  CreateOk(ctx, w);
  StartOk(ctx, w.id);
  for (int i = 0; i < 100 && !ReadWatch(w.oct_dir + "/watch.log").ready; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ctx.Require(ReadWatch(w.oct_dir + "/watch.log").ready, "the watcher did not start");
  return w;
}

WatchFindings StopWatcher(CaseContext& ctx, const Container& w) {
  base::WriteFile(w.oct_dir + "/stop-watch", "").IgnoreError();
  for (int i = 0; i < 150 && !ReadWatch(w.oct_dir + "/watch.log").done; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return ReadWatch(w.oct_dir + "/watch.log");
}

void ReportWritable(CaseContext& ctx, const WatchFindings& f) {
  for (const std::string& w : f.writable)
    ctx.Check(false, "from inside the container a host executable could be opened for writing: " + w +
                         RuntimeBinaryNote(ctx));
}

// The runtime's init of a container that joins the watcher's pid namespace lives there from create to
// start: the watcher holds its executable and tries to reopen it for writing once it is gone.
void ExeFromInit(CaseContext& ctx) {
  Container w = StartWatcher(ctx, 20);
  auto st = State(ctx, w.id);
  int pid = st ? st->value("pid", 0) : 0;
  ctx.Require(pid > 0, "no pid for the watcher container");
  Container b = ctx.NewContainer("exe-init");
  for (Json& ns : b.config["linux"]["namespaces"])
    if (ns["type"] == "pid") ns["path"] = fmt::format("/proc/{}/ns/pid", pid);
  b.config["process"]["args"] = {"/bin/probe", "mark", "/oct/marks.log", "program"};
  CreateOk(ctx, b);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the init waits in the watcher's view
  StartOk(ctx, b.id);
  ctx.Check(WaitForStatus(ctx, b.id, "stopped"), "the second container did not stop");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  WatchFindings f = StopWatcher(ctx, w);
  ctx.Require(HasMark(b, "program"), "the container joining the pid namespace never ran its program");
  ctx.Require(f.observed > 0, "the watcher never saw the runtime's init in the shared pid namespace");
  ReportWritable(ctx, f);
  ctx.Note(fmt::format("{} runtime process(es) observed, none writable", f.observed));
}

// The runtime enters the container for each exec: the watcher (the container's init) sees its
// process before it becomes the program.
void ExeFromExec(CaseContext& ctx) {
  Container w = StartWatcher(ctx, 30);
  constexpr int kExecs = 10;
  int ran = 0;
  for (int i = 0; i < kExecs; ++i) {
    const Call& exec = ctx.rt().Run({"exec", w.id, "/bin/probe", "mark", "/oct/marks.log", "exec"});
    ran += exec.ok();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  WatchFindings f = StopWatcher(ctx, w);
  int marks = 0;
  for (const Json& j : ReadJsonLines(w.oct_dir + "/marks.log")) marks += j.value("kind", "") == "exec";
  ctx.Require(ran == kExecs && marks == kExecs,
              fmt::format("{} of {} execs succeeded, {} ran the program", ran, kExecs, marks));
  ReportWritable(ctx, f);
  if (f.observed == 0)
    ctx.Skip(fmt::format("in {} execs the runtime's process inside the container never lived long enough for the "
                         "watcher to see it: nothing to conclude about its executable",
                         kExecs));
  ctx.Note(fmt::format("{} runtime process(es) observed in {} execs, none writable", f.observed, kExecs));
}

Case Make(std::string name, std::string title, std::vector<std::string> reqs, std::function<void(CaseContext&)> run) {
  Case c;
  c.suite = "security";
  c.id = "security." + name;
  c.title = std::move(title);
  c.requirements = std::move(reqs);
  c.run = std::move(run);
  c.opt_in = true;
  return c;
}

}  // namespace

void AddSecurityCases(std::vector<Case>& out) {
  out.push_back(Make("exe.init",
                     "CVE-2019-5736: the runtime's init cannot be opened for writing through /proc/<pid>/exe from "
                     "a container sharing its pid namespace",
                     {"SecExeNotWritable"}, ExeFromInit));
  out.push_back(Make("exe.exec",
                     "CVE-2019-5736: the runtime's process entering the container for exec cannot be opened for "
                     "writing through /proc/<pid>/exe",
                     {"SecExeNotWritable"}, ExeFromExec));
  out.push_back(Make("fd.inherited", "CVE-2024-21626: fds the runtime inherits or opens reach neither init nor exec",
                     {"SecNoFdLeak"}, FdsNotLeaked));
  out.push_back(Make("cwd.proc-self-fd",
                     "CVE-2024-21626: process.cwd /proc/self/fd/N is refused or stays inside the container",
                     {"SecCwdInside", "ProcCwdImplement"}, CwdProcSelfFd));
  out.push_back(Make("exec-cwd.proc-self-fd",
                     "CVE-2024-21626: exec --cwd /proc/self/fd/N is refused or stays inside the container",
                     {"SecCwdInside"}, ExecCwdProcSelfFd));
  out.push_back(Make("mount.symlink-destination",
                     "CVE-2021-30465 class: a mount destination that is a symlink leaving the rootfs lands "
                     "inside it or is refused",
                     {"SecMountInsideRootfs", "MountsImplement"}, MountThroughSymlink));
  out.push_back(Make("masked.symlink",
                     "maskedPaths and readonlyPaths through symlinks leaving the rootfs mask their target "
                     "inside it",
                     {"SecMaskInsideRootfs", "MaskedPathsImplement"}, MaskThroughSymlink));
  out.push_back(Make("masked.exec", "masked and read-only paths hold for exec'd processes and via /proc/<pid>/root",
                     {"MaskedPathsImplement", "SecMaskInsideRootfs"}, MaskedForExec));
  out.push_back(Make("id.path-like",
                     "ids that are paths (.., ., ../x, a/../../b, a/b, absolute) are refused by every command, "
                     "and nothing outside --root is touched",
                     {"SecIdNotPath", "CreateWithUniqueID"}, PathLikeIds));
  out.push_back(Make("id.control-chars", "ids with control characters are refused or usable end to end, inside --root",
                     {"SecIdNotPath"}, ControlCharIds));
  out.push_back(Make("id.long", "ids of 200 to 5000 characters are refused with a message or usable end to end",
                     {"SecIdLimits"}, LongIds));
  out.push_back(Make("bundle.dotdot", "bundle paths with .. (absolute and relative) name the bundle; state.bundle is "
                     "absolute and the same folder",
                     {"SecBundlePath", "StateBundleAbs"}, BundleDotDot));
}

}  // namespace conform
