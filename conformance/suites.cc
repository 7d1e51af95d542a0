#include "conformance/case.h"

namespace conform {

const std::vector<std::string>& SuiteNames() {
  static const std::vector<std::string> names = {"lifecycle", "operations", "process", "hooks", "config", "stress"};
  return names;
}

const std::vector<Case>& AllCases() {
  static const std::vector<Case> cases = [] {
    std::vector<Case> out;
    AddLifecycleCases(out);
    AddOperationsCases(out);
    AddProcessCases(out);
    AddHooksCases(out);
    AddConfigCases(out);
    AddStressCases(out);
    return out;
  }();
  return cases;
}

}  // namespace conform
