// libFuzzer target over ocirun's command line (cmake/OcicertFuzz.cmake; scripts/test-stages/20-fuzz.sh).
// The input is argv: arguments separated by NUL bytes. It is parsed by the real command table as
// main() builds it (only the named subcommand, or all of them; flags and positionals, CLI11's
// checks) without running any command, and each argument also goes through the value parsers the commands call before doing anything: update's
// byte sizes and per-field flags, exec's process builder (--user, --cwd, --env, --cap, args).
// Invariants: no crash, leak or UB; parse errors are CLI::ParseError only; a successful parse chose
// exactly one command.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/cli/command.h"
#include "runtime/container/exec_process.h"
#include "runtime/container/update.h"

namespace {

std::vector<std::string> SplitArgs(std::string_view data) {
  std::vector<std::string> args{"ocirun"};
  size_t start = 0;
  while (start <= data.size() && args.size() < 64) {
    size_t nul = data.find('\0', start);
    if (nul == std::string_view::npos) nul = data.size();
    args.emplace_back(data.substr(start, nul - start));
    start = nul + 1;
  }
  return args;
}

void ParseWithCommandTable(std::vector<std::string> args) {
  ocirun::cli::GlobalOptions global;
  CLI::App app("ocirun", "ocirun");
  app.set_version_flag("-v,--version", "ocirun version fuzz");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  std::vector<ocirun::cli::NamedCommand> commands =
      ocirun::cli::AddCommands(app, global, static_cast<int>(argv.size()), argv.data());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError&) {
    return;  // --help, --version and usage errors: main() reports them
  }
  int chosen = 0;
  for (const auto& c : commands) chosen += app.got_subcommand(c.name) ? 1 : 0;
  if (chosen != 1) std::abort();
}

void ParseValues(const std::vector<std::string>& args) {
  ocirun::UpdateFlags update;
  ocirun::ExecFlags exec;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    (void)ocirun::ParseByteSize("--memory", a);
    (i % 2 ? update.memory : update.cpuset_cpus) = a;
    (i % 3 ? update.cpu_quota : update.pids_limit) = a;
    update.blkio_weight = a;
    exec.args.push_back(a);
    exec.env.push_back(a);
    if (i % 4 == 1) exec.user = a;
    if (i % 4 == 2) exec.cwd = a;
    if (i % 4 == 3) exec.caps.push_back(a);
  }
  (void)ocirun::ResourcesFromFlags(update);
  nlohmann::json process = {{"args", {"sh"}}, {"cwd", "/"}, {"user", {{"uid", 0}, {"gid", 0}}}};
  (void)ocirun::BuildExecProcess(exec, process);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> args = SplitArgs(std::string_view(reinterpret_cast<const char*>(data), size));
  ParseWithCommandTable(args);
  ParseValues(args);
  return 0;
}
