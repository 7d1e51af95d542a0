// The suites of a Windows build, in report order: those for Windows containers and the command line.
// The Linux-container suites need the static Linux probe and are not built here.
#include "conformance/case.h"

namespace conform {

const std::vector<Suite>& PlatformSuites() {
  static const std::vector<Suite> suites = {
      {"lifecycle", ContainerOs::kAny, AddLifecycleCases},
      {"windows", ContainerOs::kWindows, AddWindowsCases},
  };
  return suites;
}

}  // namespace conform
