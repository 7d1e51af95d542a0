#include "runtime/container/validate.h"

#include <cctype>

#include <nlohmann/json.hpp>

#include "specs/validate.h"

namespace ocirun {
namespace {

base::Status Field(const std::string& field, const std::string& what) {
  return base::InvalidArgument("config.json: " + field + ": " + what);
}

bool IsWindowsContainer(const nlohmann::json& c) {
  return c.is_object() && c.contains("windows") && !c.contains("linux");
}

// runhcs mounts the layers itself when a Windows container has windows.layerFolders and no root or an
// empty root.path (hcsoci.CreateContainer -> MountContainerLayers: on the host for process isolation,
// over VSMB into the utility VM for Hyper-V), and so does ocirun's HCS backend: the spec's findings
// about root do not refuse such a config.
bool BackendMountsLayers(const nlohmann::json& c) {
  if (!IsWindowsContainer(c) || !c["windows"].is_object()) return false;
  const nlohmann::json folders = c["windows"].value("layerFolders", nlohmann::json());
  if (!folders.is_array() || folders.size() < 2) return false;
  return !c.contains("root") || c.value("/root/path"_json_pointer, std::string("")).empty();
}

bool Tolerated(const ocispec::Finding& f, const nlohmann::json& c) {
  return (f.rule_id == "windows.root.required" || f.rule_id == "windows.root.path.volume") && BackendMountsLayers(c);
}

// An absolute cwd for the container's platform: "/..."; for a Windows container also a drive path
// ("C:\...") or a UNC path ("\\server\...").
bool AbsoluteCwd(const std::string& cwd, bool windows) {
  if (cwd.rfind('/', 0) == 0) return true;
  if (!windows) return false;
  const bool drive = cwd.size() >= 3 && std::isalpha(static_cast<unsigned char>(cwd[0])) && cwd[1] == ':' &&
                     (cwd[2] == '\\' || cwd[2] == '/');
  return drive || cwd.rfind("\\\\", 0) == 0;
}

// The minimum the runtime needs, checked even without the specs/ validator.
base::Status CheckRuntimeNeeds(const nlohmann::json& c) {
  if (!c.is_object()) return Field("(document)", "not a JSON object");
  if (!c.contains("ociVersion") || !c["ociVersion"].is_string()) return Field("ociVersion", "required string");
  const bool windows = IsWindowsContainer(c);
  const bool root_optional = windows && BackendMountsLayers(c) && !c.contains("root");
  if (!root_optional &&
      (!c.contains("root") || !c["root"].is_object() || !c["root"].value("path", nlohmann::json()).is_string())) {
    return Field("root.path", "required string");
  }
  if (c.contains("process")) {
    const auto& p = c["process"];
    if (!p.is_object()) return Field("process", "must be an object");
    // On Windows process.commandLine may stand instead of args (config.md: args is OPTIONAL there).
    const bool command_line = windows && p.contains("commandLine") && p["commandLine"].is_string() &&
                              !p["commandLine"].get<std::string>().empty();
    if (!command_line && (!p.contains("args") || !p["args"].is_array() || p["args"].empty())) {
      return Field("process.args", "must be a non-empty array");
    }
    if (!p.contains("cwd") || !p["cwd"].is_string() || !AbsoluteCwd(p["cwd"].get<std::string>(), windows)) {
      return Field("process.cwd", "must be an absolute path");
    }
  }
  return base::Status::Ok();
}

}  // namespace

base::Status ValidateConfig(const std::string& config_text, std::vector<std::string>* warnings) {
  nlohmann::json c = nlohmann::json::parse(config_text, nullptr, /*allow_exceptions=*/false);
  if (c.is_discarded()) return base::InvalidArgument("config.json: invalid JSON");
  return ValidateConfigJson(c, warnings);
}

base::Status ValidateConfigJson(const nlohmann::json& c, std::vector<std::string>* warnings) {
  // The specs/ validator first (schema, then the semantic rules at the create stage): its message
  // names the field by JSON pointer. Only MUST-level findings refuse the config; SHOULD-level ones
  // are warnings.
  ocispec::ValidateOptions options;
  options.min_level = warnings ? ocispec::Level::kShould : ocispec::Level::kMust;
  options.stage = ocispec::Stage::kCreate;
  const bool windows = IsWindowsContainer(c);
  options.platform = windows ? ocispec::Platform::kWindows : ocispec::Platform::kLinux;
  for (const ocispec::Finding& f : ocispec::Validate(c, options)) {
    if (Tolerated(f, c)) continue;
    if (f.level == ocispec::Level::kMust) return base::InvalidArgument("config.json: " + f.message);
    if (warnings) warnings->push_back("config.json: " + f.message);
  }
  return CheckRuntimeNeeds(c);
}

}  // namespace ocirun
