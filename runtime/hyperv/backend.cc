#include "runtime/hyperv/backend.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "base/file.h"
#include "runtime/hyperv/client.h"
#include "runtime/hyperv/guest_config.h"
#include "runtime/hyperv/owner.h"
#include "runtime/hyperv/vm_config.h"
#include "runtime/platform.h"

namespace ocirun::hyperv {
namespace {

using std::chrono::milliseconds;

std::string StateDir(const StateFacts& f) { return f.backend.value("state_dir", std::string()); }

bool OwnerAlive(const StateFacts& f) { return platform::ProcessAlive(f.pid, f.pid_start_time); }

bool QemuAlive(const StateFacts& f) {
  return platform::ProcessAlive(f.backend.value("qemu_pid", 0), f.backend.value("qemu_start_time", uint64_t{0}));
}

milliseconds BootTimeout() {
  const char* v = std::getenv("OCIRUN_HYPERV_BOOT_TIMEOUT_MS");
  long ms = v ? std::atol(v) : 0;
  return milliseconds(ms > 0 ? ms : 60000);
}

base::Status Unsupported(const std::string& what) {
  return base::Unimplemented(what + ": not supported with hyperv isolation yet");
}

// Waits (bounded) for `pid` to be gone, reaping it when it is our child (a foreground run's owner).
bool WaitGone(int pid, uint64_t start_time, milliseconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (platform::ProcessAlive(pid, start_time)) {
    ::waitpid(pid, nullptr, WNOHANG);
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(milliseconds(5));
  }
  ::waitpid(pid, nullptr, WNOHANG);
  return true;
}

base::Result<OwnerSpec> MakeOwnerSpec(const CreateRequest& req, const StateFacts& facts) {
  if (!req.console_socket.empty()) return Unsupported("--console-socket");
  if (req.preserve_fds > 0) return Unsupported("--preserve-fds");
  ASSIGN_OR_RETURN(nlohmann::json guest, GuestConfig(req.config));
  ASSIGN_OR_RETURN(VmPaths paths, LocateVm());
  ASSIGN_OR_RETURN(std::string initrd, PrepareInitrd(paths));
  OwnerSpec spec;
  spec.vm.qemu = paths.qemu;
  spec.vm.kernel = paths.kernel;
  spec.vm.initrd = initrd;
  spec.vm.rootfs = facts.rootfs;
  spec.vm.tsc_khz = HostTscKhz();
  spec.state_dir = req.state_dir;
  spec.id = req.id;
  spec.guest_config = std::move(guest);
  spec.boot_timeout = BootTimeout();
  return spec;
}

}  // namespace

base::Status HypervSupported() { return LocateVm().status(); }

base::Status HypervBackend::Create(const CreateRequest& req, StateFacts& facts) {
  ASSIGN_OR_RETURN(OwnerSpec spec, MakeOwnerSpec(req, facts));
  ASSIGN_OR_RETURN_CTX(OwnerStarted vm, StartOwner(spec), "hyperv: start utility VM");
  facts.pid = vm.owner_pid;
  facts.backend = {{"isolation", "hyperv"}, {"state_dir", req.state_dir},  {"qemu_pid", vm.qemu_pid},
                   {"guest_pid", vm.guest_pid},   {"accel", spec.vm.kvm ? "kvm" : "tcg"},
                   {"boot_seconds", vm.boot_seconds}, {"guest_uptime", vm.guest_uptime}};
  auto owner_start = platform::ProcessStartTime(vm.owner_pid);
  auto qemu_start = platform::ProcessStartTime(vm.qemu_pid);
  if (owner_start.ok()) facts.pid_start_time = *owner_start;
  if (qemu_start.ok()) facts.backend["qemu_start_time"] = *qemu_start;
  if (!owner_start.ok() || !qemu_start.ok()) {
    Destroy(facts).IgnoreError();
    return base::Internal("hyperv: the utility VM exited right after create");
  }
  // The intent (crash-consistent create): a create killed from here on leaves what delete --force
  // needs. Killed earlier, the owner finds no reader for its report and takes QEMU down itself.
  if (req.record) {
    base::Status st = req.record(facts);
    if (!st.ok()) {
      Destroy(facts).IgnoreError();
      return st;
    }
  }
  return base::Status::Ok();
}

base::Status HypervBackend::Start(const StateFacts& facts) {
  if (!OwnerAlive(facts)) return base::FailedPrecondition("container not running");
  return CallOwner(StateDir(facts), "start", {}, milliseconds(60000)).status();
}

base::Status HypervBackend::Kill(const StateFacts& facts, int signal, bool all) {
  if (!OwnerAlive(facts)) return base::FailedPrecondition("container not running");
  return CallOwner(StateDir(facts), "kill", {{"signal", signal}, {"all", all}}, milliseconds(30000)).status();
}

base::Status HypervBackend::Destroy(const StateFacts& facts) {
  if (OwnerAlive(facts)) {
    // The agent powers the VM off; QEMU exits, then the owner.
    CallOwner(StateDir(facts), "shutdown", {}, milliseconds(10000)).status().IgnoreError();
    if (!WaitGone(facts.pid, facts.pid_start_time, milliseconds(10000))) ::kill(facts.pid, SIGKILL);
    WaitGone(facts.pid, facts.pid_start_time, milliseconds(5000));
  }
  if (QemuAlive(facts)) ::kill(facts.backend.value("qemu_pid", 0), SIGKILL);
  if (!WaitGone(facts.backend.value("qemu_pid", 0), facts.backend.value("qemu_start_time", uint64_t{0}),
                milliseconds(5000)))
    return base::Internal("qemu " + std::to_string(facts.backend.value("qemu_pid", 0)) + " did not die");
  if (!StateDir(facts).empty()) ::unlink((StateDir(facts) + "/" + kOwnerSocket).c_str());
  return base::Status::Ok();
}

BackendObservation HypervBackend::Observe(const StateFacts& facts) {
  BackendObservation o;
  if (!OwnerAlive(facts)) return o;
  auto state = CallOwner(StateDir(facts), "state", {}, milliseconds(5000));
  if (!state.ok()) return o;
  const std::string status = state->value("status", "");
  o.init_alive = status == "created" || status == "running";
  o.gate_present = status == "created";
  return o;
}

base::Result<int> HypervBackend::WaitInit(const StateFacts& facts) {
  ASSIGN_OR_RETURN(nlohmann::json r, CallOwner(StateDir(facts), "wait"));
  return r.value("status", 255);
}

base::Result<int> HypervBackend::Exec(const StateFacts& facts, const ExecRequest& req) {
  if (!req.console_socket.empty() || req.process.value("terminal", false)) return Unsupported("exec with a terminal");
  if (req.preserve_fds > 0) return Unsupported("--preserve-fds");
  auto relay = [](int stream, const std::string& data) {
    int fd = stream == 2 ? 2 : 1;
    (void)!::write(fd, data.data(), data.size());
  };
  ASSIGN_OR_RETURN(nlohmann::json r, CallOwner(StateDir(facts), "exec",
                                               {{"process", req.process}, {"detach", req.detach}},
                                               milliseconds(0), relay));
  // The process lives in the guest: the host pid that stands for it is the VM owner's (as runhcs
  // reports its shim for a hosted container).
  if (!req.pid_file.empty())
    RETURN_IF_ERROR_CTX(base::WriteFileAtomic(req.pid_file, std::to_string(facts.pid), 0644), "write pid file");
  return req.detach ? 0 : r.value("status", 255);
}

nlohmann::json HypervBackend::Features() { return nlohmann::json::object(); }

int HypervBackend::RunInit() { return 1; }

base::Status HypervBackend::Freeze(const StateFacts&) { return Unsupported("pause"); }
base::Status HypervBackend::Thaw(const StateFacts&) { return Unsupported("resume"); }
base::Result<std::vector<int>> HypervBackend::Pids(const StateFacts&) { return Unsupported("ps"); }
base::Status HypervBackend::Update(const StateFacts&, const nlohmann::json&) { return Unsupported("update"); }

}  // namespace ocirun::hyperv
