// The Windows backend: ocirun's Backend on the Host Compute Service.
//
// Supervision (docs/windows.md has the full story). Like runhcs, every container has a shim process:
// `ocirun init` re-executed with OCIRUN_HCS_SHIM_* in its environment (Backend::RunInit). It opens
// the compute system (and the utility VM the container owns), and its handles are what keep them
// alive between ocirun invocations (documents set ShouldTerminateOnLastHandleClosed, so a crashed
// shim cannot leak a running container); create closes its own handles only once the shim said it
// holds them (SignalHolding / WaitHolding), or the systems would end with create. The shim waits at the create->start gate, creates the init process, records the
// init's container pid in <state>/init.pid, relays stdio between its own standard handles (the create
// caller's) and the init's HCS pipes, waits for it and for its output to drain, shuts the system
// down and exits with the process's exit code. A foreground exec relays the same way from the exec
// caller (stdio_relay.h). The pid in the OCI state is the shim's host pid (runhcs does the same).
// Hyper-V isolated containers outside a pod, sandboxes and LCOW containers also own a utility VM
// "<id>@vm", created and started before the container's compute system.
//
// Layers: a process-isolated container whose config has no root.path gets its windows.layerFolders
// mounted by create (wclayer::MountContainerLayers, as runhcs does), the volume as Storage.Path;
// the state records it and delete unmounts them. Layer ids come from the LayerApi's NameToGuid.
//
// Everything that is not an HCS call goes through the Supervisor interface, so the lifecycle logic
// here runs against FakeHcs and a fake supervisor in unit tests on every platform.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "runtime/container/backend.h"
#include "runtime/hcs/hcs_client.h"
#include "runtime/hcs/wclayer.h"
#include "runtime/pod/pod_policy.h"
#include "runtime/pod/windows_builds.h"

namespace ocirun::hcs {

class Supervisor {
 public:
  virtual ~Supervisor() = default;
  struct Shim {
    int pid = 0;
    uint64_t start_time = 0;
  };
  // Starts the shim for `id` (state folder `state_dir`; `vm_id` the utility VM the container owns, or
  // ""), detached from the caller; it waits at the gate. Its standard handles are the caller's (the
  // container's stdio, as runhcs's shim inherits them); where the caller has none, its stdin is
  // empty (NUL) and its output goes to the shim log.
  virtual base::Result<Shim> LaunchShim(const std::string& id, const std::string& state_dir,
                                        const std::string& vm_id) = 0;
  // An exec shim (runhcs starts one per exec): `ocirun init` with kShimExecEnv = `tag`, with the
  // caller's standard handles like the container's shim; it creates the process described by
  // ExecDocumentPath(state_dir, tag), records its container pid at ExecPidPath(state_dir, tag), relays
  // its stdio and exits with its exit code.
  virtual base::Result<Shim> LaunchExecShim(const std::string& id, const std::string& state_dir,
                                            const std::string& tag) = 0;
  // The pid an exec shim recorded at `path` (0 while there is none), and the shim's side.
  virtual uint32_t ExecPid(const std::string& path) = 0;
  virtual base::Status WriteExecPid(const std::string& path, uint32_t pid) = 0;
  // The shim's word that it holds its handles (the compute system and the VM it owns); create keeps
  // its own until then, since the last handle's close would terminate the system.
  virtual base::Status SignalHolding(const std::string& state_dir) = 0;
  // Returns once the shim signalled; fails when it exited first or did not within a minute.
  virtual base::Status WaitHolding(const std::string& state_dir, const Shim& shim) = 0;
  // The create->start gate: present until Start opens it.
  virtual std::string GatePath(const std::string& state_dir) = 0;
  virtual base::Status OpenGate(const std::string& gate) = 0;
  virtual bool GatePresent(const std::string& gate) = 0;
  // The shim's side of the gate: returns once Start opened it.
  virtual base::Status WaitGateOpen(const std::string& gate) = 0;
  virtual bool Alive(int pid, uint64_t start_time) = 0;
  virtual base::Status KillShim(int pid, uint64_t start_time) = 0;
  // Waits for the shim to exit; its exit code.
  virtual base::Result<int> WaitShim(int pid) = 0;
  // The init's container pid, once the shim wrote it (0 before start).
  virtual uint32_t InitPid(const std::string& state_dir) = 0;
  virtual base::Status WriteInitPid(const std::string& state_dir, uint32_t pid) = 0;
  virtual base::Status WritePidFile(const std::string& path, int pid) = 0;
  // This process's standard streams, borrowed: what a foreground exec and the shim relay to and
  // from the container process (the shim's are the create caller's, see LaunchShim).
  virtual StdioStreams OwnStdio() = 0;
  // Appends one line to the shim's log, <state>/shim.log (best effort).
  virtual void LogShim(const std::string& state_dir, const std::string& line) = 0;
  // The shim's log so far ("" when there is none), for errors that name what the shim said.
  virtual std::string ReadShimLog(const std::string& state_dir) = 0;
};

struct HostFacts {
  uint32_t build = pod::kLTSC2022;
  pod::HostEdition edition = pod::HostEdition::kServer;
  int processors = 0;
};

// The environment `ocirun init` reads when it is a Windows container shim.
inline constexpr const char* kShimIdEnv = "OCIRUN_HCS_SHIM_ID";
inline constexpr const char* kShimStateEnv = "OCIRUN_HCS_SHIM_STATE";
inline constexpr const char* kShimVmEnv = "OCIRUN_HCS_SHIM_VM";  // set when the container owns a VM
inline constexpr const char* kShimExecEnv = "OCIRUN_HCS_SHIM_EXEC";  // set for an exec shim: its tag

// An exec shim's files in the state folder: the HCS process document the caller wrote, and the
// process's container pid the shim writes once it created it.
inline std::string ExecDocumentPath(const std::string& state_dir, const std::string& tag) {
  return state_dir + "/exec-" + tag + ".json";
}
inline std::string ExecPidPath(const std::string& state_dir, const std::string& tag) {
  return state_dir + "/exec-" + tag + ".pid";
}

// CreateRequest::backend_options this backend reads (runhcs's flags of the same names).
inline constexpr const char* kOwnerOption = "owner";  // global --owner: HCS Owner and the state's owner
inline constexpr const char* kHostOption = "host";    // create/run --host: the container whose VM hosts this one

class HcsBackend final : public Backend {
 public:
  using ClientFactory = std::function<base::Result<std::unique_ptr<HcsClient>>()>;
  // `layers` (vmcompute.dll on a host, a fake in tests) must outlive the backend.
  HcsBackend(ClientFactory client, std::unique_ptr<Supervisor> supervisor, HostFacts host, wclayer::LayerApi& layers);

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
  // runhcs resize-tty: the console of process `pid` (0: the init) becomes width x height.
  base::Status ResizeConsole(const StateFacts& facts, uint32_t pid, uint16_t width, uint16_t height);

 private:
  base::Result<HcsClient*> Client();
  base::Result<std::unique_ptr<HcsSystem>> OpenSystem(const StateFacts& facts);
  base::Result<int> RunShim(const std::string& id, const std::string& state_dir, const std::string& vm_id);
  base::Result<int> RunExecShim(const std::string& id, const std::string& state_dir, const std::string& tag);
  base::Result<int> ExecDetached(const StateFacts& facts, const nlohmann::json& params, const std::string& pid_file);

  ClientFactory factory_;
  std::unique_ptr<HcsClient> client_;
  std::unique_ptr<Supervisor> supervisor_;
  HostFacts host_;
  wclayer::LayerApi* layers_;
};

// The container build an image declares: annotation "org.opencontainers.image.os.version"
// ("10.0.17763.1879" -> 17763); 0 when absent or malformed (meaning: the host's build).
uint32_t ContainerBuildFromAnnotations(const std::map<std::string, std::string>& annotations);

}  // namespace ocirun::hcs
