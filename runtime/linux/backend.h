// The Linux backend: namespaces, mounts, the init protocol, cgroups (cgroup.h), hooks, console.
#pragma once

#include "base/unique_fd.h"
#include "runtime/container/backend.h"

namespace ocirun::linux {

// The config.json create stored in the container's state folder, as JSON.
base::Result<nlohmann::json> StoredConfigJson(const StateFacts& facts);

class LinuxBackend : public Backend {
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

 private:
  // process.terminal: hand the master to --console-socket, or keep it for the foreground relay.
  base::Status TakeConsole(int master, const std::string& name, const std::string& socket);

  // The pty master of a foreground `run`/`exec` with a terminal, relayed by WaitInit.
  base::UniqueFd console_master_;
};

}  // namespace ocirun::linux
