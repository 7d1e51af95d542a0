// Process parameters, signals, property queries and states (hcsshim internal/cmd, internal/signals,
// internal/hcs/schema2 ProcessParameters, cmd/runhcs container.go Status()).
#include <array>
#include <utility>

#include "base/win_cmdline.h"
#include "runtime/hcs/translate.h"
#include "specs/parse.h"

namespace ocirun::hcs {
namespace {

base::Result<nlohmann::json> Environment(const std::vector<std::string>& env) {
  nlohmann::json out = nlohmann::json::object();
  for (size_t i = 0; i < env.size(); ++i) {
    size_t eq = env[i].find('=');
    if (eq == std::string::npos) {
      return base::InvalidArgument("process.env[" + std::to_string(i) + "] \"" + env[i] + "\" is not KEY=value");
    }
    out[env[i].substr(0, eq)] = env[i].substr(eq + 1);  // a later duplicate wins, as in hcsshim's map
  }
  return out;
}

// The OCI process as the Linux guest (GCS) receives it.
nlohmann::json OciProcessJson(const ocispec::Process& process) {
  ocispec::Spec holder;
  holder.process = process;
  nlohmann::json full = ocispec::ToJson(holder);
  return full.contains("process") ? full["process"] : nlohmann::json::object();
}

// Linux signal names for LCOW, 1..31 (hcsshim signalMapLcow).
constexpr int kMaxLinuxSignal = 31;
constexpr int kSigKill = 9;
constexpr int kSigTerm = 15;

}  // namespace

base::Result<nlohmann::json> ProcessDocument(const ocispec::Process& process, bool lcow) {
  const bool terminal = process.terminal.value_or(false);
  nlohmann::json p = {{"CreateStdInPipe", true}, {"CreateStdOutPipe", true}, {"CreateStdErrPipe", !terminal}};
  if (lcow) {
    if (process.args.empty()) return base::InvalidArgument("process.args must not be empty");
    p["OCIProcess"] = OciProcessJson(process);
    return p;
  }
  std::string command_line = process.command_line.value_or("");
  if (command_line.empty()) {
    if (process.args.empty()) {
      return base::InvalidArgument("process.args must not be empty (or set process.commandLine on Windows)");
    }
    command_line = base::JoinWindowsCommandLine(process.args);
  }
  p["CommandLine"] = command_line;
  if (!process.cwd.empty()) p["WorkingDirectory"] = process.cwd;
  if (process.user.username && !process.user.username->empty()) p["User"] = *process.user.username;
  ASSIGN_OR_RETURN(nlohmann::json env, Environment(process.env));
  if (!env.empty()) p["Environment"] = env;
  if (terminal) {
    p["EmulateConsole"] = true;
    if (process.console_size) p["ConsoleSize"] = {process.console_size->height, process.console_size->width};
  }
  return p;
}

base::Result<std::optional<nlohmann::json>> SignalOptions(int signal, bool lcow) {
  if (lcow) {
    if (signal == kSigKill) return std::optional<nlohmann::json>();
    if (signal >= 1 && signal <= kMaxLinuxSignal) return std::optional<nlohmann::json>(nlohmann::json{{"Signal", signal}});
    return base::InvalidArgument("invalid signal value " + std::to_string(signal));
  }
  static constexpr std::array<std::pair<int, const char*>, 6> kWindows = {{
      {0, "CtrlC"}, {1, "CtrlBreak"}, {2, "CtrlClose"}, {5, "CtrlLogOff"}, {6, "CtrlShutdown"},
      {kSigTerm, "CtrlShutdown"},  // SIGTERM is most like CtrlShutdown on Windows
  }};
  if (signal == kSigKill) return std::optional<nlohmann::json>();  // terminate the process
  for (const auto& [value, name] : kWindows) {
    if (value == signal) return std::optional<nlohmann::json>(nlohmann::json{{"Signal", name}});
  }
  return base::InvalidArgument("invalid signal value " + std::to_string(signal) +
                               " for a Windows container (use 0 CtrlC, 1 CtrlBreak, 2 CtrlClose, 5 CtrlLogOff, "
                               "6 or 15 CtrlShutdown, 9 terminate)");
}

nlohmann::json PropertyQuery(const std::vector<std::string>& types) { return {{"PropertyTypes", types}}; }

nlohmann::json ConsoleSizeRequest(uint16_t width, uint16_t height) {
  return {{"Operation", "ConsoleSize"}, {"ConsoleSize", {{"Height", height}, {"Width", width}}}};
}

std::string_view OciStatusFromHcsState(std::string_view state) {
  if (state.empty() || state == "Created") return "created";
  if (state == "Running") return "running";
  if (state == "Paused") return "paused";
  if (state == "Stopped") return "stopped";
  return "unknown";
}

}  // namespace ocirun::hcs
