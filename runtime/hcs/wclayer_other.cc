// The layer calls off Windows: vmcompute.dll exists only on a Windows host.
#include "runtime/hcs/wclayer.h"

namespace ocirun::hcs::wclayer {
namespace {

base::Status NeedsWindows(const char* call) {
  return base::Unimplemented(std::string(call) + " needs a Windows host (vmcompute.dll)");
}

class NoLayers final : public LayerApi {
 public:
  base::Result<std::string> NameToGuid(const std::string&) override { return NeedsWindows("NameToGuid"); }
  base::Status CreateSandboxLayer(const std::string&, const std::vector<std::string>&) override {
    return NeedsWindows("CreateSandboxLayer");
  }
  base::Status ActivateLayer(const std::string&) override { return NeedsWindows("ActivateLayer"); }
  base::Status PrepareLayer(const std::string&, const std::vector<std::string>&) override {
    return NeedsWindows("PrepareLayer");
  }
  base::Result<std::string> GetLayerMountPath(const std::string&) override { return NeedsWindows("GetLayerMountPath"); }
  base::Status UnprepareLayer(const std::string&) override { return NeedsWindows("UnprepareLayer"); }
  base::Status DeactivateLayer(const std::string&) override { return NeedsWindows("DeactivateLayer"); }
};

}  // namespace

LayerApi& HostLayerApi() {
  static NoLayers api;
  return api;
}

}  // namespace ocirun::hcs::wclayer
