// LinuxBackend::Create, Exec and WaitInit: the parent side of the init protocol.
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "base/file.h"
#include "runtime/container/config.h"
#include "runtime/linux/backend.h"
#include "runtime/linux/backend_facts.h"
#include "runtime/linux/cgroup.h"
#include "runtime/linux/cgroup_spec.h"
#include "runtime/linux/console.h"
#include "runtime/linux/hooks.h"
#include "runtime/linux/namespaces.h"
#include "runtime/linux/personality.h"
#include "runtime/linux/seccomp.h"
#include "runtime/linux/spawn.h"
#include "runtime/linux/start_report.h"
#include "runtime/platform.h"
#include "specs/parse.h"

namespace ocirun::linux {
namespace {

struct NamespacePlan {
  nlohmann::json join = nlohmann::json::array();
  nlohmann::json fresh = nlohmann::json::array();
  bool new_user = false;
  std::vector<std::string> types;  // every type the container has (exec joins these)
};

bool Has(const std::vector<std::string>& types, const char* type) {
  return std::find(types.begin(), types.end(), type) != types.end();
}

// A namespace type the config omits is the host's (config-linux.md#namespaces: "If a namespace type
// is not specified in the namespaces array, the container MUST inherit the runtime namespace of that
// type"). What would then change the host is refused, naming the field (runc refuses the same, its
// validator's messages in parentheses): the hostname and domain name without a UTS namespace
// ("unable to set hostname without a private UTS namespace"); masked and read-only paths without a
// mount namespace ("unable to restrict sys entries without a private MNT namespace"); and, stricter
// than runc (which would change the propagation of the host's "/" and remount it), rootfsPropagation
// and root.readonly without one.
base::Status CheckSharedNamespaces(const ocispec::Spec& spec, const std::vector<std::string>& types) {
  if (!Has(types, "uts")) {
    if (spec.hostname && !spec.hostname->empty())
      return base::InvalidArgument("hostname: needs a UTS namespace (linux.namespaces has no uts entry)");
    if (spec.domainname && !spec.domainname->empty())
      return base::InvalidArgument("domainname: needs a UTS namespace (linux.namespaces has no uts entry)");
  }
  if (Has(types, "mount")) return base::Status::Ok();
  const char* no_mount = ": needs a mount namespace (linux.namespaces has no mount entry)";
  if (spec.root && spec.root->readonly.value_or(false)) return base::InvalidArgument(std::string("root.readonly") + no_mount);
  if (!spec.linux) return base::Status::Ok();
  if (!spec.linux->masked_paths.empty()) return base::InvalidArgument(std::string("linux.maskedPaths") + no_mount);
  if (!spec.linux->readonly_paths.empty()) return base::InvalidArgument(std::string("linux.readonlyPaths") + no_mount);
  if (spec.linux->rootfs_propagation) return base::InvalidArgument(std::string("linux.rootfsPropagation") + no_mount);
  return base::Status::Ok();
}

base::Result<NamespacePlan> PlanNamespaces(const ocispec::Spec& spec) {
  NamespacePlan plan;
  if (!spec.linux) {
    RETURN_IF_ERROR(CheckSharedNamespaces(spec, plan.types));
    return plan;
  }
  for (const auto& ns : spec.linux->namespaces) {
    RETURN_IF_ERROR(LookupNamespace(ns.type).status());
    plan.types.push_back(ns.type);
    if (ns.path && !ns.path->empty()) {
      plan.join.push_back({{"type", ns.type}, {"path", *ns.path}});
    } else if (ns.type == "user") {
      plan.new_user = true;
    } else {
      plan.fresh.push_back(ns.type);
    }
  }
  RETURN_IF_ERROR(CheckSharedNamespaces(spec, plan.types));
  if (plan.new_user && spec.linux->uid_mappings.empty()) {
    return base::InvalidArgument("linux.uidMappings: required with a new user namespace");
  }
  return plan;
}

std::string HookState(const CreateRequest& req, const StateFacts& f, const char* status, int pid) {
  nlohmann::json s{{"ociVersion", f.oci_version}, {"id", req.id}, {"status", status}, {"pid", pid},
                   {"bundle", req.bundle}};
  if (!f.annotations.empty()) s["annotations"] = f.annotations;
  return s.dump();
}

base::Status RunRuntimeHooks(const ocispec::Spec& spec, const std::string& state) {
  if (!spec.hooks) return base::Status::Ok();
  RETURN_IF_ERROR(RunHooks(HookKind::kPrestart, spec.hooks->prestart, state, OnHookFailure::kStop));
  return RunHooks(HookKind::kCreateRuntime, spec.hooks->create_runtime, state, OnHookFailure::kStop);
}

// runtime.md#lifecycle: a create that fails once its environment exists (the prestart, createRuntime
// and createContainer hooks, or anything after them) stops the container and goes on at step 12: the
// container is destroyed, then the poststop hooks run; their failures are warnings.
void RunPoststopAfterFailedCreate(const ocispec::Spec& spec, const std::string& state) {
  if (!spec.hooks || spec.hooks->poststop.empty()) return;
  base::Status st = RunHooks(HookKind::kPoststop, spec.hooks->poststop, state, OnHookFailure::kContinue);
  if (!st.ok()) std::fprintf(stderr, "warning: %s\n", st.message().c_str());
}

// Cgroup made during create, destroyed again unless released.
struct CgroupGuard {
  std::unique_ptr<CgroupManager> cg;
  bool keep = false;
  ~CgroupGuard() {
    if (cg && !keep) {
      cg->KillAll(SIGKILL).IgnoreError();
      cg->Destroy().IgnoreError();
    }
  }
};

// Records the facts known so far as the create's intent (CreateRequest::record), before making more.
base::Status Record(const CreateRequest& req, const StateFacts& facts) {
  return req.record ? req.record(facts) : base::Status::Ok();
}

base::Result<std::unique_ptr<CgroupManager>> MakeCgroup(const ocispec::Spec& spec, const std::string& id,
                                                        CgroupResources& resources) {
  CgroupConfig config;
  config.container_id = id;
  if (spec.linux) config.cgroups_path = spec.linux->cgroups_path;
  ocispec::LinuxResources none;
  const ocispec::LinuxResources& r = spec.linux && spec.linux->resources ? *spec.linux->resources : none;
  ASSIGN_OR_RETURN(resources, ResourcesFromSpec(r, DeviceRules::kApply));
  return NewCgroupManager(config);
}

// The host id that container id 0 maps to (0 when unmapped).
uint32_t HostIdOfRoot(const std::vector<ocispec::IdMapping>& maps) {
  for (const auto& m : maps) {
    if (m.container_id == 0 && m.size > 0) return m.host_id;
  }
  return 0;
}

// The fifos of the state folder (exec.fifo, start.fifo), removed again unless kept.
class FifoGuard {
 public:
  FifoGuard() = default;
  FifoGuard(const FifoGuard&) = delete;
  FifoGuard& operator=(const FifoGuard&) = delete;
  ~FifoGuard() {
    for (const std::string& p : paths_) ::unlink(p.c_str());
  }
  base::Status Make(const std::string& path, const ocispec::Spec& spec, bool new_user) {
    if (::mkfifo(path.c_str(), 0600) != 0) return base::ErrnoError("mkfifo " + path);
    paths_.push_back(path);
    if (!new_user) return base::Status::Ok();
    // The init opens the fifos as root of its user namespace: they belong to that root's host ids.
    uid_t uid = HostIdOfRoot(spec.linux->uid_mappings);
    gid_t gid = HostIdOfRoot(spec.linux->gid_mappings);
    if (::chown(path.c_str(), uid, gid) != 0) return base::ErrnoError("chown " + path);
    return base::Status::Ok();
  }
  void Keep() { paths_.clear(); }

 private:
  std::vector<std::string> paths_;
};

// runc's rules for terminals and console sockets, with its messages.
base::Status CheckConsole(bool terminal, const std::string& socket, bool foreground) {
  if (terminal && socket.empty() && !foreground) {
    return base::InvalidArgument("cannot allocate tty if ocirun will detach without setting console socket");
  }
  if (!terminal && !socket.empty()) {
    return base::InvalidArgument("cannot use console socket if ocirun will not detach or allocate tty");
  }
  return base::Status::Ok();
}

const nlohmann::json* FindSeccomp(const nlohmann::json& config) {
  auto linux_it = config.find("linux");
  if (linux_it == config.end() || !linux_it->is_object()) return nullptr;
  auto it = linux_it->find("seccomp");
  return it == linux_it->end() || it->is_null() ? nullptr : &*it;
}

int ShellStatus(int wstatus) {
  if (WIFEXITED(wstatus)) return WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus)) return 128 + WTERMSIG(wstatus);
  return 1;
}

// runtime.md: create MUST generate an error when a property cannot be applied. The seccomp filter
// and the personality are applied by the init, after the parent has returned kReady; checking them
// here first gives the error (naming the field) before anything is created.
base::Status CheckBeforeCreate(const ocispec::Spec& spec) {
  if (!spec.linux) return base::Status::Ok();
  if (spec.linux->seccomp) RETURN_IF_ERROR(CompileSeccomp(*spec.linux->seccomp).status());
  if (spec.linux->personality) RETURN_IF_ERROR(Persona(*spec.linux->personality).status());
  // config-linux.md#intelrdt: intelRdt without a mounted resctrl MUST be an error. This build does
  // not manage resctrl at all (features: intelRdt.enabled false), so it refuses any intelRdt.
  if (spec.linux->intel_rdt)
    return base::Unimplemented("linux.intelRdt: Intel RDT (resctrl) is not supported by this ocirun build");
  return base::Status::Ok();
}

// root.path must name a folder; the error says which of "missing" or "not a folder" it is.
base::Status CheckRootfs(const std::string& rootfs) {
  struct stat st{};
  if (::stat(rootfs.c_str(), &st) != 0) {
    if (errno == ENOENT) return base::InvalidArgument("root.path: rootfs (" + rootfs + ") does not exist");
    return base::InvalidArgument("root.path: rootfs (" + rootfs + "): " + std::strerror(errno));
  }
  if (!S_ISDIR(st.st_mode)) {
    return base::InvalidArgument("root.path: rootfs (" + rootfs + ") is not a directory");
  }
  return base::Status::Ok();
}

}  // namespace

base::Status LinuxBackend::Create(const CreateRequest& req, StateFacts& facts) {
  ASSIGN_OR_RETURN(ocispec::Spec spec, ocispec::ConfigFromJson(req.config));
  if (!spec.process) return base::InvalidArgument("process: required to create a container");
  RETURN_IF_ERROR(CheckBeforeCreate(spec));
  ASSIGN_OR_RETURN(NamespacePlan plan, PlanNamespaces(spec));
  RETURN_IF_ERROR(CheckConsole(spec.process->terminal.value_or(false), req.console_socket, req.foreground));
  RETURN_IF_ERROR(CheckRootfs(facts.rootfs));
  CgroupResources resources;
  CgroupGuard guard;
  ASSIGN_OR_RETURN(guard.cg, MakeCgroup(spec, req.id, resources));
  facts.cgroup_path = guard.cg->Paths().Serialize();
  RETURN_IF_ERROR(Record(req, facts));  // before the mkdir: a kill from here on leaves it findable
  RETURN_IF_ERROR_CTX(guard.cg->Create(), "create cgroup");
  RETURN_IF_ERROR(guard.cg->Apply(resources));
  const std::string gate = req.state_dir + "/exec.fifo";
  const std::string start_fifo = req.state_dir + "/" + kStartFifoName;
  FifoGuard fifos;
  RETURN_IF_ERROR(fifos.Make(gate, spec, plan.new_user));
  RETURN_IF_ERROR(fifos.Make(start_fifo, spec, plan.new_user));
  SpawnRequest sr;
  sr.config = {{"mode", "create"}, {"spec", WithoutAnnotations(req.config)}, {"rootfs", facts.rootfs}, {"bundle", req.bundle},
               {"no_pivot", req.no_pivot}, {"gate", gate}, {"start_fifo", start_fifo},
               {"preserve_fds", req.preserve_fds},
               {"console_socket", req.console_socket}, {"join", plan.join}, {"new", plan.fresh},
               {"new_user", plan.new_user}, {"mount_namespace", Has(plan.types, "mount")}};
  if (spec.linux) {
    sr.uid_mappings = spec.linux->uid_mappings;
    sr.gid_mappings = spec.linux->gid_mappings;
  }
  sr.preserve_fds = req.preserve_fds;
  SpawnCallbacks cb;
  cb.place = [&](int pid) { return guard.cg->AddProcess(pid); };
  cb.child = [&](int pid) {
    // The init exists (in the cgroup since stage 1 was placed): record it with its start time, so
    // that `state` and `delete --force` know it even if we are killed before state.json is written.
    facts.pid = pid;
    facts.pid_start_time = platform::ProcessStartTime(pid).value_or(0);
    return Record(req, facts);
  };
  cb.console = [&](int master, const std::string& name) { return TakeConsole(master, name, req.console_socket); };
  bool environment_made = false;  // the hooks stage was reached
  cb.runtime_hooks = [&](int pid) -> base::Result<nlohmann::json> {
    environment_made = true;
    // The state is built only for hooks that read it: it carries the annotations (tens of MB in a
    // large config), and the init needs it only for the container's own hooks.
    if (!spec.hooks) return nlohmann::json::object();
    const ocispec::Hooks& h = *spec.hooks;
    if (!h.prestart.empty() || !h.create_runtime.empty()) {
      RETURN_IF_ERROR(RunRuntimeHooks(spec, HookState(req, facts, "creating", pid)));
    }
    if (h.create_container.empty() && h.start_container.empty()) return nlohmann::json::object();
    return nlohmann::json::parse(HookState(req, facts, "created", pid));
  };
  base::Result<int> spawned = SpawnInit(sr, cb);
  if (!spawned.ok()) {
    if (environment_made) {
      guard.cg->KillAll(SIGKILL).IgnoreError();  // step 12 first: the container is destroyed
      guard.cg->Destroy().IgnoreError();
      guard.keep = true;
      RunPoststopAfterFailedCreate(spec, HookState(req, facts, "stopped", 0));
    }
    return spawned.status();
  }
  int pid = *spawned;
  facts.pid = pid;
  facts.pid_start_time = platform::ProcessStartTime(pid).value_or(0);
  facts.exec_gate = gate;
  facts.backend = {{"state_dir", req.state_dir}, {"namespaces", plan.types}};
  // exec'd processes get the container's seccomp filter too (as with runc); the flag spares execs
  // of containers without one the read of the stored config.
  if (FindSeccomp(req.config)) facts.backend["seccomp"] = true;
  guard.keep = true;
  fifos.Keep();
  return base::Status::Ok();
}

base::Result<int> LinuxBackend::Exec(const StateFacts& facts, const ExecRequest& req) {
  if (!platform::ProcessAlive(facts.pid, facts.pid_start_time)) {
    return base::FailedPrecondition("cannot exec in a stopped container");
  }
  RETURN_IF_ERROR(ocispec::ParseProcess(req.process.dump()).status());
  nlohmann::json join = nlohmann::json::array();
  ASSIGN_OR_RETURN(LinuxFacts stored, LinuxFactsFromJson(facts.backend));
  for (const std::string& t : stored.namespaces) {
    ASSIGN_OR_RETURN(NamespaceInfo info, LookupNamespace(t));
    join.push_back({{"type", info.oci_type},
                    {"path", "/proc/" + std::to_string(facts.pid) + "/ns/" + info.proc_name}});
  }
  SpawnRequest sr;
  sr.config = {{"mode", "exec"}, {"process", req.process}, {"join", join}, {"preserve_fds", req.preserve_fds},
               {"console_socket", req.console_socket}};
  // Without a mount namespace of its own the init is chroot'ed in the host's: the exec'd process
  // goes to the same root (the init's, as the kernel sees it) instead of the host's "/".
  if (!Has(stored.namespaces, "mount")) sr.config["chroot"] = "/proc/" + std::to_string(facts.pid) + "/root";
  if (stored.seccomp) {
    ASSIGN_OR_RETURN(nlohmann::json config, StoredConfigJson(facts));
    if (const auto* seccomp = FindSeccomp(config)) sr.config["seccomp"] = *seccomp;
  }
  sr.preserve_fds = req.preserve_fds;
  std::unique_ptr<CgroupManager> cg;
  if (!facts.cgroup_path.empty()) {
    ASSIGN_OR_RETURN(CgroupPaths paths, CgroupPaths::Parse(facts.cgroup_path));
    ASSIGN_OR_RETURN(cg, LoadCgroupManager(paths));
  }
  RETURN_IF_ERROR(CheckConsole(req.process.value("terminal", false), req.console_socket, !req.detach));
  SpawnCallbacks cb;
  cb.place = [&](int pid) { return cg ? cg->AddProcess(pid) : base::Status::Ok(); };
  cb.console = [&](int master, const std::string& name) { return TakeConsole(master, name, req.console_socket); };
  ASSIGN_OR_RETURN(int pid, SpawnInit(sr, cb));
  if (!req.pid_file.empty()) {
    RETURN_IF_ERROR_CTX(base::WriteFileAtomic(req.pid_file, std::to_string(pid), 0644), "write pid file");
  }
  if (req.detach) return 0;
  StateFacts child;
  child.pid = pid;
  return WaitInit(child);
}

base::Status LinuxBackend::TakeConsole(int master, const std::string& name, const std::string& socket) {
  base::UniqueFd owned(master);
  if (!socket.empty()) return SendConsole(socket, owned.get(), name).Wrap("--console-socket " + socket);
  console_master_ = std::move(owned);
  return base::Status::Ok();
}

base::Result<int> LinuxBackend::WaitInit(const StateFacts& facts) {
  if (console_master_) {
    base::UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, facts.pid, 0)));
    RelayOptions relay;
    relay.stop_fd = pidfd.get();
    RelayConsole(console_master_.get(), relay).IgnoreError();  // the process status is what matters
    console_master_.Reset();
  }
  // Forward the signals a terminal user sends to the process, as runc does in the foreground.
  sigset_t set, old;
  sigemptyset(&set);
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCHLD}) sigaddset(&set, s);
  ::sigprocmask(SIG_BLOCK, &set, &old);
  int wstatus = 0;
  for (;;) {
    pid_t r = ::waitpid(facts.pid, &wstatus, WNOHANG);
    if (r == facts.pid) break;
    if (r < 0 && errno != EINTR) {
      ::sigprocmask(SIG_SETMASK, &old, nullptr);
      return base::ErrnoError("wait for " + std::to_string(facts.pid));
    }
    siginfo_t info{};
    if (::sigwaitinfo(&set, &info) < 0) continue;
    if (info.si_signo != SIGCHLD) ::kill(facts.pid, info.si_signo);
  }
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
  return ShellStatus(wstatus);
}

}  // namespace ocirun::linux
