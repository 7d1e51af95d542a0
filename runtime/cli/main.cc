// ocirun: a runc/runhcs-compatible OCI runtime. This file only holds the command table.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string_view>
#ifdef _WIN32
#include <windows.h>
#endif

#include "runtime/cli/command.h"

namespace {

using ocirun::cli::Registration;

struct Command {
  const char* name;
  Registration reg;
};

constexpr Command kCommands[] = {
    {"create", ocirun::cli::RegisterCreate},  {"start", ocirun::cli::RegisterStart},
    {"run", ocirun::cli::RegisterRun},        {"exec", ocirun::cli::RegisterExec},
    {"kill", ocirun::cli::RegisterKill},      {"delete", ocirun::cli::RegisterDelete},
    {"pause", ocirun::cli::RegisterPause},    {"resume", ocirun::cli::RegisterResume},
    {"ps", ocirun::cli::RegisterPs},          {"state", ocirun::cli::RegisterState},
    {"list", ocirun::cli::RegisterList},      {"features", ocirun::cli::RegisterFeatures},
    {"update", ocirun::cli::RegisterUpdate},  {"spec", ocirun::cli::RegisterSpec},
    {"resize-tty", ocirun::cli::RegisterResizeTty}, {"init", ocirun::cli::RegisterInit},
};

void AddGlobalFlags(CLI::App& app, ocirun::cli::GlobalOptions& g) {
  app.add_option("--root", g.root, "root folder for container state")->capture_default_str();
  app.add_option("--log", g.log, "log file (errors as records; containerd reads the json form)");
  app.add_option("--log-format", g.log_format, "log format: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_flag("--debug", g.debug, "debug logging");
  app.add_flag("--systemd-cgroup", g.systemd_cgroup, "accepted; cgroupfs is always used");
  app.add_option("--rootless", g.rootless, "accepted for runc compatibility");
  app.add_option("--isolation", g.isolation,
                 "default isolation of new containers (annotation io.ocirun.isolation overrides)")
      ->check(CLI::IsMember({"process", "hyperv"}))
      ->capture_default_str();
  app.add_option("--owner", g.owner, "runhcs: the owner (Windows: HCS documents and state)")->capture_default_str();
}

// The command named on the command line, when it is one of ours: only its subcommand is then built
// (CLI11 options for all fifteen commands cost every short verb its share). Global flags come first;
// those that take a value may take it as the next word. Anything else (no command, --help alone,
// an unknown word) gets the full table, so usage and errors read as before.
const Command* NamedCommand(int argc, char** argv) {
  static constexpr const char* kValueFlags[] = {"--root", "--log", "--log-format", "--rootless", "--owner",
                                                 "--isolation"};
  for (int i = 1; i < argc; ++i) {
    std::string_view word = argv[i];
    if (word.empty()) return nullptr;
    if (word[0] == '-') {
      for (const char* f : kValueFlags)
        if (word == f) ++i;
      continue;
    }
    for (const Command& c : kCommands)
      if (word == c.name) return &c;
    return nullptr;
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
#ifdef SIGPIPE
  std::signal(SIGPIPE, SIG_IGN);  // a reader that goes away must not kill ocirun (no SIGPIPE on Windows)
#endif
  ocirun::cli::GlobalOptions global;
  CLI::App app("ocirun: an OCI runtime with runc's and runhcs's command line", "ocirun");
  app.set_version_flag("-v,--version",
                       std::string("ocirun version ") + OCIRUN_VERSION + "\nspec: 1.2.0");
  AddGlobalFlags(app, global);
  app.require_subcommand(1);
  const Command* named = NamedCommand(argc, argv);
  std::vector<ocirun::cli::CommandRun> runs;
  for (const Command& c : kCommands) runs.push_back(!named || named == &c ? c.reg(app, global) : nullptr);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    // Usage errors are errors like any other: stderr and the --log record, exit 1.
    return ocirun::cli::ReportError(global, base::InvalidArgument(ocirun::cli::UsageMessage(app, e, argc, argv)));
  }
  for (size_t i = 0; i < std::size(kCommands); ++i) {
    if (!runs[i] || !app.got_subcommand(kCommands[i].name)) continue;
    int code = runs[i]();
#ifdef _WIN32
    // A stdio relay may leave a detached thread blocked on a pipe that a container process still
    // holds (runtime/hcs/stdio_relay.h). Returning from main would run static destructors while it
    // can still wake up; ExitProcess ends the other threads first. (Under wine, ocirun.exe crashed
    // now and then at exit, executing freed memory.)
    std::fflush(nullptr);
    ::ExitProcess(static_cast<UINT>(code));
#endif
    return code;
  }
  return ocirun::cli::ReportError(global, base::InvalidArgument("no command given"));
}
