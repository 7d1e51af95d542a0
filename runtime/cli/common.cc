#include <chrono>
#include <cstdio>
#include <ctime>

#include <nlohmann/json.hpp>

#include "runtime/cli/command.h"

namespace ocirun::cli {
namespace {

std::string NowRfc3339() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm {};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string LogLine(const GlobalOptions& g, const char* level, const std::string& msg) {
  if (g.log_format == "json") {
    return nlohmann::json{{"level", level}, {"msg", msg}, {"time", NowRfc3339()}}.dump(
               -1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  return "time=\"" + NowRfc3339() + "\" level=" + level + " msg=" +
         nlohmann::json(msg).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

void Emit(const GlobalOptions& g, const char* level, const std::string& msg, bool echo_plain) {
  if (!g.log.empty()) {
    if (FILE* f = std::fopen(g.log.c_str(), "ae")) {
      std::fputs(LogLine(g, level, msg).c_str(), f);
      std::fclose(f);
    }
    if (echo_plain) std::fprintf(stderr, "%s\n", msg.c_str());
    return;
  }
  std::fputs(LogLine(g, level, msg).c_str(), stderr);
}

}  // namespace

Runtime& GetRuntime(const GlobalOptions& global) {
  static std::unique_ptr<Backend> backend = MakeCliBackend(global);
  static Runtime rt;
  rt.root = global.root;
  rt.backend = backend.get();
  rt.warn = [global](const std::string& message) { ReportWarning(global, message); };
  return rt;
}

int ReportError(const GlobalOptions& global, const base::Status& status) {
  Emit(global, "error", status.message(), /*echo_plain=*/true);
  return 1;
}

std::string UsageMessage(const CLI::App& app, const CLI::ParseError& error, int argc, char** argv) {
  std::string msg = error.what();
  if (msg.find("id is required") == std::string::npos) return msg;
  const CLI::App* command = nullptr;
  for (const CLI::App* sub : app.get_subcommands()) command = sub;
  if (command == nullptr) return msg;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-' || arg.find('=') != std::string::npos) continue;
    if (command->get_option_no_throw(arg) != nullptr || app.get_option_no_throw(arg) != nullptr) continue;
    return "container id is required: \"" + arg + "\" was read as a flag; an id that starts with '-' goes after " +
           "\"--\" (ocirun " + command->get_name() + " [flags] -- " + arg + ")";
  }
  return msg;
}

void ReportWarning(const GlobalOptions& global, const std::string& message) {
  Emit(global, "warning", message, /*echo_plain=*/false);
}

}  // namespace ocirun::cli
