#include "runtime/hcs/hcs_backend.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>

#include "base/file.h"

#include "runtime/hcs/stdio_relay.h"
#include "runtime/hcs/translate.h"
#include "runtime/pod/sandbox_annotations.h"
#include "specs/parse.h"

namespace ocirun::hcs {
namespace {

constexpr const char* kVmSuffix = "@vm";

bool VmIsolated(const ocispec::Spec& spec) {
  return spec.linux.has_value() || (spec.windows && spec.windows->hyperv.has_value());
}

std::string ParentDir(const std::string& path) {
  size_t slash = path.find_last_of("/\\");
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

// What Create records in facts.backend, read back by every later command.
struct Placement {
  std::string system_id;  // the container's compute system
  std::string vm_id;      // the utility VM this container owns ("" when none)
  std::string host_id;    // the container whose VM hosts it ("" when process isolated)
  std::string sandbox_id;
  bool lcow = false;
  // windows.layerFolders when ocirun mounted them (no root.path): delete unmounts them.
  std::vector<std::string> mounted_layers;
  // process.terminal of the init: runhcs terminates a WCOW terminal process instead of signalling it.
  bool terminal = false;
};

nlohmann::json ToJson(const Placement& p) {
  return {{"hcs_id", p.system_id}, {"vm_id", p.vm_id},   {"host_id", p.host_id},
          {"sandbox_id", p.sandbox_id}, {"lcow", p.lcow}, {"mounted_layers", p.mounted_layers},
          {"terminal", p.terminal}};
}

Placement FromFacts(const StateFacts& f) {
  const nlohmann::json& b = f.backend.is_object() ? f.backend : nlohmann::json::object();
  return {b.value("hcs_id", f.id), b.value("vm_id", ""), b.value("host_id", ""), b.value("sandbox_id", ""),
          b.value("lcow", false), b.value("mounted_layers", std::vector<std::string>()), b.value("terminal", false)};
}

std::string Option(const CreateRequest& req, const std::string& name, const std::string& fallback = "") {
  auto it = req.backend_options.find(name);
  return it == req.backend_options.end() || it->second.empty() ? fallback : it->second;
}

pod::SandboxLookup StoreLookup(const std::string& root) {
  return [root](const std::string& id) -> base::Result<pod::SandboxRecord> {
    StateStore store(root);
    auto facts = store.Load(id);
    if (!facts.ok() || !facts->has_value()) return base::NotFound("ID '" + id + "' was not found");
    Placement p = FromFacts(**facts);
    return pod::SandboxRecord{id, p.sandbox_id, p.host_id};
  };
}

// runhcs createContainer: a container placed in another's VM (--host, or its sandbox's host) needs
// that container to exist and own a utility VM.
base::Status CheckVmHost(const std::string& root, const std::string& host) {
  StateStore store(root);
  auto facts = store.Load(host);
  if (!facts.ok() || !facts->has_value()) return base::NotFound("ID '" + host + "' was not found");
  if (FromFacts(**facts).vm_id.empty()) return base::InvalidArgument("host container " + host + " is not a VM host");
  return base::Status::Ok();
}

// Policy first: the pod matrix and the build rules refuse what the host cannot run.
base::Status CheckPolicy(const ocispec::Spec& spec, const HostFacts& host, pod::PodRole role,
                         const pod::SandboxFacts& sandbox) {
  pod::Workload w;
  w.host = {host.build, host.edition};
  w.os = spec.linux ? pod::ContainerOs::kLinux : pod::ContainerOs::kWindows;
  w.container_build = ContainerBuildFromAnnotations(spec.annotations);
  w.isolation = VmIsolated(spec) ? pod::Isolation::kHyperV : pod::Isolation::kProcess;
  w.role = role;
  w.sandbox = sandbox;
  return pod::CheckWorkload(w);
}

base::Result<Placement> Place(const CreateRequest& req, const ocispec::Spec& spec, const HostFacts& host) {
  pod::SandboxAnnotations pod = pod::ParseSandboxAnnotations(spec.annotations);
  // runhcs's create --host: the container whose utility VM hosts this one.
  ASSIGN_OR_RETURN(pod::PodPlacement pp, pod::PlaceInPod(req.id, pod, VmIsolated(spec), spec.linux.has_value(),
                                                        Option(req, kHostOption), StoreLookup(ParentDir(req.state_dir))));
  if (!pp.host_id.empty()) RETURN_IF_ERROR(CheckVmHost(ParentDir(req.state_dir), pp.host_id));
  pod::SandboxFacts sb;
  sb.os = spec.linux ? pod::ContainerOs::kLinux : pod::ContainerOs::kWindows;
  sb.isolation = pp.host_id.empty() ? pod::Isolation::kProcess : pod::Isolation::kHyperV;
  RETURN_IF_ERROR(CheckPolicy(spec, host, pp.role, sb));
  Placement p{req.id, "", pp.host_id, pp.sandbox_id, spec.linux.has_value(), {},
              spec.process && spec.process->terminal.value_or(false)};
  // A lone Windows Hyper-V container gets its own VM, as hcsoci.CreateContainer does for v2 Xenon.
  if (pp.new_vm || (pp.host_id.empty() && VmIsolated(spec) && pod::SupportsSchemaV2(host.build))) {
    p.vm_id = req.id + kVmSuffix;
    p.host_id = req.id;
  }
  return p;
}

// runhcs mounts the layers itself when a process-isolated Windows container's config has no root.path
// (hcsoci.CreateContainer -> layers.MountContainerLayers; Storage.Path is then the volume). A
// Hyper-V isolated container's layers go to its VM over VSMB instead.
bool MountsLayers(const ocispec::Spec& spec, const Placement& place) {
  return spec.windows && !VmIsolated(spec) && place.host_id.empty() && (!spec.root || spec.root->path.empty());
}

// Terminates a system, tolerating "already stopped", "does not exist" and "pending".
base::Status TerminateQuietly(HcsSystem& sys) {
  base::Status st = sys.Terminate();
  if (st.ok() || IsAlreadyStopped(st) || IsNotExist(st) || IsPending(st)) return base::Status::Ok();
  return st;
}

// The stdin relay's CloseStdin runs while the caller waits for the exit: bounded well below the
// HCS default.
constexpr Timeout kCloseStdinTimeout{std::chrono::seconds(10)};

// Runs `created` attached to `caller`: relays its stdio (stdio_relay.h), waits for its exit, then for
// its output to drain. Returns the exit code; `report` gets what the relay did.
base::Result<int> RunAttached(std::unique_ptr<HcsProcess> created, StdioStreams caller, RelayReport& report) {
  std::shared_ptr<HcsProcess> p = std::move(created);
  auto relay = StdioRelay::Start(std::move(caller), p->TakeStdio(),
                                 [p] { p->CloseStdin(kCloseStdinTimeout).IgnoreError(); });
  base::Result<int> code = p->WaitExit(Timeout(0));  // 0: no limit
  if (code.ok()) relay->WaitOutput(kCopyAfterExitIdle);
  report = relay->Report();
  return code;
}

// A name for one exec shim's files, unique within the container's state folder.
std::string ExecTag() {
  std::random_device rd;
  return std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "-" + std::to_string(rd() % 100000);
}

// Waits until `started()` or the shim exited; what the shim logged when it exited first.
template <typename Started>
base::Status WaitForShimWord(Supervisor& supervisor, const Supervisor::Shim& shim, const std::string& state_dir,
                             const std::string& what, Started started) {
  const auto deadline = std::chrono::steady_clock::now() + kDefaultTimeout;
  while (!started()) {
    if (!supervisor.Alive(shim.pid, shim.start_time)) {
      if (started()) break;  // it did, and has already ended
      std::string log = supervisor.ReadShimLog(state_dir);
      return base::Internal(what + " could not be started" + (log.empty() ? std::string() : ": " + log));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return base::Internal(what + " was not started within " +
                            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(kDefaultTimeout).count()) + " s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return base::Status::Ok();
}

// The utility VM (when the container owns one), the container's compute system and its shim; on
// failure, terminates what it created.
base::Status CreateSystems(const CreateRequest& req, const ocispec::Spec& spec, const Placement& place,
                           const TranslateOptions& opts, HcsClient& hcs, Supervisor& supervisor, StateFacts& facts) {
  std::unique_ptr<HcsSystem> vm;
  if (!place.vm_id.empty()) {
    ASSIGN_OR_RETURN_CTX(nlohmann::json vm_doc, UtilityVmDocument(spec, opts), "utility VM document");
    ASSIGN_OR_RETURN(vm, hcs.Create(place.vm_id, vm_doc));
    if (base::Status st = vm->Start(); !st.ok()) {
      TerminateQuietly(*vm).IgnoreError();
      return st;
    }
  }
  auto undo_vm = [&] { if (vm) TerminateQuietly(*vm).IgnoreError(); };
  auto doc = ContainerDocument(spec, opts);
  if (!doc.ok()) { undo_vm(); return doc.status().Wrap("container document"); }
  auto sys = hcs.Create(req.id, *doc);
  if (!sys.ok()) { undo_vm(); return sys.status(); }
  auto shim = supervisor.LaunchShim(req.id, req.state_dir, place.vm_id);
  if (!shim.ok()) {
    TerminateQuietly(**sys).IgnoreError();
    undo_vm();
    return shim.status().Wrap("start the container shim");
  }
  // Our handles close when we return: the systems live on only once the shim holds its own.
  if (base::Status held = supervisor.WaitHolding(req.state_dir, *shim); !held.ok()) {
    supervisor.KillShim(shim->pid, shim->start_time).IgnoreError();
    TerminateQuietly(**sys).IgnoreError();
    undo_vm();
    return held.Wrap("the container shim");
  }
  facts.pid = shim->pid;
  facts.pid_start_time = shim->start_time;
  facts.exec_gate = supervisor.GatePath(req.state_dir);
  facts.backend = ToJson(place);
  return base::Status::Ok();
}

}  // namespace

uint32_t ContainerBuildFromAnnotations(const std::map<std::string, std::string>& annotations) {
  auto it = annotations.find("org.opencontainers.image.os.version");
  if (it == annotations.end()) return 0;
  // "10.0.<build>[.<revision>]"
  const std::string& v = it->second;
  size_t first = v.find('.'), second = first == std::string::npos ? first : v.find('.', first + 1);
  if (second == std::string::npos) return 0;
  char* end = nullptr;
  unsigned long build = std::strtoul(v.c_str() + second + 1, &end, 10);
  return end != v.c_str() + second + 1 ? static_cast<uint32_t>(build) : 0;
}

HcsBackend::HcsBackend(ClientFactory client, std::unique_ptr<Supervisor> supervisor, HostFacts host,
                       wclayer::LayerApi& layers)
    : factory_(std::move(client)), supervisor_(std::move(supervisor)), host_(host), layers_(&layers) {}

base::Result<HcsClient*> HcsBackend::Client() {
  // Before RS5 there is no computecore.dll to load: say so plainly instead of "could not be loaded".
  RETURN_IF_ERROR(HostBuildSupported(host_.build));
  if (!client_) {
    ASSIGN_OR_RETURN(client_, factory_());
  }
  return client_.get();
}

base::Result<std::unique_ptr<HcsSystem>> HcsBackend::OpenSystem(const StateFacts& facts) {
  ASSIGN_OR_RETURN(HcsClient * hcs, Client());
  return hcs->Open(FromFacts(facts).system_id);
}

base::Status HcsBackend::Create(const CreateRequest& req, StateFacts& facts) {
  ASSIGN_OR_RETURN_CTX(ocispec::Spec spec, ocispec::ConfigFromJson(req.config), "config.json");
  RETURN_IF_ERROR(HostBuildSupported(host_.build));
  ASSIGN_OR_RETURN(Placement place, Place(req, spec, host_));
  ASSIGN_OR_RETURN(HcsClient * hcs, Client());
  // As runhcs, a Windows container may leave its root to the runtime: the volume mounted here for
  // process isolation; for Hyper-V the scratch disk in the utility VM (translate_container.cc).
  if (spec.windows && !place.lcow && !spec.root) spec.root.emplace();
  if (MountsLayers(spec, place)) {
    ASSIGN_OR_RETURN_CTX(std::string volume, wclayer::MountContainerLayers(*layers_, spec.windows->layer_folders),
                         "mount the container's layers");
    place.mounted_layers = spec.windows->layer_folders;
    spec.root->path = volume;
  }
  TranslateOptions opts;
  opts.id = req.id;
  // runhcs --owner: the HCS documents' Owner and the state's owner.
  opts.owner = Option(req, kOwnerOption, opts.owner);
  facts.owner = opts.owner;
  opts.host_build = host_.build;
  opts.host_processors = host_.processors;
  opts.hosting_system_id = place.host_id.empty() ? "" : place.host_id + kVmSuffix;
  // vmcompute's NameToGuid on a Windows host, as hcsshim's LayerID (guid.h).
  opts.layer_id = [layers = layers_](const std::string& folder) { return layers->NameToGuid(BaseName(folder)); };
  base::Status st = CreateSystems(req, spec, place, opts, *hcs, *supervisor_, facts);
  // Every failure after the mount: CreateSystems has removed what it made, the volume goes last.
  if (!st.ok() && !place.mounted_layers.empty()) {
    wclayer::UnmountContainerLayers(*layers_, place.mounted_layers).IgnoreError();
  }
  return st;
}

// As runhcs's start waits on its shim for the init's creation: returns once the shim recorded the
// init's pid; fails with the shim's log when the shim exited without one (the init could not be created).
base::Status HcsBackend::Start(const StateFacts& facts) {
  ASSIGN_OR_RETURN(std::unique_ptr<HcsSystem> sys, OpenSystem(facts));
  RETURN_IF_ERROR(sys->Start());
  RETURN_IF_ERROR(supervisor_->OpenGate(facts.exec_gate));
  const std::string state_dir = ParentDir(facts.exec_gate);
  return WaitForShimWord(*supervisor_, {facts.pid, facts.pid_start_time}, state_dir, "the container's init",
                         [&] { return supervisor_->InitPid(state_dir) != 0; });
}

base::Status HcsBackend::Kill(const StateFacts& facts, int signal, bool all) {
  const bool lcow = FromFacts(facts).lcow;
  ASSIGN_OR_RETURN(std::optional<nlohmann::json> options, SignalOptions(signal, lcow));
  ASSIGN_OR_RETURN(std::unique_ptr<HcsSystem> sys, OpenSystem(facts));
  uint32_t init = supervisor_->InitPid(ParentDir(facts.exec_gate));
  if (init == 0) {
    // Created, not started: nothing runs but the system and the shim waiting at the gate for a start
    // that can no longer come. Both go, so the container is stopped (as runhcs's shim exits when its
    // system stops).
    RETURN_IF_ERROR(TerminateQuietly(*sys));
    if (facts.pid > 0 && supervisor_->Alive(facts.pid, facts.pid_start_time))
      return supervisor_->KillShim(facts.pid, facts.pid_start_time);
    return base::Status::Ok();
  }
  // runhcs kill: a Windows terminal process takes no console control event, it is terminated.
  if (options && FromFacts(facts).terminal && !lcow) options.reset();
  std::vector<uint32_t> targets = {init};
  if (all) {
    ASSIGN_OR_RETURN(std::vector<int> pids, Pids(facts));
    targets.assign(pids.begin(), pids.end());
  }
  for (uint32_t pid : targets) {
    ASSIGN_OR_RETURN(std::unique_ptr<HcsProcess> p, sys->OpenProcess(pid));
    base::Status st = options ? p->Signal(*options) : p->Terminate();
    if (!st.ok() && !IsAlreadyStopped(st)) return st;
  }
  return base::Status::Ok();
}

base::Status HcsBackend::Destroy(const StateFacts& facts) {
  Placement place = FromFacts(facts);
  ASSIGN_OR_RETURN(HcsClient * hcs, Client());
  for (const std::string& id : {place.system_id, place.vm_id}) {
    if (id.empty()) continue;
    auto sys = hcs->Open(id);
    if (!sys.ok()) {
      if (IsNotExist(sys.status())) continue;
      return sys.status();
    }
    RETURN_IF_ERROR(TerminateQuietly(**sys));
  }
  if (facts.pid > 0 && supervisor_->Alive(facts.pid, facts.pid_start_time)) {
    RETURN_IF_ERROR(supervisor_->KillShim(facts.pid, facts.pid_start_time));
  }
  if (!place.mounted_layers.empty()) {
    RETURN_IF_ERROR_CTX(wclayer::UnmountContainerLayers(*layers_, place.mounted_layers), "unmount the container's layers");
  }
  return base::Status::Ok();
}

BackendObservation HcsBackend::Observe(const StateFacts& facts) {
  BackendObservation o;
  o.init_alive = facts.pid > 0 && supervisor_->Alive(facts.pid, facts.pid_start_time);
  o.gate_present = !facts.exec_gate.empty() && supervisor_->GatePresent(facts.exec_gate);
  if (o.init_alive) {
    if (auto sys = OpenSystem(facts); sys.ok()) {
      auto props = (*sys)->Properties(PropertyQuery({}));
      o.frozen = props.ok() && props->value("State", "") == "Paused";
    }
  }
  return o;
}

base::Result<int> HcsBackend::WaitInit(const StateFacts& facts) { return supervisor_->WaitShim(facts.pid); }

base::Result<int> HcsBackend::Exec(const StateFacts& facts, const ExecRequest& req) {
  ASSIGN_OR_RETURN_CTX(ocispec::Spec holder, ocispec::ConfigFromJson({{"ociVersion", "1.0.2"}, {"process", req.process}}),
                       "process");
  ASSIGN_OR_RETURN(nlohmann::json params, ProcessDocument(*holder.process, FromFacts(facts).lcow));
  if (req.detach) return ExecDetached(facts, params, req.pid_file);
  ASSIGN_OR_RETURN(std::unique_ptr<HcsSystem> sys, OpenSystem(facts));
  ASSIGN_OR_RETURN(std::unique_ptr<HcsProcess> p, sys->CreateProcess(params));
  if (!req.pid_file.empty()) RETURN_IF_ERROR(supervisor_->WritePidFile(req.pid_file, static_cast<int>(p->pid())));
  if (req.detach) return 0;
  RelayReport relay;
  return RunAttached(std::move(p), supervisor_->OwnStdio(), relay);
}

// runhcs's exec -d: a shim of its own holds the process with the caller's stdio; exec returns once
// the process exists, and --pid-file gets the shim's host pid.
base::Result<int> HcsBackend::ExecDetached(const StateFacts& facts, const nlohmann::json& params,
                                           const std::string& pid_file) {
  const std::string state_dir = ParentDir(facts.exec_gate);
  const std::string tag = ExecTag();
  const std::string doc = ExecDocumentPath(state_dir, tag), pid = ExecPidPath(state_dir, tag);
  RETURN_IF_ERROR_CTX(base::WriteFileAtomic(doc, params.dump(), 0600), "exec");
  auto forget = [&] {
    std::error_code ec;
    std::filesystem::remove(doc, ec);
    std::filesystem::remove(pid, ec);
  };
  auto shim = supervisor_->LaunchExecShim(FromFacts(facts).system_id, state_dir, tag);
  if (!shim.ok()) {
    forget();
    return shim.status().Wrap("start the exec shim");
  }
  base::Status st = WaitForShimWord(*supervisor_, *shim, state_dir, "the exec process",
                                    [&] { return supervisor_->ExecPid(pid) != 0; });
  forget();
  RETURN_IF_ERROR(st);
  if (!pid_file.empty()) RETURN_IF_ERROR(supervisor_->WritePidFile(pid_file, shim->pid));
  return 0;
}

// The exec shim (LaunchExecShim): creates the process, says so, relays its stdio, exits with its code.
base::Result<int> HcsBackend::RunExecShim(const std::string& id, const std::string& state_dir, const std::string& tag) {
  ASSIGN_OR_RETURN(HcsClient * hcs, Client());
  ASSIGN_OR_RETURN(std::unique_ptr<HcsSystem> sys, hcs->Open(id));
  const std::string doc = ExecDocumentPath(state_dir, tag);
  ASSIGN_OR_RETURN_CTX(std::string text, base::ReadFile(doc), "exec shim");
  nlohmann::json params = nlohmann::json::parse(text, nullptr, false);
  if (!params.is_object()) return base::Internal("exec shim: " + doc + " is not a process document");
  ASSIGN_OR_RETURN(std::unique_ptr<HcsProcess> p, sys->CreateProcess(params));
  RETURN_IF_ERROR(supervisor_->WriteExecPid(ExecPidPath(state_dir, tag), p->pid()));
  RelayReport relay;
  ASSIGN_OR_RETURN(int code, RunAttached(std::move(p), supervisor_->OwnStdio(), relay));
  if (!relay.first_error.empty()) supervisor_->LogShim(state_dir, "exec " + tag + ": stdio relay: " + relay.first_error);
  return code;
}

nlohmann::json HcsBackend::Features() {
  return {{"ociVersionMin", "1.0.0"},
          {"ociVersionMax", "1.2.0"},
          {"hooks", nlohmann::json::array()},
          {"mountOptions", {"ro"}},
          {"annotations",
           {{"io.github.ocicert.hcs.host.build", std::to_string(host_.build)},
            {"io.github.ocicert.hcs.isolation", "process,hyperv"}}}};
}

base::Status HcsBackend::Freeze(const StateFacts& facts) {
  ASSIGN_OR_RETURN(std::unique_ptr<HcsSystem> sys, OpenSystem(facts));
  return sys->Pause();
}

base::Status HcsBackend::Thaw(const StateFacts& facts) {
  ASSIGN_OR_RETURN(std::unique_ptr<HcsSystem> sys, OpenSystem(facts));
  return sys->Resume();
}

base::Result<std::vector<int>> HcsBackend::Pids(const StateFacts& facts) {
  ASSIGN_OR_RETURN(std::unique_ptr<HcsSystem> sys, OpenSystem(facts));
  ASSIGN_OR_RETURN(nlohmann::json props, sys->Properties(PropertyQuery({"ProcessList"})));
  std::vector<int> pids;
  if (props.contains("ProcessList") && props["ProcessList"].is_array()) {
    for (const auto& p : props["ProcessList"]) pids.push_back(p.value("ProcessId", 0));
  }
  return pids;
}

// The shim (see hcs_backend.h): holds the compute-system handle, starts the init at the gate, waits.
base::Result<int> HcsBackend::RunShim(const std::string& id, const std::string& state_dir, const std::string& vm_id) {
  ASSIGN_OR_RETURN(HcsClient * hcs, Client());
  ASSIGN_OR_RETURN(std::unique_ptr<HcsSystem> sys, hcs->Open(id));
  std::unique_ptr<HcsSystem> vm;  // held, never used: the VM lives as long as this shim
  if (!vm_id.empty()) { ASSIGN_OR_RETURN(vm, hcs->Open(vm_id)); }
  RETURN_IF_ERROR(supervisor_->SignalHolding(state_dir));
  RETURN_IF_ERROR(supervisor_->WaitGateOpen(supervisor_->GatePath(state_dir)));
  ASSIGN_OR_RETURN_CTX(ocispec::Spec spec, ocispec::ParseConfigFile(state_dir + "/config.json"), "shim");
  if (!spec.process) return base::InvalidArgument("config.json has no process to start");
  ASSIGN_OR_RETURN(nlohmann::json params, ProcessDocument(*spec.process, spec.linux.has_value()));
  ASSIGN_OR_RETURN(std::unique_ptr<HcsProcess> init, sys->CreateProcess(params));
  RETURN_IF_ERROR(supervisor_->WriteInitPid(state_dir, init->pid()));
  RelayReport relay;
  ASSIGN_OR_RETURN(int code, RunAttached(std::move(init), supervisor_->OwnStdio(), relay));
  if (!relay.first_error.empty()) supervisor_->LogShim(state_dir, "stdio relay: " + relay.first_error);
  if (!relay.output_done) {
    supervisor_->LogShim(state_dir, "the init exited but its output pipes stayed open and idle: stopped relaying them");
  }
  base::Status st = sys->Shutdown();
  if (!st.ok() && !IsAlreadyStopped(st) && !IsNotExist(st)) TerminateQuietly(*sys).IgnoreError();
  return code;
}

int HcsBackend::RunInit() {
  const char* id = std::getenv(kShimIdEnv);
  const char* state = std::getenv(kShimStateEnv);
  if (!id || !state) {
    std::fprintf(stderr, "ocirun init: not started by ocirun (%s / %s unset)\n", kShimIdEnv, kShimStateEnv);
    return 2;
  }
  const char* vm = std::getenv(kShimVmEnv);
  const char* exec = std::getenv(kShimExecEnv);
  auto code = exec ? RunExecShim(id, state, exec) : RunShim(id, state, vm ? vm : "");
  if (!code.ok()) {
    // The shim's stderr is the container's (the create caller's): whoever waits for it sees why.
    std::string message = std::string("ocirun shim ") + id + ": " + code.status().ToString();
    std::fprintf(stderr, "%s\n", message.c_str());
    supervisor_->LogShim(state, message);
    return 1;
  }
  return *code;
}

base::Status HcsBackend::ResizeConsole(const StateFacts& facts, uint32_t pid, uint16_t width, uint16_t height) {
  if (pid == 0) pid = supervisor_->InitPid(ParentDir(facts.exec_gate));
  if (pid == 0) return base::FailedPrecondition("resize-tty: the container's init has not started");
  ASSIGN_OR_RETURN(std::unique_ptr<HcsSystem> sys, OpenSystem(facts));
  ASSIGN_OR_RETURN(std::unique_ptr<HcsProcess> p, sys->OpenProcess(pid));
  return p->ResizeConsole(width, height);
}

base::Status HcsBackend::Update(const StateFacts&, const nlohmann::json&) {
  return base::Unimplemented("update is not supported for Windows containers (runhcs has no update either)");
}

}  // namespace ocirun::hcs
