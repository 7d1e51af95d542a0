#include "runtime/linux/backend_facts.h"

namespace ocirun::linux {
namespace {

base::Status Corrupt(const std::string& field, const std::string& want) {
  return base::Internal("corrupt state: backend." + field + " is not " + want);
}

}  // namespace

base::Result<LinuxFacts> LinuxFactsFromJson(const nlohmann::json& backend) {
  LinuxFacts f;
  if (backend.is_null()) return f;
  if (!backend.is_object()) return Corrupt("", "an object");
  if (auto it = backend.find("state_dir"); it != backend.end()) {
    if (!it->is_string()) return Corrupt("state_dir", "a string");
    f.state_dir = it->get<std::string>();
  }
  if (auto it = backend.find("namespaces"); it != backend.end()) {
    if (!it->is_array()) return Corrupt("namespaces", "an array");
    for (const auto& t : *it) {
      if (!t.is_string()) return Corrupt("namespaces", "an array of strings");
      f.namespaces.push_back(t.get<std::string>());
    }
  }
  f.seccomp = backend.contains("seccomp");
  return f;
}

}  // namespace ocirun::linux
