// The hyperv backend on Linux: each container runs in its own utility VM (QEMU microvm, TCG or KVM)
// with the guest agent as init; the VM owner (owner.h) holds QEMU, the verbs talk to it. Not yet:
// terminals, hooks, bind mounts, pause/resume, ps, update (each refused with the reason).
#pragma once

#include <memory>
#include <string>

#include "runtime/container/backend.h"
#include "runtime/hyperv/isolation.h"

namespace ocirun::hyperv {

class HypervBackend : public Backend {
 public:
  base::Status Create(const CreateRequest& req, StateFacts& facts) override;
  base::Status Start(const StateFacts& facts) override;
  base::Status Kill(const StateFacts& facts, int signal, bool all) override;
  base::Status Destroy(const StateFacts& facts) override;
  BackendObservation Observe(const StateFacts& facts) override;
  base::Result<int> WaitInit(const StateFacts& facts) override;
  base::Result<int> Exec(const StateFacts& facts, const ExecRequest& req) override;
  nlohmann::json Features() override;
  int RunInit() override;
  base::Status Freeze(const StateFacts& facts) override;
  base::Status Thaw(const StateFacts& facts) override;
  base::Result<std::vector<int>> Pids(const StateFacts& facts) override;
  base::Status Update(const StateFacts& facts, const nlohmann::json& resources) override;
};

// Ok when this host can run hyperv containers, else why not (no QEMU, no guest kernel, ...).
base::Status HypervSupported();

// The backend the CLI uses on Linux: it creates each container with the backend of its isolation
// mode (annotation, else `default_mode`), records the mode, and routes every later call by the
// recorded mode. `features` lists the modes and why one is missing.
std::unique_ptr<Backend> MakeIsolationBackend(Isolation default_mode);

}  // namespace ocirun::hyperv
