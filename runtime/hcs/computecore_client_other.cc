// Non-Windows builds have no HCS; the translation and the fake are still built and tested here.
#include "runtime/hcs/hcs_client.h"

namespace ocirun::hcs {

base::Result<std::unique_ptr<HcsClient>> OpenComputeCore() {
  return base::Unimplemented("HCS not available: computecore.dll exists only on Windows");
}

}  // namespace ocirun::hcs
