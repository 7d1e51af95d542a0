#include "harness/host.h"

#include <pthread.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "base/file.h"
#include "harness/cleanup_posix.h"

namespace harness::host {
namespace {

// A thread waits for SIGINT/SIGTERM (blocked everywhere else).
class SignalWatch final : public InterruptWatch {
 public:
  explicit SignalWatch(std::function<void()> force_cleanup) : force_cleanup_(std::move(force_cleanup)) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &old_);
    thread_ = std::thread([this, set] { Loop(set); });
  }
  ~SignalWatch() override {
    stop_ = true;
    thread_.join();
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  void Loop(sigset_t set) {
    int count = 0;
    while (!stop_) {
      struct timespec ts = {0, 100 * 1000 * 1000};
      if (sigtimedwait(&set, nullptr, &ts) < 0) continue;
      if (++count == 1) {
        Interrupted() = true;
        std::fprintf(stderr, "\nocicert: interrupted, cleaning up (again to force)\n");
      } else {
        force_cleanup_();
        std::_Exit(130);
      }
    }
  }
  std::function<void()> force_cleanup_;
  sigset_t old_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace

std::map<std::string, std::string> Info() {
  std::map<std::string, std::string> host;
  struct utsname u;
  ::uname(&u);
  host["hostname"] = u.nodename;
  host["kernel"] = std::string(u.sysname) + " " + u.release;
  host["arch"] = u.machine;
  host["cpus"] = std::to_string(std::thread::hardware_concurrency());
  std::ifstream os("/etc/os-release");
  std::string line;
  while (std::getline(os, line)) {
    if (line.rfind("PRETTY_NAME=", 0) == 0) {
      std::string v = line.substr(12);
      if (v.size() >= 2 && v.front() == '"') v = v.substr(1, v.size() - 2);
      host["os"] = v;
    }
  }
  return host;
}

std::string MachineKind() {
  struct utsname u {};
  ::uname(&u);
  std::string os = u.sysname;
  std::transform(os.begin(), os.end(), os.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return os + "-" + u.machine + "-" + std::to_string(std::thread::hardware_concurrency()) + "cpu";
}

bool WindowsContainers() { return false; }

int SelfPid() { return static_cast<int>(::getpid()); }

std::string SelfExecutable() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "" : self.string();
}

double ProcessCpuSeconds() {
  struct rusage ru {};
  ::getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

bool StderrIsTerminal() { return ::isatty(2) != 0; }

bool PidAlive(int pid) {
  if (pid <= 0 || (::kill(pid, 0) != 0 && errno != EPERM)) return false;
  // A zombie (exited, not yet reaped by whoever inherited it) is not running.
  std::string stat = base::ReadFile("/proc/" + std::to_string(pid) + "/stat").value_or("");
  size_t paren = stat.rfind(')');
  return paren == std::string::npos || paren + 2 >= stat.size() || stat[paren + 2] != 'Z';
}

std::string TempDir() { return "/tmp"; }

bool IsExecutable(const std::string& path) { return !path.empty() && ::access(path.c_str(), X_OK) == 0; }

std::string Absolute(const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  char cwd[4096];
  return ::getcwd(cwd, sizeof cwd) ? std::string(cwd) + "/" + path : path;
}

std::string NativePath(const std::string& path) { return path; }

std::string HypervProblem() {
  if (::access("/dev/kvm", R_OK | W_OK) != 0)
    return "hyperv isolation needs a usable /dev/kvm for the utility VM; it is not usable here";
  return "";
}

std::string ContainerMemoryProblem() { return ""; }

bool RemoveTree(const std::string& path) { return RemoveTreeOneMount(path, nullptr); }

std::vector<std::string> RemoveLeftovers(const std::vector<std::string>& ids, const std::string& scratch) {
  std::vector<std::string> leaks;
  std::vector<MountEntry> table = ReadMountTable();
  for (const std::string& id : ids) {
    for (const std::string& root : CgroupMountPoints(table)) {
      std::string found = RemoveCaseCgroup(root, id);
      if (!found.empty()) leaks.push_back(found);
    }
  }
  char real[PATH_MAX];
  if (scratch.empty() || !::realpath(scratch.c_str(), real)) return leaks;
  for (const std::string& m : MountsStrictlyUnder(table, real)) {
    bool gone = ::umount2(m.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) == 0;
    leaks.push_back("mount " + m + (gone ? "" : " (could not unmount it: it stays, and so does what is under it)"));
  }
  return leaks;
}

std::unique_ptr<InterruptWatch> WatchInterrupts(std::function<void()> force_cleanup) {
  return std::make_unique<SignalWatch>(std::move(force_cleanup));
}

}  // namespace harness::host
