// The layer-mount sequences of hcsshim's internal/layers (MountContainerLayers and
// UnmountContainerLayers for a process-isolated container, uvm == nil) and `wclayer create`, over
// the LayerApi. Portable: the calls themselves are in wclayer_win32.cc.
#include "runtime/hcs/wclayer.h"

#include <filesystem>
#include <system_error>

namespace ocirun::hcs::wclayer {
namespace {

// The scratch is the last folder, its parents the others (hcsshim: path = layerFolders[n-1],
// rest = layerFolders[:n-1]).
struct Split {
  std::string scratch;
  std::vector<std::string> parents;
};

base::Result<Split> SplitLayers(const std::vector<std::string>& layer_folders) {
  if (layer_folders.size() < 2) return base::InvalidArgument("need at least two layers - base and scratch");
  return Split{layer_folders.back(), {layer_folders.begin(), layer_folders.end() - 1}};
}

base::Status MakeFolder(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(std::u8string(path.begin(), path.end())), ec);
  if (ec) return base::Status(base::Code::kIo, "create " + path + ": " + ec.message(), ec.value());
  return base::Status::Ok();
}

// GetLayerMountPath answers "\\?\Volume{GUID}" or with the backslash; callers get it with.
std::string WithTrailingBackslash(std::string path) {
  if (path.empty() || path.back() != '\\') path += '\\';
  return path;
}

}  // namespace

base::Status CreateScratchLayer(LayerApi& api, const std::string& path, const std::vector<std::string>& parents) {
  RETURN_IF_ERROR(MakeFolder(path));
  return api.CreateSandboxLayer(path, parents);
}

base::Result<std::string> MountContainerLayers(LayerApi& api, const std::vector<std::string>& layer_folders) {
  ASSIGN_OR_RETURN(Split layers, SplitLayers(layer_folders));
  RETURN_IF_ERROR(api.ActivateLayer(layers.scratch));
  if (base::Status st = api.PrepareLayer(layers.scratch, layers.parents); !st.ok()) {
    api.DeactivateLayer(layers.scratch).IgnoreError();
    return st;
  }
  auto mount_path = api.GetLayerMountPath(layers.scratch);
  if (!mount_path.ok()) {
    api.UnprepareLayer(layers.scratch).IgnoreError();
    api.DeactivateLayer(layers.scratch).IgnoreError();
    return mount_path.status();
  }
  return WithTrailingBackslash(*mount_path);
}

base::Status UnmountContainerLayers(LayerApi& api, const std::vector<std::string>& layer_folders) {
  if (layer_folders.empty()) return base::InvalidArgument("need at least one layer for Unmount");
  const std::string& scratch = layer_folders.back();
  // hcsshim stops after a failed UnprepareLayer; deactivating anyway leaves less behind.
  base::Status unprepared = api.UnprepareLayer(scratch);
  base::Status deactivated = api.DeactivateLayer(scratch);
  return unprepared.ok() ? deactivated : unprepared;
}

}  // namespace ocirun::hcs::wclayer
