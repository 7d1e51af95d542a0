// Windows containers for the bench: every container gets a bundle of its own, because its file
// system is the image's layer folders plus a scratch layer that only it may use (the last entry of
// windows.layerFolders; runhcs and ocirun mount the layers when root.path is empty). The bundle and
// its scratch layer are made before the container is created and removed after it is deleted, both
// untimed. Programs are cmd.exe built-ins and ping.exe, which every Windows base image carries.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/operations.h"
#include "runtime/hcs/wclayer.h"

namespace ocicert::bench {

// The config of a bench container over `layer_folders` (image layers, then its scratch layer):
// sleep is `ping -n 3601 127.0.0.1 >NUL` through cmd (as the conformance cases sleep), true is
// `cmd /S /C "exit 0"`. ociVersion 1.1.0: process.commandLine is a 1.1 field.
nlohmann::json WindowsBenchConfig(const std::vector<std::string>& layer_folders, Program program);

class WindowsBundles final : public Bundles {
 public:
  // Bundles go to `dir` (a host path); `layers` are the image's layer folders, top-most first, as
  // ResolveWindowsLayers gives them. `api` makes the scratch layers (HostLayerApi(); a fake in tests).
  WindowsBundles(ocirun::hcs::wclayer::LayerApi& api, std::string dir, std::vector<std::string> layers)
      : api_(api), dir_(std::move(dir)), layers_(std::move(layers)) {}

  // DIR/<id>/config.json over a new scratch layer DIR/<id>-scratch. Fails, leaving nothing, when the
  // scratch layer cannot be made.
  base::Result<std::string> Prepare(const std::string& id, Program program) override;
  // Removes DIR/<id> and DIR/<id>-scratch.
  void Release(const std::string& id) override;
  // cmd /c exit 0.
  std::vector<std::string> ExecArgs() const override { return {"cmd", "/c", "exit 0"}; }

 private:
  ocirun::hcs::wclayer::LayerApi& api_;
  std::string dir_;
  std::vector<std::string> layers_;
};

}  // namespace ocicert::bench
