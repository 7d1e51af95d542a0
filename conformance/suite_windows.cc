// windows: what a runtime for Windows containers (runhcs, ocirun on Windows) must do through HCS,
// checked with cmd.exe built-ins inside the container (windows_image.h): the process fields
// (commandLine, args, env, cwd), hostname, mapped directories, exec, kill, ps, the windows section
// (layerFolders, hyperv, resources) and the refusals runhcs gives, each leaving nothing behind.
// The lifecycle matrix (suite_lifecycle.cc) runs on Windows containers too.
#include <algorithm>
#include <cctype>
#include <filesystem>

#include "base/file.h"
#include "conformance/case.h"
#include "conformance/helpers.h"
#include "harness/windows_image.h"

namespace conform {
namespace {

using Json = nlohmann::json;
using harness::kWindowsOctDir;
using harness::SetWindowsProgram;

Case Make(std::string id, std::string title, std::vector<std::string> reqs, std::function<void(CaseContext&)> run) {
  Case c;
  c.suite = "windows";
  c.id = "windows." + id;
  c.title = std::move(title);
  c.requirements = std::move(reqs);
  c.run = std::move(run);
  c.os = "windows";
  c.timeout = std::chrono::seconds(60);
  return c;
}

std::string Upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Runs the container in the foreground with `commands` as its program; returns the call.
const Call& RunCommands(CaseContext& ctx, Container& c, const std::vector<std::string>& commands) {
  SetWindowsProgram(c.config, commands);
  ctx.WriteConfig(c);
  return ctx.rt().Run({"run", "--bundle", c.bundle, c.id});
}

// Runs the container and requires exit 0; returns its output.
std::string RunOk(CaseContext& ctx, Container& c, const std::vector<std::string>& commands) {
  const Call& call = RunCommands(ctx, c, commands);
  ctx.Require(call.ok(), "run failed: " + Describe(call));
  return ctx.rt().OutputOf(call);
}

// A config the runtime must refuse at create: the call fails and no container is left.
void ExpectRefused(CaseContext& ctx, Container& c, const std::string& what) {
  const Call& call = Create(ctx, c);
  ctx.Check(call.failed(), "create with " + what + " must fail, got " + Describe(call));
  ctx.Check(!State(ctx, c.id).has_value(), "a refused create (" + what + ") left a container behind");
  const Call& list = ctx.rt().Run({"list", "-q"});
  ctx.Check(!Contains(list.inv.stdout_text, c.id), "list shows the refused container " + c.id);
}

void AddWinProcessCases(std::vector<Case>& out) {
  out.push_back(Make("run.output-and-exit", "run relays the process's stdout and exits with its exit code",
                     {"CliRunExitStatus", "CliStdioPassthrough"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("exit");
                       const Call& call = RunCommands(ctx, c, {"echo oct-hello", "exit 7"});
                       ctx.Check(call.inv.exit_code == 7, "run exited " + Describe(call) + ", want 7");
                       ctx.Check(Contains(ctx.rt().OutputOf(call), "oct-hello"), "the process's stdout did not reach run's");
                     }));
  out.push_back(Make("process.args", "without commandLine, args are joined with Windows quoting (\"a b\" stays one argument)",
                     {"ProcArgsOneEntryRequired"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("args");
                       c.config["process"].erase("commandLine");
                       c.config["process"]["args"] = {"cmd", "/c", "echo", "a b", "c"};
                       ctx.WriteConfig(c);
                       const Call& call = ctx.rt().Run({"run", "--bundle", c.bundle, c.id});
                       ctx.Require(call.ok(), "run failed: " + Describe(call));
                       // cmd's echo prints its arguments verbatim: the quoting is visible.
                       ctx.Check(Contains(ctx.rt().OutputOf(call), "\"a b\" c"),
                                 "output " + Json(ctx.rt().OutputOf(call)).dump() + " lacks \"a b\" c");
                     }));
  out.push_back(Make("process.env", "process.env reaches the process", {"ProcEnvImplement"}, [](CaseContext& ctx) {
    Container c = ctx.NewContainer("env");
    c.config["process"]["env"] = {"OCT_A=alpha", "OCT_B=two words"};
    std::string output = RunOk(ctx, c, {"echo [%OCT_A%][%OCT_B%]"});
    ctx.Check(Contains(output, "[alpha][two words]"), "env not seen: " + Json(output).dump());
  }));
  out.push_back(Make("process.cwd", "process.cwd is the working directory", {"ProcCwdImplement"}, [](CaseContext& ctx) {
    Container c = ctx.NewContainer("cwd");
    c.config["process"]["cwd"] = "C:\\Windows";
    std::string output = RunOk(ctx, c, {"cd"});
    ctx.Check(Contains(Upper(output), "C:\\WINDOWS"), "cd printed " + Json(output).dump() + ", want C:\\Windows");
  }));
  out.push_back(Make("hostname", "hostname is the container's computer name", {"HostnameImplement"}, [](CaseContext& ctx) {
    Container c = ctx.NewContainer("hostname");
    c.config["hostname"] = "oct-win-host";
    std::string output = RunOk(ctx, c, {"echo [%COMPUTERNAME%]"});
    ctx.Check(Contains(Upper(output), "[OCT-WIN-HOST]"), "COMPUTERNAME is " + Json(output).dump());
  }));
}

void AddWinMountCases(std::vector<Case>& out) {
  out.push_back(Make("mount.read-write", "a mount maps a host folder into the container, writable", {"MountsImplement"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("mount-rw");
                       RunOk(ctx, c, {std::string("echo written>") + kWindowsOctDir + "\\rw.txt"});
                       std::string got = base::ReadFile(c.oct_dir + "/rw.txt").value_or("");
                       ctx.Check(Contains(got, "written"), "the host folder did not get the file written inside");
                     }));
  out.push_back(Make("mount.read-only", "a mount with option ro cannot be written from inside", {"MountsImplement"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("mount-ro");
                       std::string src = c.oct_dir + "-ro";
                       std::filesystem::create_directories(src);
                       c.config["mounts"].push_back({{"destination", "C:\\ro"}, {"source", src}, {"options", {"ro"}}});
                       const Call& call = RunCommands(ctx, c, {"echo x>C:\\ro\\f.txt && exit 0 || exit 9"});
                       ctx.Check(!std::filesystem::exists(src + "/f.txt"), "a file was written through a read-only mount");
                       ctx.Check(call.inv.exit_code == 9, "writing to the read-only mount did not fail inside: " + Describe(call));
                     }));
  out.push_back(Make("mount.no-source", "a mount without a source is refused at create", {"PropApplyFailNotCreate"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("mount-nosrc");
                       c.config["mounts"].push_back({{"destination", "C:\\nosrc"}});
                       ExpectRefused(ctx, c, "a mount without source");
                     }));
}

void AddWinOperationCases(std::vector<Case>& out) {
  out.push_back(Make("exec", "exec runs a command in a running container with its output and exit code",
                     {"CliExecArgs"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("exec");
                       MakeStatus(ctx, c, "running");
                       const Call& echo = ctx.rt().Run({"exec", c.id, "cmd", "/c", "echo", "oct-exec"});
                       ctx.Check(echo.ok(), "exec echo failed: " + Describe(echo));
                       ctx.Check(Contains(ctx.rt().OutputOf(echo), "oct-exec"), "exec's output did not reach its stdout");
                       const Call& code = ctx.rt().Run({"exec", c.id, "cmd", "/c", "exit", "3"});
                       ctx.Check(code.inv.exit_code == 3, "exec of exit 3 returned " + Describe(code));
                     }));
  out.push_back(Make("kill.default", "kill without a signal (SIGTERM: CtrlShutdown, or terminate) stops the container",
                     {"KillSignalImplement", "CliKillSignalForms"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("kill");
                       MakeStatus(ctx, c, "running");
                       const Call& kill = ctx.rt().Run({"kill", c.id});
                       ctx.Require(kill.ok(), "kill failed: " + Describe(kill));
                       ctx.Check(WaitForStatus(ctx, c.id, "stopped", std::chrono::seconds(10)),
                                 "status after kill is \"" + StatusOf(ctx, c.id) + "\", want stopped");
                     }));
  out.push_back(Make("ps", "ps --format json lists the container's processes", {"CliPsJson"}, [](CaseContext& ctx) {
    Container c = ctx.NewContainer("ps");
    MakeStatus(ctx, c, "running");
    const Call& ps = ctx.rt().Run({"ps", "--format", "json", c.id});
    ctx.Require(ps.ok(), "ps failed: " + Describe(ps));
    Json pids = Json::parse(ps.inv.stdout_text, nullptr, false);
    ctx.Check(pids.is_array() && !pids.empty(), "ps printed " + ps.inv.stdout_text + ", want a non-empty JSON array");
  }));
}

void AddWindowsSectionCases(std::vector<Case>& out) {
  out.push_back(Make("layer-folders-required", "a Windows config without layerFolders is refused",
                     {"WindowsLayerFoldersRequired", "ErrorsLeaveStateUnchange"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("nolayers");
                       c.config["windows"].erase("layerFolders");
                       ExpectRefused(ctx, c, "no windows.layerFolders");
                     }));
  out.push_back(Make("hyperv-present", "with windows.hyperv the container runs (Hyper-V isolated)",
                     {"WindowsHyperVPresent"}, [](CaseContext& ctx) {
                       if (!ctx.profile().isolations.count("hyperv"))
                         ctx.Skip(ctx.runtime().name + " has no Hyper-V isolation");
                       Container c = ctx.NewContainer("hyperv");
                       c.config["windows"]["hyperv"] = Json::object();
                       ctx.Check(Contains(RunOk(ctx, c, {"echo oct-hyperv"}), "oct-hyperv"), "no output from the container");
                     }));
  out.push_back(Make("hyperv-omitted", "without windows.hyperv the container runs process isolated",
                     {"WindowsHyperVOmit"}, [](CaseContext& ctx) {
                       if (ctx.env().isolation != "process") ctx.Skip("a process-isolation case (run without --isolation hyperv)");
                       Container c = ctx.NewContainer("process");
                       c.config["windows"].erase("hyperv");
                       ctx.Check(Contains(RunOk(ctx, c, {"echo oct-process"}), "oct-process"), "no output from the container");
                     }));
  out.push_back(Make("resources", "windows.resources (memory limit, cpu count) are accepted and the container runs",
                     {"WindowsResourcesImplement"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("resources");
                       c.config["windows"]["resources"] = {{"memory", {{"limit", 512ull << 20}}}, {"cpu", {{"count", 1}}}};
                       ctx.Check(Contains(RunOk(ctx, c, {"echo oct-resources"}), "oct-resources"), "no output from the container");
                     }));
  out.push_back(Make("resources.cpu-exclusive", "cpu count, maximum and shares together are refused (runhcs: mutually exclusive)",
                     {"PropApplyFailNotCreate"}, [](CaseContext& ctx) {
                       if (ctx.env().isolation != "process") ctx.Skip("the rule is for process-isolated containers");
                       Container c = ctx.NewContainer("cpu-excl");
                       c.config["windows"]["resources"] = {{"cpu", {{"count", 1}, {"maximum", 5000}}}};
                       ExpectRefused(ctx, c, "cpu count and maximum together");
                     }));
  out.push_back(Make("root.readonly", "root.readonly is refused (not supported for Windows containers)",
                     {"PropApplyFailNotCreate"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("ro-root");
                       c.config["root"] = {{"path", ""}, {"readonly", true}};
                       ExpectRefused(ctx, c, "root.readonly true");
                     }));
}

}  // namespace

void AddWindowsCases(std::vector<Case>& out) {
  AddWinProcessCases(out);
  AddWinMountCases(out);
  AddWinOperationCases(out);
  AddWindowsSectionCases(out);
}

}  // namespace conform
