// Which (host build, container OS, isolation) combinations ocirun may create, alone or in a pod.
// The rules come from hcsshim's osversion checks and the pod matrix of "Container platform tools on
// Windows" (fixtures/pod-matrix.json holds that matrix as data; pod_policy_test checks every row).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace ocirun::pod {

enum class HostEdition { kServer, kClient };  // Windows Server vs Windows 10/11 client
enum class ContainerOs { kWindows, kLinux };
enum class Isolation { kProcess, kHyperV };
enum class PodRole { kNone, kSandbox, kMember };
enum class PodSupport { kYes, kPartial, kNo };

std::string_view Name(HostEdition e);
std::string_view Name(ContainerOs os);
std::string_view Name(Isolation i);
std::string_view Name(PodSupport s);  // "Yes", "Partial", "No" as in the matrix

struct Host {
  uint32_t build = 0;
  HostEdition edition = HostEdition::kServer;
};

// The matrix cell for a host, a container OS and an isolation, with the matrix's note.
struct PodSupportCell {
  PodSupport support = PodSupport::kNo;
  std::string note;
};
PodSupportCell PodSupportFor(const Host& host, ContainerOs os, Isolation isolation);

// May a single container (no pod) of this OS, build and isolation run on this host?
// `container_build` 0 means "the same as the host" (a bundle that does not say).
// Fails with kFailedPrecondition and a message naming both builds and the rule.
base::Status CheckIsolation(const Host& host, ContainerOs os, uint32_t container_build, Isolation isolation);

// What a pod member needs to know about its sandbox.
struct SandboxFacts {
  ContainerOs os = ContainerOs::kWindows;
  uint32_t container_build = 0;  // the sandbox's (utility VM's) OS build, 0 = host build
  Isolation isolation = Isolation::kHyperV;
  int members = 0;               // workload containers already placed in this sandbox
};

struct Workload {
  Host host;
  ContainerOs os = ContainerOs::kWindows;
  uint32_t container_build = 0;  // 0 = same as host
  Isolation isolation = Isolation::kProcess;
  PodRole role = PodRole::kNone;
  SandboxFacts sandbox;          // read for kMember only
};

// The full decision: CheckIsolation, then for sandboxes and members the pod matrix (No refuses,
// Partial allows one workload container per utility VM) and the member-matches-sandbox rules.
base::Status CheckWorkload(const Workload& w);

}  // namespace ocirun::pod
