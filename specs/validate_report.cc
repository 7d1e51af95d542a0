#include "specs/validate_report.h"

#include <filesystem>

#include "base/utf8.h"

namespace ocispec {
namespace {

size_t CountLevel(const PathReport& r, Level level) {
  size_t n = 0;
  for (const auto& f : r.findings) n += f.level == level;
  return n;
}

std::string Plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// Every string of a JSON value (keys included) with invalid UTF-8 escaped, so dump cannot throw.
nlohmann::json CleanStrings(const nlohmann::json& j) {
  if (j.is_string()) return base::EscapeInvalidUtf8(j.get_ref<const std::string&>());
  if (j.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : j) out.push_back(CleanStrings(e));
    return out;
  }
  if (j.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : j.items()) out[base::EscapeInvalidUtf8(k)] = CleanStrings(v);
    return out;
  }
  return j;
}

}  // namespace

PathReport CheckPath(const std::string& path, const ValidateOptions& options) {
  std::error_code ec;
  bool bundle = std::filesystem::is_directory(path, ec);
  auto result = bundle ? ValidateBundle(path, options) : ValidateFile(path, options);
  std::string config = bundle ? (std::filesystem::path(path) / "config.json").string() : path;
  if (!result.ok()) return {path, config, result.status().message(), {}};
  return {path, config, "", std::move(result).value()};
}

std::string TextReport(const PathReport& r) {
  std::string path = base::EscapeInvalidUtf8(r.path), out;
  if (!r.error.empty()) return path + ": unreadable: " + base::EscapeInvalidUtf8(r.error) + "\n";
  for (const auto& f : r.findings) {
    // Compiler style, so editors and CI annotate the line: file:line:col: error [rule] /pointer: message
    std::string where = base::EscapeInvalidUtf8(r.config);
    if (f.line > 0) where += ":" + std::to_string(f.line) + ":" + std::to_string(f.column);
    out += where + ": " + (f.level == Level::kMust ? "error" : "warning") + " [" + f.rule_id + "] " +
           base::EscapeInvalidUtf8(f.pointer.empty() ? "/" : f.pointer) + ": " + base::EscapeInvalidUtf8(f.message) +
           "\n";
  }
  out += path + ": " + (r.findings.empty() ? "valid" : "invalid") + " (" + Plural(CountLevel(r, Level::kMust), "error") +
         ", " + Plural(CountLevel(r, Level::kShould), "warning") + ")\n";
  return out;
}

nlohmann::json JsonReport(const PathReport& r) {
  nlohmann::json j = {{"path", r.path}, {"file", r.config}};
  if (!r.error.empty()) {
    j["readable"] = false;
    j["error"] = r.error;
    return j;
  }
  j["valid"] = r.findings.empty();
  j["errors"] = CountLevel(r, Level::kMust);
  j["warnings"] = CountLevel(r, Level::kShould);
  j["findings"] = nlohmann::json::array();
  for (const auto& f : r.findings) j["findings"].push_back(FindingToJson(f));
  return j;
}

std::string DumpReport(const nlohmann::json& report, int indent) {
  return CleanStrings(report).dump(indent);
}

}  // namespace ocispec
