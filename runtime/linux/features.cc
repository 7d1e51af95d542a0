#include "runtime/linux/features.h"

#include "runtime/linux/capabilities.h"
#include "runtime/linux/mount_options.h"
#include "runtime/linux/namespaces.h"
#include "runtime/linux/seccomp.h"

namespace ocirun::linux {

nlohmann::json FeaturesJson() {
  nlohmann::json namespaces = nlohmann::json::array();
  for (const NamespaceInfo& n : AllNamespaces()) namespaces.push_back(n.oci_type);
  return {
      {"ociVersionMin", "1.0.0"},
      {"ociVersionMax", "1.2.0"},
      {"hooks", {"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"}},
      {"mountOptions", KnownMountOptions()},
      {"linux",
       {{"namespaces", namespaces},
        {"capabilities", AllCapabilityNames()},
        {"cgroup", {{"v1", true}, {"v2", true}, {"systemd", false}, {"systemdUser", false}, {"rdma", false}}},
        {"seccomp",
         {{"enabled", true},
          {"actions", SeccompActions()},
          {"operators", SeccompOperators()},
          {"archs", SeccompArchitectures()},
          {"knownFlags", SeccompFlags()},
          {"supportedFlags", SeccompFlags()}}},
        {"apparmor", {{"enabled", false}}},
        {"selinux", {{"enabled", false}}},
        {"intelRdt", {{"enabled", false}}},
        {"mountExtensions", {{"idmap", {{"enabled", false}}}}}}},
      {"annotations", {{"org.opencontainers.runtime-spec.features.ocirun", "true"}}},
  };
}

}  // namespace ocirun::linux
