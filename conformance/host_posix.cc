#include "conformance/host.h"

#include <pthread.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "base/file.h"
#include "conformance/cgroups.h"
#include "conformance/driver.h"

namespace conform::host {
namespace {

// Every mounted cgroup hierarchy: v1 controllers, the v2 mount (pure v2 or hybrid).
std::vector<std::string> CgroupRoots() {
  std::vector<std::string> roots;
  for (const cgroups::Hierarchy& h : cgroups::HostLayout().hierarchies) roots.push_back(h.mount_point);
  return roots;
}

// Removes a cgroup folder bottom-up, killing whatever is still in it. True when something was there.
bool RemoveCgroup(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return false;
  std::vector<std::string> dirs;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->is_directory(ec)) dirs.push_back(it->path().string());
  }
  dirs.insert(dirs.begin(), dir);
  for (auto d = dirs.rbegin(); d != dirs.rend(); ++d) {
    for (int attempt = 0; attempt < 50; ++attempt) {
      std::ifstream procs(*d + "/cgroup.procs");
      int pid;
      while (procs >> pid) ::kill(pid, SIGKILL);
      std::ofstream(*d + "/freezer.state") << "THAWED";
      if (::rmdir(d->c_str()) == 0 || errno == ENOENT) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  return true;
}

std::vector<std::string> MountsUnder(const std::string& prefix) {
  std::vector<std::string> out;
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string a, b, c, root, mp;
    f >> a >> b >> c >> root >> mp;
    if (mp.rfind(prefix, 0) == 0) out.push_back(mp);
  }
  return out;
}

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
        std::fprintf(stderr, "\nocicert conform: interrupted, cleaning up (again to force)\n");
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

int SelfPid() { return static_cast<int>(::getpid()); }

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

bool RemoveTree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  return !std::filesystem::exists(path, ec);
}

std::vector<std::string> RemoveLeftovers(const std::vector<std::string>& ids, const std::string& scratch) {
  std::vector<std::string> leaks;
  for (const std::string& id : ids) {
    for (const std::string& root : CgroupRoots()) {
      if (RemoveCgroup(root + "/" + id)) leaks.push_back("cgroup " + root + "/" + id);
    }
  }
  auto mounts = MountsUnder(scratch + "/");
  for (auto m = mounts.rbegin(); m != mounts.rend(); ++m) {
    ::umount2(m->c_str(), MNT_DETACH);
    leaks.push_back("mount " + *m);
  }
  return leaks;
}

std::unique_ptr<InterruptWatch> WatchInterrupts(std::function<void()> force_cleanup) {
  return std::make_unique<SignalWatch>(std::move(force_cleanup));
}

}  // namespace conform::host
