#include "conformance/case.h"

namespace conform {

const std::vector<std::string>& SuiteNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const Suite& s : PlatformSuites()) out.push_back(s.name);
    return out;
  }();
  return names;
}

const std::vector<Case>& AllCases() {
  static const std::vector<Case> cases = [] {
    std::vector<Case> out;
    for (const Suite& s : PlatformSuites()) s.add(out);
    return out;
  }();
  return cases;
}

bool BuildsLinuxContainerSuites() {
  for (const Suite& s : PlatformSuites())
    if (s.os == ContainerOs::kLinux) return true;
  return false;
}

}  // namespace conform
