// The default configs every part of the project starts from: `ocirun spec` writes the Linux one, and
// the harness (conform bundles, bench bundles) and the runtime's integration tests edit a copy.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ocispec {

// runc's `spec` template: sh on a terminal, a read-only "rootfs", the usual mounts (proc, dev, devpts,
// shm, mqueue, sysfs), the pid/network/ipc/uts/mount/cgroup namespaces, devices denied, masked and
// readonly paths; ociVersion 1.0.2 (what runc 1.1 and crun 1.8 accept).
nlohmann::ordered_json DefaultLinuxConfig();

// A Windows container over `layer_folders` (image layers top-most first, the scratch layer last):
// ContainerAdministrator in C:\, no program yet (process.args / commandLine are the caller's).
nlohmann::ordered_json DefaultWindowsConfig(const std::string& oci_version,
                                           const std::vector<std::string>& layer_folders,
                                           const std::string& hostname);

// Removes the namespace of `type` from linux.namespaces (a harness runs without a cgroup namespace).
void RemoveNamespace(nlohmann::json& config, const std::string& type);

}  // namespace ocispec
