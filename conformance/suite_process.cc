// process: what runs inside and how the runtime talks about it: exec (argv and --process forms),
// pause/resume, ps, list, state format, signals, exit codes, stdio pass-through, console socket,
// pid file, update.
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <regex>
#include <thread>

#include "base/file.h"
#include "base/unique_fd.h"
#include "conformance/case.h"
#include "conformance/cgroups.h"
#include "conformance/helpers.h"

namespace conform {
namespace {

using Json = nlohmann::json;
using std::chrono::milliseconds;

Case Make(std::string id, std::string title, std::vector<std::string> reqs, std::function<void(CaseContext&)> run,
          bool host_side = false) {
  Case c;
  c.suite = "process";
  c.id = "process." + id;
  c.title = std::move(title);
  c.requirements = std::move(reqs);
  c.run = std::move(run);
  c.host_side = host_side;
  return c;
}

bool WaitUntil(const std::function<bool()>& cond, milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (!cond()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return true;
}

off_t SizeOf(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? st.st_size : -1;
}

std::string FileText(const std::string& path) { return base::ReadFile(path).value_or(""); }

void AddExecCases(std::vector<Case>& out) {
  out.push_back(Make("exec.args", "exec <id> <cmd> runs in the container's namespaces with its env",
                     {"CliExecArgs", "EntityOperSameContainer"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("exec");
                       int pid = MakeStatus(ctx, c, "running");
                       const Call& call = ctx.rt().Run({"exec", c.id, "/bin/probe"});
                       ctx.Require(call.ok(), "exec failed: " + Describe(call));
                       auto report = ParseProbe(call.inv.stdout_text);
                       ctx.Require(report.has_value(), "exec: the probe printed no report");
                       for (const char* ns : {"pid", "mnt", "net", "ipc", "uts"})
                         ctx.Check((*report)["namespaces"][ns] == NamespaceOf(std::to_string(pid), ns),
                                   std::string("exec'd process is not in the container's ") + ns + " namespace");
                       ctx.Check((*report)["hostname"] == "oct-conform", "exec'd process sees another hostname");
                     }));
  out.push_back(Make("exec.flags", "exec --env --cwd --user apply to the new process", {"CliExecArgs"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("execflags");
                       MakeStatus(ctx, c, "running");
                       const Call& call = ctx.rt().Run({"exec", "--env", "OCT_EXEC=yes", "--cwd", "/tmp", "--user",
                                                        "1000:1000", c.id, "/bin/probe"});
                       ctx.Require(call.ok(), "exec failed: " + Describe(call));
                       auto r = ParseProbe(call.inv.stdout_text);
                       ctx.Require(r.has_value(), "exec: the probe printed no report");
                       bool env = false;
                       for (const Json& e : (*r)["env"]) env |= e == "OCT_EXEC=yes";
                       ctx.Check(env, "--env OCT_EXEC=yes is not in the environment");
                       ctx.Check((*r)["cwd"] == "/tmp", "--cwd /tmp: cwd is " + (*r)["cwd"].dump());
                       ctx.Check((*r)["uid"] == 1000 && (*r)["gid"] == 1000,
                                 "--user 1000:1000: uid/gid are " + (*r)["uid"].dump() + "/" + (*r)["gid"].dump());
                     }));
  out.push_back(Make("exec.exit-code", "exec in the foreground exits with the process's status", {"CliExecArgs"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("execexit");
                       MakeStatus(ctx, c, "running");
                       const Call& call = ctx.rt().Run({"exec", c.id, "/bin/sh", "-c", "exit 7"});
                       ctx.Check(call.inv.exit_code == 7, "exec of 'exit 7' returned " + Describe(call));
                     }));
  out.push_back(Make("exec.process-json", "exec --process --detach --pid-file, as containerd's shim calls it",
                     {"CliExecProcessJson", "CliPidFileFormat"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("execjson");
                       int init = MakeStatus(ctx, c, "running");
                       Json process = c.config["process"];
                       process["args"] = {"/bin/probe", "mark", "/oct/marks.log", "exec", "--sleep", "3600"};
                       std::string pj = ctx.scratch() + "/process.json", pidfile = ctx.scratch() + "/exec.pid";
                       base::WriteFile(pj, process.dump()).IgnoreError();
                       const Call& call = ctx.rt().Run(
                           {"exec", "--process", pj, "--detach", "--pid-file", pidfile, c.id});
                       ctx.Require(call.ok(), "exec --detach failed: " + Describe(call));
                       std::string text = FileText(pidfile);
                       ctx.Require(std::regex_match(text, std::regex("[0-9]+")),
                                   "pid file is not a bare decimal pid: \"" + text + "\"");
                       int pid = std::stoi(text);
                       ctx.Check(PidAlive(pid), "the exec'd process (pid file) is not alive");
                       ctx.Check(NamespaceOf(std::to_string(pid), "pid") == NamespaceOf(std::to_string(init), "pid"),
                                 "the exec'd process is not in the container's pid namespace");
                       ctx.Check(WaitUntil([&] { return HasMark(c, "exec"); }, milliseconds(5000)),
                                 "the exec'd process did not run");
                     }, true));
  out.push_back(Make("exec.stopped", "exec into a stopped container fails", {"CliExecNotRunningError"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("execstopped");
                       MakeStatus(ctx, c, "stopped");
                       ExpectRefusal(ctx, {"exec", c.id, "/bin/true"}, "exec into a stopped container");
                       std::string status = StatusOf(ctx, c.id);
                       ctx.Check(status == "stopped", "the refused exec changed the status from stopped to " +
                                                          (status.empty() ? std::string("gone") : status));
                     }));
}

// runtime.md#state: the state document against specs/schema/state.json (required ociVersion, id,
// status, bundle; pid a non-negative integer; annotations a string map), its ociVersion SemVer.
void CheckStateSchema(CaseContext& ctx, const Json& st, const std::string& status) {
  std::string bad = SchemaViolations(st, "state.json");
  ctx.Check(bad.empty(), "state of a " + status + " container does not match the state schema "
                         "(specs/schema/state.json): " + bad);
  static const std::regex kSemVer(R"(\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?)");
  auto v = st.find("ociVersion");
  ctx.Check(v != st.end() && v->is_string() && std::regex_match(v->get<std::string>(), kSemVer),
            "state.ociVersion is not a SemVer 2.0.0 version: " + (v == st.end() ? std::string("missing") : v->dump()));
}

void AddControlCases(std::vector<Case>& out) {
  out.push_back(Make("pause.freezes", "pause stops every process of the container; resume lets them run again",
                     {"CliPauseResume"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("freeze");
                       c.config["process"]["args"] = {"/bin/sh", "-c", "while :; do echo x >> /oct/tick; usleep 20000; done"};
                       CreateOk(ctx, c);
                       StartOk(ctx, c.id);
                       std::string tick = c.oct_dir + "/tick";
                       ctx.Require(WaitUntil([&] { return SizeOf(tick) > 4; }, milliseconds(5000)),
                                   "the ticking program did not start");
                       const Call& pause = ctx.rt().Run({"pause", c.id});
                       ctx.Require(pause.ok(), "pause failed: " + Describe(pause));
                       ctx.Check(StatusOf(ctx, c.id) == "paused", "status after pause is not paused");
                       std::this_thread::sleep_for(milliseconds(60));
                       off_t frozen = SizeOf(tick);
                       std::this_thread::sleep_for(milliseconds(250));
                       ctx.Check(SizeOf(tick) == frozen, "the container kept running while paused");
                       const Call& resume = ctx.rt().Run({"resume", c.id});
                       ctx.Require(resume.ok(), "resume failed: " + Describe(resume));
                       ctx.Check(StatusOf(ctx, c.id) == "running", "status after resume is not running");
                       ctx.Check(WaitUntil([&] { return SizeOf(tick) > frozen; }, milliseconds(3000)),
                                 "the container did not run again after resume");
                     }));
  out.push_back(Make("ps.json", "ps --format json lists the container's pids", {"CliPsJson"}, [](CaseContext& ctx) {
    Container c = ctx.NewContainer("ps");
    int pid = MakeStatus(ctx, c, "running");
    const Call& call = ctx.rt().Run({"ps", "--format", "json", c.id});
    ctx.Require(call.ok(), "ps failed: " + Describe(call));
    Json pids = Json::parse(call.inv.stdout_text, nullptr, false);
    ctx.Require(pids.is_array(), "ps --format json did not print a JSON array");
    bool found = false;
    for (const Json& p : pids) found |= p == pid;
    ctx.Check(found, "ps does not list the init pid " + std::to_string(pid) + ": " + pids.dump());
  }));
  out.push_back(Make("list.formats", "list: table header, -q ids, --format json states", {"CliListFormats"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("list");
                       MakeStatus(ctx, c, "created");
                       const Call& table = ctx.rt().Run({"list"});
                       ctx.Check(std::regex_search(table.inv.stdout_text,
                                                   std::regex("^ID +PID +STATUS +BUNDLE +CREATED +OWNER")),
                                 "list has no 'ID PID STATUS BUNDLE CREATED OWNER' header");
                       // Other cases share this runtime's --root: look for our line / entry only.
                       const Call& quiet = ctx.rt().Run({"list", "-q"});
                       ctx.Check(quiet.ok() && ("\n" + quiet.inv.stdout_text).find("\n" + c.id + "\n") != std::string::npos,
                                 "list -q does not print the id on a line of its own");
                       ctx.Check(quiet.inv.stdout_text.find(' ') == std::string::npos, "list -q prints more than ids");
                       const Call& json = ctx.rt().Run({"list", "--format", "json"});
                       Json states = Json::parse(json.inv.stdout_text, nullptr, false);
                       bool found = false;
                       if (states.is_array())
                         for (const Json& s : states) found |= s.value("id", "") == c.id && s.value("status", "") == "created";
                       ctx.Check(found, "list --format json does not hold the created container: " +
                                            json.inv.stdout_text.substr(0, 300));
                     }));
  out.push_back(Make("state.format", "state JSON: ociVersion, id, pid, status, absolute bundle, RFC3339 created",
                     {"CliStateFormat", "DefaultStateJSONPattern", "StateBundleAbs", "QueryStateImplement",
                      "StatePidOnLinux"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("stateformat");
                       c.config["process"]["args"] = {"/bin/sh", "-c", "read x"};  // stdin is /dev/null: exits
                       CreateOk(ctx, c);
                       auto st = State(ctx, c.id);
                       ctx.Require(st.has_value(), "state printed no JSON object");
                       CheckStateSchema(ctx, *st, "created");
                       ctx.Check((*st)["pid"].is_number_integer() && (*st)["pid"].get<int>() > 0,
                                 "state.pid is not a positive integer while created");
                       ctx.Check((*st).value("bundle", "").rfind('/', 0) == 0, "state.bundle is not absolute");
                       ctx.Check(std::regex_match((*st).value("created", ""),
                                                  std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d))")),
                                 "state.created is not RFC3339: " + (*st)["created"].dump());
                       StartOk(ctx, c.id);
                       ctx.Require(WaitForStatus(ctx, c.id, "stopped"), "the container did not stop");
                       auto stopped = State(ctx, c.id);
                       ctx.Require(stopped.has_value(), "state of the stopped container printed no JSON object");
                       CheckStateSchema(ctx, *stopped, "stopped");
                       ctx.Check((*stopped).value("pid", -1) == 0, "state.pid is not 0 once stopped");
                     }));
  out.push_back(Make("update.resources", "update --resources - applies LinuxResources JSON from stdin",
                     {"CliUpdateResources"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("update");
                       c.config["linux"]["resources"]["pids"] = {{"limit", 100}};
                       int pid = MakeStatus(ctx, c, "running");
                       cgroups::Location pids = cgroups::LocateProcess(cgroups::HostLayout(), pid, "pids");
                       ctx.Require(pids.found(), "the container's pids cgroup is not found from /proc/" +
                                                     std::to_string(pid) + "/cgroup");
                       InvokeOptions o;
                       o.stdin_data = R"({"pids":{"limit":42}})";
                       const Call& call = ctx.rt().Run({"update", "--resources", "-", c.id}, o);
                       ctx.Require(call.ok(), "update failed: " + Describe(call));
                       std::string max = FileText(pids.dir + "/pids.max");
                       ctx.Check(max == "42\n", "pids.max after update is \"" + max + "\", want 42");
                     }, true));
}

void AddSignalCases(std::vector<Case>& out) {
  out.push_back(Make("kill.signal-forms", "kill delivers the signal given as a number, a name or SIG-name; TERM by default",
                     {"KillSignalImplement", "CliKillSignalForms"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("signals");
                       c.config["process"]["args"] = {
                           "/bin/sh", "-c",
                           "trap 'echo usr1 >> /oct/sig' USR1; trap 'echo term >> /oct/sig; exit 0' TERM; "
                           "echo ready >> /oct/sig; while :; do usleep 10000; done"};
                       CreateOk(ctx, c);
                       StartOk(ctx, c.id);
                       std::string sig = c.oct_dir + "/sig";
                       auto count = [&](const std::string& word) {
                         std::string t = FileText(sig);
                         int n = 0;
                         for (size_t p = t.find(word); p != std::string::npos; p = t.find(word, p + 1)) ++n;
                         return n;
                       };
                       ctx.Require(WaitUntil([&] { return count("ready") == 1; }, milliseconds(5000)),
                                   "the signal program did not start");
                       int want = 0;
                       for (const char* form : {"USR1", "SIGUSR1", "10"}) {
                         const Call& call = ctx.rt().Run({"kill", c.id, form});
                         ctx.Check(call.ok(), std::string("kill ") + form + " failed: " + Describe(call));
                         ++want;
                         ctx.Check(WaitUntil([&] { return count("usr1") >= want; }, milliseconds(3000)),
                                   std::string("kill ") + form + " did not deliver SIGUSR1");
                       }
                       const Call& term = ctx.rt().Run({"kill", c.id});
                       ctx.Check(term.ok(), "kill without a signal failed: " + Describe(term));
                       ctx.Check(WaitUntil([&] { return count("term") == 1; }, milliseconds(3000)),
                                 "kill without a signal did not deliver SIGTERM");
                       ctx.Check(WaitForStatus(ctx, c.id, "stopped"), "the container did not stop after SIGTERM");
                     }));
  out.push_back(Make("run.exit-status", "run in the foreground exits with the process's exit status",
                     {"CliRunExitStatus", "ProcImplement"}, [](CaseContext& ctx) {
                       for (int code : {0, 3, 137}) {
                         Container c = ctx.NewContainer("exit" + std::to_string(code));
                         c.config["process"]["args"] = {"/bin/sh", "-c", "exit " + std::to_string(code)};
                         ctx.WriteConfig(c);
                         const Call& call = ctx.rt().Run({"run", "--bundle", c.bundle, c.id});
                         ctx.Check(call.inv.exit_code == code,
                                   "run of 'exit " + std::to_string(code) + "' returned " + Describe(call));
                       }
                     }));
  out.push_back(Make("stdio.passthrough", "without a terminal, stdin/stdout/stderr reach the process",
                     {"CliStdioPassthrough", "ProcImplement"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("stdio");
                       c.config["process"]["args"] = {"/bin/sh", "-c", "read x; echo \"out:$x\"; echo \"err:$x\" >&2"};
                       ctx.WriteConfig(c);
                       InvokeOptions o;
                       o.stdin_data = "hello-oct\n";
                       const Call& call = ctx.rt().Run({"run", "--bundle", c.bundle, c.id}, o);
                       ctx.Require(call.ok(), "run failed: " + Describe(call));
                       ctx.Check(call.inv.stdout_text.find("out:hello-oct") != std::string::npos,
                                 "stdin did not reach the process or stdout did not come back");
                       ctx.Check(call.inv.stderr_text.find("err:hello-oct") != std::string::npos,
                                 "stderr did not come back");
                     }));
  out.push_back(Make("pid-file", "create --pid-file writes the init pid, decimal, no newline",
                     {"CliPidFileFormat"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("pidfile");
                       std::string pidfile = c.bundle + "/init.pid";
                       CreateOk(ctx, c, {"--pid-file", pidfile});
                       std::string text = FileText(pidfile);
                       ctx.Require(std::regex_match(text, std::regex("[0-9]+")),
                                   "pid file is not a bare decimal pid: \"" + text + "\"");
                       auto st = State(ctx, c.id);
                       ctx.Check(st && (*st)["pid"] == std::stoi(text), "pid file and state.pid differ");
                     }));
  out.push_back(Make("console-size-ignored", "consoleSize without a terminal is ignored", {"ProcessConsoleSizeIgnore"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("consolesize");
                       c.config["process"]["consoleSize"] = {{"height", 10}, {"width", 20}};
                       Json r = RunProbe(ctx, c);
                       ctx.Check(!r["tty"]["stdout"].get<bool>(), "the process got a terminal");
                     }));
}

// Receives one fd over SCM_RIGHTS on an accepted connection (the console socket protocol).
base::UniqueFd ReceiveFd(int listener, std::string& name) {
  pollfd p{listener, POLLIN, 0};
  if (::poll(&p, 1, 5000) != 1) return {};
  base::UniqueFd conn(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
  if (!conn) return {};
  char data[512] = {};
  char control[CMSG_SPACE(sizeof(int))] = {};
  iovec iov{data, sizeof data - 1};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  pollfd q{conn.get(), POLLIN, 0};
  if (::poll(&q, 1, 5000) != 1 || ::recvmsg(conn.get(), &msg, MSG_CMSG_CLOEXEC) < 0) return {};
  name = data;
  cmsghdr* cm = CMSG_FIRSTHDR(&msg);
  if (!cm || cm->cmsg_type != SCM_RIGHTS) return {};
  int fd;
  std::memcpy(&fd, CMSG_DATA(cm), sizeof fd);
  return base::UniqueFd(fd);
}

void AddConsoleCase(std::vector<Case>& out) {
  out.push_back(Make("console-socket", "--console-socket receives the pty master; the process has a terminal",
                     {"CliConsoleSocket", "ProcTerminalImplement"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("console");
                       c.config["process"]["terminal"] = true;
                       c.config["process"]["args"] = {"/bin/probe"};
                       std::string path = ctx.scratch() + "/console.sock";
                       base::UniqueFd listener(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
                       sockaddr_un addr{};
                       addr.sun_family = AF_UNIX;
                       ctx.Require(path.size() < sizeof addr.sun_path, "console socket path too long");
                       std::strcpy(addr.sun_path, path.c_str());
                       ctx.Require(::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                                       ::listen(listener.get(), 1) == 0,
                                   "cannot listen on the console socket");
                       CreateOk(ctx, c, {"--console-socket", path});
                       std::string name;
                       base::UniqueFd master = ReceiveFd(listener.get(), name);
                       ctx.Require(master.valid(), "no fd received over the console socket");
                       ctx.Check(::isatty(master.get()) == 1, "the received fd is not a terminal");
                       StartOk(ctx, c.id);
                       std::string text;
                       auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
                       while (std::chrono::steady_clock::now() < until && !ParseProbe(text)) {
                         pollfd p{master.get(), POLLIN, 0};
                         if (::poll(&p, 1, 100) <= 0) continue;
                         char buf[8192];
                         ssize_t n = ::read(master.get(), buf, sizeof buf);
                         if (n <= 0) break;
                         text.append(buf, static_cast<size_t>(n));
                       }
                       auto report = ParseProbe(text);
                       ctx.Require(report.has_value(), "no probe report arrived on the pty");
                       ctx.Check((*report)["tty"]["stdout"] == true && (*report)["tty"]["stdin"] == true,
                                 "the process's stdio is not a terminal");
                     }));
}

}  // namespace

void AddProcessCases(std::vector<Case>& out) {
  AddExecCases(out);
  AddControlCases(out);
  AddSignalCases(out);
  AddConsoleCase(out);
}

}  // namespace conform
