// The suites of a POSIX build, in report order: every suite. The Linux-container suites run the static
// probe inside containers; lifecycle and windows need only the runc/runhcs command line.
#include "conformance/case.h"

namespace conform {

const std::vector<Suite>& PlatformSuites() {
  static const std::vector<Suite> suites = {
      {"lifecycle", ContainerOs::kAny, AddLifecycleCases},
      {"operations", ContainerOs::kLinux, AddOperationsCases},
      {"process", ContainerOs::kLinux, AddProcessCases},
      {"hooks", ContainerOs::kLinux, AddHooksCases},
      {"config", ContainerOs::kLinux, [](std::vector<Case>& out) {
         AddConfigCases(out);
         AddConfigMustCases(out);
       }},
      {"stress", ContainerOs::kLinux, AddStressCases},
      {"security", ContainerOs::kLinux, AddSecurityCases},
      {"soak", ContainerOs::kLinux, AddSoakCases},
      {"windows", ContainerOs::kWindows, AddWindowsCases},
  };
  return suites;
}

}  // namespace conform
