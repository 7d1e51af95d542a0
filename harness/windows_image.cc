#include "harness/windows_image.h"

#include <filesystem>

#include "base/file.h"
#include "runtime/hcs/wclayer.h"
#include "specs/default_config.h"

namespace harness {
namespace {

using Json = nlohmann::json;

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool IsDir(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_directory(path, ec);
}

std::string JoinCommands(const std::vector<std::string>& commands) {
  std::string joined;
  for (const std::string& c : commands) joined += (joined.empty() ? "" : " & ") + c;
  return joined;
}

}  // namespace

base::Result<std::vector<std::string>> ResolveWindowsLayers(const std::string& arg) {
  std::vector<std::string> layers = SplitComma(arg);
  if (layers.empty()) return base::InvalidArgument("--windows-layers: no layer folder given");
  if (layers.size() == 1) {
    std::string chain = layers[0] + "/layerchain.json";
    if (std::filesystem::exists(chain)) {
      auto text = base::ReadFile(chain);
      if (!text.ok()) return text.status().Wrap("--windows-layers: " + chain);
      Json parents = Json::parse(*text, nullptr, false);
      if (parents.is_discarded() || !parents.is_array())
        return base::InvalidArgument("--windows-layers: " + chain + " is not a JSON array of layer folders");
      for (const Json& p : parents) {
        if (!p.is_string() || p.get<std::string>().empty())
          return base::InvalidArgument("--windows-layers: " + chain + " holds a non-string or empty entry");
        layers.push_back(p.get<std::string>());
      }
    }
  }
  for (const std::string& l : layers) {
    if (!IsDir(l)) return base::InvalidArgument("--windows-layers: layer folder " + l + " does not exist");
  }
  return layers;
}

base::Status CreateScratchLayer(const std::string& folder, const std::vector<std::string>& layers) {
  namespace wclayer = ocirun::hcs::wclayer;
  return wclayer::CreateScratchLayer(wclayer::HostLayerApi(), folder, layers);
}

std::string CmdLine(const std::vector<std::string>& commands) {
  return "cmd /S /C \"" + JoinCommands(commands) + "\"";
}

void SetWindowsProgram(Json& config, const std::vector<std::string>& commands) {
  std::string joined = JoinCommands(commands);
  config["process"]["args"] = {"cmd", "/S", "/C", joined};
  config["process"]["commandLine"] = CmdLine(commands);
}

std::string EchoMark(const std::string& kind) {
  return "echo {\"kind\":\"" + kind + "\"}>>" + std::string(kWindowsOctDir) + "\\marks.log";
}

std::string SleepCommand(int seconds) { return "ping -n " + std::to_string(seconds + 1) + " 127.0.0.1 >NUL"; }

Json WindowsContainerConfig(const std::string& oci_version, const std::vector<std::string>& layer_folders,
                            const std::string& oct_dir, bool hyperv) {
  Json config = ocispec::DefaultWindowsConfig(oci_version, layer_folders, "oct-conform");
  config["process"]["env"] = {"OCT_CONFORM=1"};
  config["mounts"] = Json::array({{{"destination", kWindowsOctDir}, {"source", oct_dir}, {"options", Json::array()}}});
  SetWindowsProgram(config, {EchoMark("program"), SleepCommand(3600)});
  if (hyperv) config["windows"]["hyperv"] = Json::object();
  return config;
}

}  // namespace harness
