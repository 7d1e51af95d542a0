#include "runtime/container/validate.h"

#include <nlohmann/json.hpp>

#include "specs/validate.h"

namespace ocirun {
namespace {

base::Status Field(const std::string& field, const std::string& what) {
  return base::InvalidArgument("config.json: " + field + ": " + what);
}

// The minimum the runtime needs, checked even without the specs/ validator.
base::Status CheckRuntimeNeeds(const nlohmann::json& c) {
  if (!c.is_object()) return Field("(document)", "not a JSON object");
  if (!c.contains("ociVersion") || !c["ociVersion"].is_string()) return Field("ociVersion", "required string");
  if (!c.contains("root") || !c["root"].is_object() || !c["root"].value("path", nlohmann::json()).is_string()) {
    return Field("root.path", "required string");
  }
  if (c.contains("process")) {
    const auto& p = c["process"];
    if (!p.is_object()) return Field("process", "must be an object");
    if (!p.contains("args") || !p["args"].is_array() || p["args"].empty()) {
      return Field("process.args", "must be a non-empty array");
    }
    if (!p.contains("cwd") || !p["cwd"].is_string() || p["cwd"].get<std::string>().rfind('/', 0) != 0) {
      return Field("process.cwd", "must be an absolute path");
    }
  }
  return base::Status::Ok();
}

}  // namespace

base::Status ValidateConfig(const std::string& config_text, std::vector<std::string>* warnings) {
  nlohmann::json c = nlohmann::json::parse(config_text, nullptr, /*allow_exceptions=*/false);
  if (c.is_discarded()) return base::InvalidArgument("config.json: invalid JSON");
  // The specs/ validator first (schema, then the semantic rules at the create stage): its message
  // names the field by JSON pointer. Only MUST-level findings refuse the config; SHOULD-level ones
  // are warnings.
  ocispec::ValidateOptions options;
  options.min_level = warnings ? ocispec::Level::kShould : ocispec::Level::kMust;
  options.stage = ocispec::Stage::kCreate;
  bool windows = c.is_object() && c.contains("windows") && !c.contains("linux");
  options.platform = windows ? ocispec::Platform::kWindows : ocispec::Platform::kLinux;
  for (const ocispec::Finding& f : ocispec::Validate(c, options)) {
    if (f.level == ocispec::Level::kMust) return base::InvalidArgument("config.json: " + f.message);
    if (warnings) warnings->push_back("config.json: " + f.message);
  }
  return CheckRuntimeNeeds(c);
}

}  // namespace ocirun
