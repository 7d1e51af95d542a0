#include "bench/windows_bundle.h"

#include <filesystem>

#include "base/file.h"
#include "conformance/host.h"
#include "conformance/windows_image.h"

namespace ocicert::bench {

nlohmann::json WindowsBenchConfig(const std::vector<std::string>& layer_folders, Program program) {
  nlohmann::json config = {
      {"ociVersion", "1.1.0"},
      {"process", {{"terminal", false}, {"user", {{"username", "ContainerAdministrator"}}}, {"cwd", "C:\\"}}},
      {"hostname", "oct-bench"},
      {"windows", {{"layerFolders", layer_folders}}},
  };
  if (program == Program::kSleep) {
    conform::SetWindowsProgram(config, {conform::SleepCommand(3600)});
  } else {
    conform::SetWindowsProgram(config, {"exit 0"});
  }
  return config;
}

base::Result<std::string> WindowsBundles::Prepare(const std::string& id, Program program) {
  std::string bundle = conform::host::NativePath(dir_ + "/" + id);
  std::string scratch = conform::host::NativePath(dir_ + "/" + id + "-scratch");
  std::error_code ec;
  std::filesystem::create_directories(bundle, ec);
  if (ec) return base::ErrnoError("create bundle folder " + bundle, ec.value());
  // A fresh scratch layer over the image's layers, as `wclayer create` makes one.
  base::Status st = ocirun::hcs::wclayer::CreateScratchLayer(api_, scratch, layers_);
  std::vector<std::string> folders = layers_;
  folders.push_back(scratch);
  if (st.ok()) st = base::WriteFile(bundle + "/config.json", WindowsBenchConfig(folders, program).dump(2));
  if (!st.ok()) {
    Release(id);
    return st.Wrap("bundle for " + id);
  }
  return bundle;
}

void WindowsBundles::Release(const std::string& id) {
  conform::host::RemoveTree(dir_ + "/" + id);
  conform::host::RemoveTree(dir_ + "/" + id + "-scratch");
}

}  // namespace ocicert::bench
