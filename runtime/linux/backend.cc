#include "runtime/linux/backend.h"
#include "runtime/linux/backend_facts.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <thread>

#include "base/file.h"
#include "base/unique_fd.h"
#include "runtime/linux/cgroup.h"
#include "runtime/linux/cgroup_spec.h"
#include "runtime/linux/features.h"
#include "runtime/linux/hooks.h"
#include "runtime/linux/init.h"
#include "runtime/linux/rootfs.h"
#include "runtime/linux/start_report.h"
#include "runtime/platform.h"
#include "specs/parse.h"

namespace ocirun {

std::unique_ptr<Backend> MakeBackend() { return std::make_unique<linux::LinuxBackend>(); }

}  // namespace ocirun

namespace ocirun::linux {
namespace {

base::Result<std::unique_ptr<CgroupManager>> LoadCgroup(const StateFacts& facts) {
  if (facts.cgroup_path.empty()) return base::NotFound("no cgroup");
  ASSIGN_OR_RETURN(CgroupPaths paths, CgroupPaths::Parse(facts.cgroup_path));
  return LoadCgroupManager(paths);
}

bool InitAlive(const StateFacts& f) { return platform::ProcessAlive(f.pid, f.pid_start_time); }

base::Result<std::string> StateDir(const StateFacts& f) {
  ASSIGN_OR_RETURN(LinuxFacts facts, LinuxFactsFromJson(f.backend));
  if (facts.state_dir.empty()) return base::Internal("corrupt state: backend.state_dir is missing");
  return facts.state_dir;
}

base::Result<ocispec::Spec> StoredSpec(const StateFacts& f) {
  ASSIGN_OR_RETURN(nlohmann::json config, StoredConfigJson(f));
  return ocispec::ConfigFromJson(config);
}

// The state JSON hooks receive on stdin (runtime.md "State").
std::string HookStateJson(const StateFacts& f, const char* status, int pid) {
  nlohmann::json s{{"ociVersion", f.oci_version}, {"id", f.id}, {"status", status},
                   {"pid", pid}, {"bundle", f.bundle}};
  base::Result<std::map<std::string, std::string>> annotations = f.annotations;
  if (f.annotations.empty()) {
    auto dir = StateDir(f);
    if (dir.ok()) annotations = ReadAnnotations(*dir);
  }
  if (annotations.ok() && !annotations->empty()) s["annotations"] = *annotations;
  return s.dump();
}

// Waits (bounded) until the init is gone; reaps it when it is our child (foreground run).
void WaitGone(const StateFacts& f) {
  if (f.pid <= 0) return;  // the intent of a create killed before its init existed
  for (int i = 0; i < 1000 && InitAlive(f); ++i) {
    ::waitpid(f.pid, nullptr, WNOHANG);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::waitpid(f.pid, nullptr, WNOHANG);
}

// Lets the init past the create->start gate. The init waits in poll() on the read end; a writer
// that finds no reader (ENXIO) means it died.
base::Status OpenGate(const StateFacts& facts) {
  base::UniqueFd gate(::open(facts.exec_gate.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC));
  if (!gate) {
    if (errno == ENXIO || errno == ENOENT) return base::FailedPrecondition("container not running");
    return base::ErrnoError("open exec fifo");
  }
  if (::write(gate.get(), "0", 1) != 1) return base::ErrnoError("write exec fifo");
  gate.Reset();
  ::unlink(facts.exec_gate.c_str());
  return base::Status::Ok();
}

// Whether the bundle's ociVersion is 1.3 or later (or unreadable: the newest rule applies).
bool SpecAtLeast13(const std::string& oci_version) {
  unsigned major = 0, minor = 0;
  if (std::sscanf(oci_version.c_str(), "%u.%u", &major, &minor) != 2) return true;
  return major > 1 || (major == 1 && minor >= 3);
}

// runtime.md lifecycle step 9: poststart hooks run in the runtime namespace once the program runs.
// A failing one stops the container from runtime-spec 1.3 on; before 1.3 the runtime MUST only log a
// warning, and the remaining hooks and the lifecycle continue as if it had succeeded.
base::Status RunPoststartHooks(const StateFacts& facts) {
  auto spec = StoredSpec(facts);
  if (!spec.ok() || !spec->hooks || spec->hooks->poststart.empty()) return base::Status::Ok();
  bool stop = SpecAtLeast13(spec->oci_version);
  base::Status st = RunHooks(HookKind::kPoststart, spec->hooks->poststart, HookStateJson(facts, "running", facts.pid),
                             stop ? OnHookFailure::kStop : OnHookFailure::kContinue);
  if (st.ok() || stop) return st;
  std::fprintf(stderr, "warning: %s\n", st.message().c_str());
  return base::Status::Ok();
}

}  // namespace

base::Result<nlohmann::json> StoredConfigJson(const StateFacts& facts) {
  // A killed create's intent has no state folder yet: its poststop hooks never run.
  ASSIGN_OR_RETURN(LinuxFacts stored, LinuxFactsFromJson(facts.backend));
  if (stored.state_dir.empty()) return base::NotFound("no stored config");
  ASSIGN_OR_RETURN(std::string text, base::ReadFile(stored.state_dir + "/config.json"));
  return ocispec::ParseJsonText(text);
}

base::Status LinuxBackend::Start(const StateFacts& facts) {
  // Opened before the gate so that the init's report has a reader (start_report.h); absent for a
  // container made by an ocirun without the report.
  ASSIGN_OR_RETURN(std::string dir, StateDir(facts));
  const std::string fifo = dir + "/" + kStartFifoName;
  auto report = OpenStartReportReader(fifo);
  if (!report.ok() && report.status().code() != base::Code::kNotFound) return report.status();
  RETURN_IF_ERROR(OpenGate(facts));
  base::Status st = base::Status::Ok();
  if (report.ok()) {
    // runtime.md lifecycle step 7: a failing startContainer hook MUST make start fail.
    st = AwaitStartReport(report->get(), [&facts] { return InitAlive(facts); });
    ::unlink(fifo.c_str());
  }
  if (st.ok()) st = RunPoststartHooks(facts);
  // runtime.md: a failing startContainer or poststart hook stops the container (start returns once
  // it is stopped); delete then destroys it.
  if (!st.ok()) {
    Kill(facts, SIGKILL, true).IgnoreError();
    WaitGone(facts);
  }
  return st;
}

base::Status LinuxBackend::Kill(const StateFacts& facts, int signal, bool all) {
  if (all) {
    auto cg = LoadCgroup(facts);
    if (cg.ok() && (*cg)->Exists()) return (*cg)->KillAll(signal);
  }
  if (!InitAlive(facts)) return base::FailedPrecondition("container not running");
  if (::kill(facts.pid, signal) != 0) {
    if (errno == ESRCH) return base::FailedPrecondition("container not running");
    return base::ErrnoError("kill " + std::to_string(facts.pid));
  }
  return base::Status::Ok();
}

namespace {

// A container without a mount namespace made its config's mounts in ours, under its rootfs: they
// outlive the init and go with the container. (States without the namespaces list predate shared
// mount namespaces: their containers always had one.)
base::Status UnmountSharedNamespaceMounts(const StateFacts& facts) {
  if (!facts.backend.is_object() || !facts.backend.contains("namespaces")) return base::Status::Ok();
  ASSIGN_OR_RETURN(LinuxFacts stored, LinuxFactsFromJson(facts.backend));
  const auto& ns = stored.namespaces;
  if (std::find(ns.begin(), ns.end(), "mount") != ns.end() || facts.rootfs.empty() || facts.rootfs[0] != '/')
    return base::Status::Ok();
  return UnmountUnder(facts.rootfs).Wrap("unmount the container's mounts under " + facts.rootfs);
}

}  // namespace

base::Status LinuxBackend::Destroy(const StateFacts& facts) {
  auto cg = LoadCgroup(facts);
  if (cg.ok() && (*cg)->Exists()) {
    (*cg)->Thaw().IgnoreError();
    (*cg)->KillAll(SIGKILL).IgnoreError();
  }
  if (InitAlive(facts)) ::kill(facts.pid, SIGKILL);
  WaitGone(facts);
  if (InitAlive(facts)) return base::Internal("init " + std::to_string(facts.pid) + " did not die");
  if (cg.ok()) RETURN_IF_ERROR_CTX((*cg)->Destroy(), "remove cgroup");
  RETURN_IF_ERROR(UnmountSharedNamespaceMounts(facts));
  if (!facts.exec_gate.empty()) ::unlink(facts.exec_gate.c_str());
  auto spec = StoredSpec(facts);
  if (spec.ok() && spec->hooks && !spec->hooks->poststop.empty()) {
    // runtime.md: a poststop failure is only a warning.
    base::Status st = RunHooks(HookKind::kPoststop, spec->hooks->poststop,
                               HookStateJson(facts, "stopped", 0), OnHookFailure::kContinue);
    if (!st.ok()) std::fprintf(stderr, "warning: %s\n", st.message().c_str());
  }
  return base::Status::Ok();
}

BackendObservation LinuxBackend::Observe(const StateFacts& facts) {
  BackendObservation o;
  o.init_alive = InitAlive(facts);
  o.gate_present = !facts.exec_gate.empty() && platform::PathExists(facts.exec_gate);
  auto cg = LoadCgroup(facts);
  if (o.init_alive) {
    if (cg.ok()) o.frozen = (*cg)->IsFrozen().value_or(false);
  } else if (cg.ok() && (*cg)->Exists()) {
    auto pids = (*cg)->Pids();
    o.cgroup_populated = pids.ok() && !pids->empty();
  }
  return o;
}

nlohmann::json LinuxBackend::Features() { return FeaturesJson(); }

int LinuxBackend::RunInit() { return linux::RunInit(); }

base::Status LinuxBackend::Freeze(const StateFacts& facts) {
  ASSIGN_OR_RETURN(auto cg, LoadCgroup(facts));
  return cg->Freeze();
}

base::Status LinuxBackend::Thaw(const StateFacts& facts) {
  ASSIGN_OR_RETURN(auto cg, LoadCgroup(facts));
  return cg->Thaw();
}

base::Result<std::vector<int>> LinuxBackend::Pids(const StateFacts& facts) {
  ASSIGN_OR_RETURN(auto cg, LoadCgroup(facts));
  ASSIGN_OR_RETURN(std::vector<pid_t> pids, cg->Pids());
  return std::vector<int>(pids.begin(), pids.end());
}

base::Status LinuxBackend::Update(const StateFacts& facts, const nlohmann::json& resources) {
  ASSIGN_OR_RETURN(ocispec::LinuxResources spec, ocispec::ParseLinuxResources(resources.dump()));
  ASSIGN_OR_RETURN(CgroupResources res, ResourcesFromSpec(spec, DeviceRules::kLeave));
  ASSIGN_OR_RETURN(auto cg, LoadCgroup(facts));
  return cg->Apply(res);
}

}  // namespace ocirun::linux
