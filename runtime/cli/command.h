// The ocirun command line: global options and the registration every cli/cmd_<name>.cc implements.
// A registration adds its subcommand (flags, positionals) to the app and returns the function main()
// runs when that subcommand was chosen; it runs after parsing, with the global options filled in.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "base/status.h"
#include "runtime/container/backend.h"
#include "runtime/container/container.h"
#include "runtime/container/operations.h"

namespace ocirun::cli {

struct GlobalOptions {
  std::string root = "/run/ocirun";
  std::string log;                 // --log FILE ("" = stderr only)
  std::string log_format = "text"; // text | json
  bool debug = false;
  bool systemd_cgroup = false;
  std::string rootless = "auto";
  // runhcs's --owner: on Windows the HCS documents' Owner and the state's owner.
  std::string owner = "ocirun";
  // Linux: the isolation of containers whose config has no io.ocirun.isolation annotation
  // (docs/hyperv.md): process or hyperv.
  std::string isolation = "process";
};

using CommandRun = std::function<int()>;
using Registration = CommandRun (*)(CLI::App& app, GlobalOptions& global);

CommandRun RegisterCreate(CLI::App& app, GlobalOptions& global);
CommandRun RegisterStart(CLI::App& app, GlobalOptions& global);
CommandRun RegisterRun(CLI::App& app, GlobalOptions& global);
CommandRun RegisterExec(CLI::App& app, GlobalOptions& global);
CommandRun RegisterKill(CLI::App& app, GlobalOptions& global);
CommandRun RegisterDelete(CLI::App& app, GlobalOptions& global);
CommandRun RegisterPause(CLI::App& app, GlobalOptions& global);
CommandRun RegisterResume(CLI::App& app, GlobalOptions& global);
CommandRun RegisterPs(CLI::App& app, GlobalOptions& global);
CommandRun RegisterState(CLI::App& app, GlobalOptions& global);
CommandRun RegisterList(CLI::App& app, GlobalOptions& global);
CommandRun RegisterFeatures(CLI::App& app, GlobalOptions& global);
CommandRun RegisterUpdate(CLI::App& app, GlobalOptions& global);
CommandRun RegisterSpec(CLI::App& app, GlobalOptions& global);
CommandRun RegisterInit(CLI::App& app, GlobalOptions& global);    // hidden: the container init
CommandRun RegisterResizeTty(CLI::App& app, GlobalOptions& global);  // runhcs's resize-tty

// What differs between the Linux and the Windows command line: cli/platform_linux.cc and
// cli/platform_win32.cc, one chosen by CMake.
// ps's formats, the default first: Linux "table", "json" (runc); Windows "json" only (runhcs).
std::vector<std::string> PsFormats();
// kill's signal argument. Linux: runc's names and numbers. Windows: runhcs's as well, any case:
// CtrlC (0), CtrlBreak (1), CtrlClose (2), CtrlLogoff (5), CtrlShutdown (6), TERM (15), KILL (9).
base::Result<int> ParseKillSignal(const std::string& text);
// Windows: `exec -u NAME` is a user name (process.user.username, e.g. ContainerAdministrator), as
// runhcs takes it. Linux: uid[:gid], untouched.
void AdaptExecUser(ExecFlags& flags);
// resize-tty: the console of process `pid` (0: the init). Windows only; Linux refuses it.
base::Status ResizeTty(const Runtime& rt, const std::string& id, int pid, int width, int height);

// The backend for this run: Linux, the isolation dispatcher (process or hyperv per container, the
// global --isolation as the default); Windows, the HCS backend.
std::unique_ptr<Backend> MakeCliBackend(const GlobalOptions& global);

// A subcommand's name and what main() runs when it was chosen.
struct NamedCommand {
  const char* name;
  CommandRun run;
};
// Adds the global flags and the subcommands (the command table, cli/command_table.cc) to app; one
// subcommand is required. When argv names one of ours, only that subcommand is built; otherwise
// (no command, --help, an unknown word) all of them, so usage and errors list the whole table.
// Parsing runs nothing: main() calls the chosen command's run afterwards.
std::vector<NamedCommand> AddCommands(CLI::App& app, GlobalOptions& global, int argc, const char* const* argv);

// create's flags and id (shared with run).
void AddCreateFlags(CLI::App* sub, CreateOptions& opts);

// The runtime (root + this build's backend) for the global options. Lives for the process.
Runtime& GetRuntime(const GlobalOptions& global);

// Reports an error the way runc does and returns exit code 1: with --log, the message goes to stderr
// and a {"level":"error","msg":...,"time":...} line (json) or a logfmt line (text) to the log file;
// without --log, a logfmt line goes to stderr.
int ReportError(const GlobalOptions& global, const base::Status& status);
// The message for a command-line error. CLI11 reads an id such as "-x" as flags and then says only
// "id is required": when an argument of the chosen command starting with '-' is no flag of it, the
// message names it and says that such an id goes after "--".
std::string UsageMessage(const CLI::App& app, const CLI::ParseError& error, int argc, char** argv);
// A warning record (log file or stderr), e.g. a failing poststop hook.
void ReportWarning(const GlobalOptions& global, const std::string& message);

}  // namespace ocirun::cli
