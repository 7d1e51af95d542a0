#include "conformance/helpers.h"

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "base/file.h"
#include "harness/host.h"
#include "harness/windows_image.h"
#include "specs/schema.h"

namespace conform {

using Json = nlohmann::json;

namespace {

// The first bytes of a reply, printable: for messages about garbage output.
std::string FirstBytes(const std::string& text) {
  if (text.empty()) return "(nothing)";
  std::string out;
  for (size_t i = 0; i < text.size() && i < 40; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
    else out += fmt::format("\\x{:02x}", c);
  }
  return "\"" + out + (text.size() > 40 ? "...\"" : "\"");
}

// `state <id>`: the JSON object, or what was wrong with the answer.
struct StateReply {
  std::optional<Json> json;
  std::string problem;  // "state failed: exit 1: ...", "state printed invalid JSON: ..."
  bool garbage = false; // exited 0 but printed no usable state: polling again will not help
};

StateReply QueryState(CaseContext& ctx, const std::string& id) {
  const Call& call = ctx.rt().Run({"state", id});
  if (!call.ok()) return {std::nullopt, "state failed: " + Describe(call), false};
  Json j = Json::parse(call.inv.stdout_text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return {std::nullopt, "state printed invalid JSON: " + FirstBytes(call.inv.stdout_text), true};
  if (!j["status"].is_string()) return {j, "state printed no \"status\" string: " + FirstBytes(call.inv.stdout_text), true};
  return {j, "", false};
}

}  // namespace

std::optional<Json> State(CaseContext& ctx, const std::string& id) {
  StateReply r = QueryState(ctx, id);
  return r.json;
}

std::string StatusOf(CaseContext& ctx, const std::string& id) {
  StateReply r = QueryState(ctx, id);
  return r.problem.empty() ? (*r.json)["status"].get<std::string>() : "";
}

std::string StateSays(CaseContext& ctx, const std::string& id) {
  StateReply r = QueryState(ctx, id);
  return r.problem.empty() ? "state says \"" + (*r.json)["status"].get<std::string>() + "\"" : r.problem;
}

bool WaitForStatus(CaseContext& ctx, const std::string& id, const std::string& want,
                   std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout * ctx.profile().timeout_scale;
  for (int delay = 5;; delay = std::min(delay * 2, 100)) {
    StateReply r = QueryState(ctx, id);
    if (r.problem.empty() && (*r.json)["status"] == want) return true;
    if (r.garbage || std::chrono::steady_clock::now() >= until) return false;
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

const Call& ExpectRefusal(CaseContext& ctx, const std::vector<std::string>& args, const std::string& what,
                          InvokeOptions options) {
  static std::atomic<int> counter{0};
  std::string log = host::NativePath(fmt::format("{}/refusal-{}.log", ctx.scratch(), ++counter));
  options.global_args.insert(options.global_args.end(), {"--log", log, "--log-format", "json"});
  const Call& call = ctx.rt().Run(args, options);
  if (!ctx.Check(call.failed(), what + " must fail with an error, got " + Describe(call))) return call;
  std::vector<Json> lines = ReadJsonLines(log);
  bool json_lines = false, error_record = false;
  for (const Json& line : lines) {
    if (!line.is_object()) continue;
    json_lines = true;
    error_record |= line.value("level", "") == "error" && line.contains("msg") && line["msg"].is_string() &&
                    !line["msg"].get<std::string>().empty();
  }
  ctx.Check(!json_lines || error_record, what + " failed, but the runtime's --log JSON (" + std::to_string(lines.size()) +
                                             " records) holds no {\"level\":\"error\",\"msg\":...} record for it");
  return call;
}

const Call& ExpectCreateRefused(CaseContext& ctx, const Container& c, const std::string& what,
                                const std::vector<std::string>& extra) {
  ctx.WriteConfig(c);
  std::vector<std::string> args = {"create", "--bundle", c.bundle};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(c.id);
  return ExpectRefusal(ctx, args, what);
}

std::string SchemaViolations(const Json& doc, const std::string& root) {
  std::string out;
  for (const ocispec::SchemaError& e : ocispec::BuiltinSchema(root).Validate(doc))
    out += (out.empty() ? "" : "; ") + e.message;
  return out;
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
    if (ctx.windows()) harness::SetWindowsProgram(c.config, {harness::EchoMark("program")});
    else c.config["process"]["args"] = {"/bin/probe", "mark", "/oct/marks.log", "program"};
  }
  CreateOk(ctx, c);
  if (status != "created") StartOk(ctx, c.id);
  if (status == "paused") {
    const Call& call = ctx.rt().Run({"pause", c.id});
    ctx.Require(call.ok(), "pause failed: " + Describe(call));
  }
  ctx.Require(WaitForStatus(ctx, c.id, status),
              "container did not reach status " + status + " (" + StateSays(ctx, c.id) + ")");
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
  std::string s = call.inv.timed_out ? "timed out"
                  : call.signal ? "killed by signal " + std::to_string(call.signal) + " (a crash, not a refusal)"
                                : "exit " + std::to_string(call.inv.exit_code);
  return err.empty() ? s : s + ": " + err;
}

}  // namespace conform
