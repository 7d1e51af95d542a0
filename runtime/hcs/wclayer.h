// Windows container layers on the host: the vmcompute.dll layer calls hcsshim's internal/wclayer
// makes (NameToGuid, CreateSandboxLayer, ActivateLayer, PrepareLayer, GetLayerMountPath,
// UnprepareLayer, DeactivateLayer), loaded at run time like computecore.dll, and the layer-mount
// sequence built on them.
//
// Used by ocirun (a process-isolated container whose config has no root.path gets its layers
// mounted here, as runhcs does, and unmounted on delete) and by ocicert (a fresh scratch layer per
// conformance / benchmark container, as `wclayer create` makes one).
//
// Off Windows every call fails with kUnimplemented ("... needs a Windows host"): the sequencing
// logic is tested against a fake LayerApi.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace ocirun::hcs::wclayer {

// The vmcompute.dll layer calls, one method each; `path` is the layer folder (hcsshim passes the
// full path as the id with an empty home directory and the filter driver flavour).
class LayerApi {
 public:
  virtual ~LayerApi() = default;
  virtual base::Result<std::string> NameToGuid(const std::string& name) = 0;
  virtual base::Status CreateSandboxLayer(const std::string& path, const std::vector<std::string>& parents) = 0;
  virtual base::Status ActivateLayer(const std::string& path) = 0;
  virtual base::Status PrepareLayer(const std::string& path, const std::vector<std::string>& parents) = 0;
  virtual base::Result<std::string> GetLayerMountPath(const std::string& path) = 0;
  virtual base::Status UnprepareLayer(const std::string& path) = 0;
  virtual base::Status DeactivateLayer(const std::string& path) = 0;
};

// vmcompute.dll on Windows (loaded from System32 on first use); elsewhere every method fails with
// kUnimplemented.
LayerApi& HostLayerApi();

// A new, empty scratch (sandbox) layer in `path` (created if missing) over `parents` (the image's
// layer folders, top-most first, as in windows.layerFolders without the scratch).
base::Status CreateScratchLayer(LayerApi& api, const std::string& path, const std::vector<std::string>& parents);

// hcsshim's MountContainerLayers for a process-isolated container: layer_folders is
// windows.layerFolders (image layers, then the scratch). Activates and prepares the scratch over the
// others and returns its volume path ("\\?\Volume{GUID}\"); on failure undoes what it did.
base::Result<std::string> MountContainerLayers(LayerApi& api, const std::vector<std::string>& layer_folders);
// Undoes MountContainerLayers (unprepare, then deactivate the scratch); both are attempted, the first
// error is returned.
base::Status UnmountContainerLayers(LayerApi& api, const std::vector<std::string>& layer_folders);

}  // namespace ocirun::hcs::wclayer
