#include "bench/windows_bundle.h"

#include <filesystem>

#include "base/file.h"
#include "harness/host.h"
#include "harness/windows_image.h"
#include "specs/default_config.h"

namespace ocicert::bench {

nlohmann::json WindowsBenchConfig(const std::vector<std::string>& layer_folders, Program program) {
  nlohmann::json config = ocispec::DefaultWindowsConfig("1.1.0", layer_folders, "oct-bench");
  if (program == Program::kSleep) {
    harness::SetWindowsProgram(config, {harness::SleepCommand(3600)});
  } else {
    harness::SetWindowsProgram(config, {"exit 0"});
  }
  return config;
}

base::Result<std::string> WindowsBundles::Prepare(const std::string& id, Program program) {
  std::string bundle = harness::host::NativePath(dir_ + "/" + id);
  std::string scratch = harness::host::NativePath(dir_ + "/" + id + "-scratch");
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
  harness::host::RemoveTree(dir_ + "/" + id);
  harness::host::RemoveTree(dir_ + "/" + id + "-scratch");
}

}  // namespace ocicert::bench
