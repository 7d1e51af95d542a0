// What the harness needs from the host it runs on: host facts for the reports, process liveness,
// the run's temporary folder, paths, cleanup of what a runtime leaked, and interrupt handling.
// host_posix.cc (Linux: cgroups, mounts, signals) and host_win32.cc (Windows Server: a console
// control handler), chosen by CMake, implement it; the rest of the harness is portable.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace harness::host {

// hostname, kernel, os, arch, cpus.
std::map<std::string, std::string> Info();
// The machine kind used to name bench baselines: "<os>-<arch>-<N>cpu", e.g. "linux-x86_64-2cpu".
std::string MachineKind();
// True on Windows: containers are Windows containers, made from an image's layer folders.
bool WindowsContainers();
// Our process id.
int SelfPid();
// The absolute path of this program, or "" when unknown.
std::string SelfExecutable();
// CPU time this process has used so far, in seconds.
double ProcessCpuSeconds();
// Whether a host process is alive (a zombie is not).
bool PidAlive(int pid);
// Whether our stderr is a terminal (progress on one refreshed line).
bool StderrIsTerminal();
// The folder runs are made in: /tmp, or %TEMP% on Windows.
std::string TempDir();
// Whether `path` is an executable file (POSIX: X_OK; Windows: an existing file).
bool IsExecutable(const std::string& path);
// `path` made absolute against our working directory.
std::string Absolute(const std::string& path);
// `path` with the host's separator ('/' becomes a backslash on Windows): what runtimes and containers are
// given (bundle folders, layer folders, mount sources).
std::string NativePath(const std::string& path);

// Why hyperv isolation cannot be measured on this host for a runtime whose `features` offers it.
std::string HypervProblem();
// Why the per-container memory counters are not measured on this host; "" when they are.
std::string ContainerMemoryProblem();

// Removes a folder tree the harness made; true when it is gone. Never loops on a file another process
// holds open (on Windows it stays "delete pending" and listed until closed): what cannot go stays, and
// false. POSIX: like `rm -rf --one-file-system` (openat/unlinkat), it never follows a symlink and never
// enters another mount, so a runtime that leaves a bind mount of a host folder in a case folder cannot
// make it delete host files.
bool RemoveTree(const std::string& path);

// What runtimes leave behind when they fail to clean up, removed after every case (Linux): the cgroup
// named `<id>` directly under each cgroup mount of the mount table (v1 controllers, the unified mount,
// or a pure v2 root), for the given ids only (the caller passes ids the run generated; one path
// component each), and mounts strictly under the case's scratch folder. Processes are signalled only
// when that cgroup lists them, never pid 1, ourselves or an ancestor; cgroups are removed with rmdir
// only. Returns what it found ("cgroup /sys/fs/cgroup/pids/<id>", "mount <path>"), with why it stayed.
std::vector<std::string> RemoveLeftovers(const std::vector<std::string>& ids, const std::string& scratch);

// Set by the interrupt handler (SIGINT/SIGTERM, Ctrl+C): no new runtime invocation starts once set.
std::atomic<bool>& Interrupted();

// While alive, the first interrupt (SIGINT / SIGTERM, or Ctrl+C / Ctrl+Break / close on Windows)
// sets Interrupted() and prints a note; the second runs `force_cleanup` and exits 130.
class InterruptWatch {
 public:
  virtual ~InterruptWatch() = default;
};
std::unique_ptr<InterruptWatch> WatchInterrupts(std::function<void()> force_cleanup);

}  // namespace harness::host
