// ocirun's command table: every subcommand and the global flags (shared by main.cc and the
// command-line fuzz target, which parses without running anything).
#include <string_view>

#include "runtime/cli/command.h"

namespace ocirun::cli {

namespace {

struct Command {
  const char* name;
  Registration reg;
};

constexpr Command kCommands[] = {
    {"create", RegisterCreate},  {"start", RegisterStart},
    {"run", RegisterRun},        {"exec", RegisterExec},
    {"kill", RegisterKill},      {"delete", RegisterDelete},
    {"pause", RegisterPause},    {"resume", RegisterResume},
    {"ps", RegisterPs},          {"state", RegisterState},
    {"list", RegisterList},      {"features", RegisterFeatures},
    {"update", RegisterUpdate},  {"spec", RegisterSpec},
    {"resize-tty", RegisterResizeTty}, {"init", RegisterInit},
};

void AddGlobalFlags(CLI::App& app, GlobalOptions& g) {
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
const Command* FindNamedCommand(int argc, const char* const* argv) {
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

std::vector<NamedCommand> AddCommands(CLI::App& app, GlobalOptions& global, int argc, const char* const* argv) {
  AddGlobalFlags(app, global);
  app.require_subcommand(1);
  const Command* named = FindNamedCommand(argc, argv);
  std::vector<NamedCommand> out;
  for (const Command& c : kCommands)
    if (!named || named == &c) out.push_back({c.name, c.reg(app, global)});
  return out;
}

}  // namespace ocirun::cli
