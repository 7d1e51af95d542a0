#include "runtime/container/validate.h"

#include <nlohmann/json.hpp>

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

base::Status ValidateConfig(const std::string& config_text) {
  nlohmann::json c = nlohmann::json::parse(config_text, nullptr, /*allow_exceptions=*/false);
  if (c.is_discarded()) return base::InvalidArgument("config.json: invalid JSON");
  return CheckRuntimeNeeds(c);
}

}  // namespace ocirun
