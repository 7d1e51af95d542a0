#include "conformance/case.h"

namespace conform {

const std::vector<std::string>& SuiteNames() {
#ifdef _WIN32
  // On Windows only the suites for Windows containers are built: the others need the Linux probe.
  static const std::vector<std::string> names = {"lifecycle", "windows"};
#else
  static const std::vector<std::string> names = {"lifecycle", "operations", "process", "hooks", "config", "stress",
                                                 "windows", "security", "soak"};
#endif
  return names;
}

const std::vector<Case>& AllCases() {
  static const std::vector<Case> cases = [] {
    std::vector<Case> out;
    AddLifecycleCases(out);
#ifndef _WIN32
    AddOperationsCases(out);
    AddProcessCases(out);
    AddHooksCases(out);
    AddConfigCases(out);
    AddStressCases(out);
    AddSecurityCases(out);
    AddSoakCases(out);
#endif
    AddWindowsCases(out);
    return out;
  }();
  return cases;
}

}  // namespace conform
