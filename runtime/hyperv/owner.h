// The VM owner (runhcs's vmshim): one host process per hyperv container, holding QEMU and the agent
// channel so that the CLI verbs stay short-lived. It is forked by create, runs in its own session,
// and keeps create's stdout/stderr: the container init's output (relayed by the agent) goes there,
// as a process-isolated init's would. It serves the agent protocol (protocol.h) on
// <state_dir>/owner.sock, forwarding requests to the agent, and answers `state` and `wait` itself.
// It exits when QEMU does (after `shutdown`, a poweroff, or a crash); QEMU gets SIGKILL when the
// owner dies (PR_SET_PDEATHSIG), so neither outlives the other.
#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "runtime/hyperv/vm_config.h"

namespace ocirun::hyperv {

inline constexpr char kOwnerSocket[] = "owner.sock";
inline constexpr char kVmLog[] = "vm.log";

struct OwnerSpec {
  VmSpec vm;  // agent_fd is chosen by the owner
  std::string state_dir;
  std::string id;
  nlohmann::json guest_config;
  std::chrono::milliseconds boot_timeout{60000};
};

struct OwnerStarted {
  int owner_pid = 0;
  int qemu_pid = 0;
  int guest_pid = 0;          // the container's init inside the guest
  double boot_seconds = 0;    // QEMU start until the agent's ready line
  double guest_uptime = 0;    // the guest's own uptime at ready
};

// Forks the owner, which starts QEMU, waits for the agent (bounded by boot_timeout) and creates the
// container in the guest. Returns once that is done. On failure the owner has killed QEMU and exited
// (it is reaped here); the error names what failed (QEMU's own words from vm.log when it exited).
base::Result<OwnerStarted> StartOwner(const OwnerSpec& spec);

}  // namespace ocirun::hyperv
