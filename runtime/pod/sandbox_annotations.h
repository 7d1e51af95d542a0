// Pod membership from OCI annotations, read exactly as runhcs reads them (cmd/runhcs container.go),
// and the checks runhcs makes before placing a container into its sandbox's utility VM.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "base/status.h"
#include "runtime/pod/pod_policy.h"

namespace ocirun::pod {

// The first of these pairs whose type annotation is non-empty wins:
//   io.kubernetes.cri.container-type  + io.kubernetes.cri.sandbox-id       (containerd CRI)
//   io.kubernetes.cri-o.ContainerType + io.kubernetes.cri-o.SandboxID      (cri-o)
//   io.kubernetes.docker.type         + io.kubernetes.sandbox.id           (dockershim; "podsandbox")
// A type other than sandbox/container (or none) means no pod: role kNone, empty sandbox_id.
struct SandboxAnnotations {
  PodRole role = PodRole::kNone;
  std::string sandbox_id;
};
SandboxAnnotations ParseSandboxAnnotations(const std::map<std::string, std::string>& annotations);

// What ocirun's state store knows about an existing container that claims to be a sandbox.
struct SandboxRecord {
  std::string id;
  std::string sandbox_id;  // equals id for a sandbox
  std::string host_id;     // the utility VM host it runs in; empty when process-isolated
};
// Finds a container by id: kNotFound ("ID '<id>' was not found" in runhcs) when absent.
using SandboxLookup = std::function<base::Result<SandboxRecord>(const std::string& id)>;

struct PodPlacement {
  PodRole role = PodRole::kNone;
  std::string sandbox_id;
  std::string host_id;  // the VM host to create the container in; empty: none (or a new VM)
  bool new_vm = false;  // this container owns a new utility VM (a VM-isolated sandbox, or LCOW)
};

// runhcs createContainer's checks: a sandbox's id equals its sandbox id ("sandbox ID must match ID");
// a member needs an existing sandbox and inherits its host; a VM-isolated member of a
// process-isolated sandbox is refused ("container <s> is not a VM isolated sandbox").
// `requested_host` is the --host flag, `lcow` whether the spec has a linux section (a Linux container in a utility VM).
base::Result<PodPlacement> PlaceInPod(const std::string& id, const SandboxAnnotations& pod, bool vm_isolated,
                                      bool lcow, const std::string& requested_host, const SandboxLookup& lookup);

}  // namespace ocirun::pod
