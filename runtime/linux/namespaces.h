// Namespace types: OCI names, clone flags and /proc/<pid>/ns file names; joining by path.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace ocirun::linux {

struct NamespaceInfo {
  const char* oci_type;  // "pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time"
  int clone_flag;        // CLONE_NEWPID, ...
  const char* proc_name; // "pid", "net", "mnt", ...
};

// kInvalidArgument naming linux.namespaces for an unknown type.
base::Result<NamespaceInfo> LookupNamespace(const std::string& oci_type);
const std::vector<NamespaceInfo>& AllNamespaces();

struct NamespaceJoin {
  std::string type;  // OCI type
  std::string path;
};

// setns(2) into each, the user namespace first and the mount namespace last (the order runc's
// nsexec uses: privileges come from the user namespace; the mount namespace changes our root).
base::Status JoinNamespaces(std::vector<NamespaceJoin> joins);

}  // namespace ocirun::linux
