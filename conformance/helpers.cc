#include "conformance/helpers.h"

#ifndef _WIN32
#include <unistd.h>
#endif

#include <fstream>
#include <sstream>
#include <thread>

#include "base/file.h"
#include "conformance/host.h"
#include "conformance/windows_image.h"

namespace conform {

using Json = nlohmann::json;

std::optional<Json> State(CaseContext& ctx, const std::string& id) {
  const Call& call = ctx.rt().Run({"state", id});
  if (!call.ok()) return std::nullopt;
  Json j = Json::parse(call.inv.stdout_text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

std::string StatusOf(CaseContext& ctx, const std::string& id) {
  auto s = State(ctx, id);
  return s && (*s)["status"].is_string() ? (*s)["status"].get<std::string>() : "";
}

bool WaitForStatus(CaseContext& ctx, const std::string& id, const std::string& want,
                   std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout * ctx.profile().timeout_scale;
  for (int delay = 5;; delay = std::min(delay * 2, 100)) {
    if (StatusOf(ctx, id) == want) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
  }
}

const Call& Create(CaseContext& ctx, const Container& c, const std::vector<std::string>& extra) {
  ctx.WriteConfig(c);
  std::vector<std::string> args = {"create", "--bundle", c.bundle};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(c.id);
  return ctx.rt().Run(args);
}

void CreateOk(CaseContext& ctx, const Container& c, const std::vector<std::string>& extra) {
  const Call& call = Create(ctx, c, extra);
  ctx.Require(call.ok(), "create " + c.id + " failed: " + Describe(call));
}

void StartOk(CaseContext& ctx, const std::string& id) {
  const Call& call = ctx.rt().Run({"start", id});
  ctx.Require(call.ok(), "start " + id + " failed: " + Describe(call));
}

int MakeStatus(CaseContext& ctx, Container& c, const std::string& status) {
  if (status == "stopped") {
    if (ctx.windows()) SetWindowsProgram(c.config, {EchoMark("program")});
    else c.config["process"]["args"] = {"/bin/probe", "mark", "/oct/marks.log", "program"};
  }
  CreateOk(ctx, c);
  if (status != "created") StartOk(ctx, c.id);
  if (status == "paused") {
    const Call& call = ctx.rt().Run({"pause", c.id});
    ctx.Require(call.ok(), "pause failed: " + Describe(call));
  }
  ctx.Require(WaitForStatus(ctx, c.id, status), "container did not reach status " + status + " (state says \"" +
                                                    StatusOf(ctx, c.id) + "\")");
  auto st = State(ctx, c.id);
  return st && (*st)["pid"].is_number_integer() ? (*st)["pid"].get<int>() : 0;
}

std::optional<Json> ParseProbe(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::optional<Json> last;
  while (std::getline(in, line)) {
    size_t b = line.find('{');
    if (b == std::string::npos) continue;
    Json j = Json::parse(line.substr(b), nullptr, false);
    if (!j.is_discarded() && j.is_object() && j.contains("namespaces")) last = j;
  }
  return last;
}

Json RunProbe(CaseContext& ctx, Container& c, const std::vector<std::string>& probe_args,
              const std::vector<std::string>& run_flags) {
  Json args = Json::array({"/bin/probe"});
  for (const std::string& a : probe_args) args.push_back(a);
  c.config["process"]["args"] = args;
  ctx.WriteConfig(c);
  std::vector<std::string> cmd = {"run", "--bundle", c.bundle};
  cmd.insert(cmd.end(), run_flags.begin(), run_flags.end());
  cmd.push_back(c.id);
  const Call& call = ctx.rt().Run(cmd);
  ctx.Require(call.ok(), "run of the probe failed: " + Describe(call));
  auto report = ParseProbe(call.inv.stdout_text);
  ctx.Require(report.has_value(), "the probe printed no report");
  return *report;
}

#ifndef _WIN32
std::string NamespaceOf(const std::string& pid, const std::string& type) {
  char buf[256];
  std::string path = "/proc/" + pid + "/ns/" + type;
  ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
  return n < 0 ? "" : std::string(buf, static_cast<size_t>(n));
}
#endif

std::vector<Json> ReadJsonLines(const std::string& path) {
  std::vector<Json> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    Json j = Json::parse(line, nullptr, false);
    if (!j.is_discarded()) out.push_back(std::move(j));
  }
  return out;
}

bool HasMark(const Container& c, const std::string& kind) {
  for (const Json& j : ReadJsonLines(c.oct_dir + "/marks.log"))
    if (j.value("kind", "") == kind) return true;
  return false;
}

std::string Describe(const Call& call) {
  std::string err = call.inv.stderr_text;
  size_t nl = err.find('\n');
  if (nl != std::string::npos) err = err.substr(0, nl);
  if (err.size() > 200) err = err.substr(0, 200);
  std::string s = call.inv.timed_out ? "timed out" : "exit " + std::to_string(call.inv.exit_code);
  return err.empty() ? s : s + ": " + err;
}

}  // namespace conform
