// ocirun-agent: the init (pid 1) of ocirun's utility VM (docs/hyperv.md). Static C++, no libc
// services beyond the kernel's. It mounts the pseudo file systems, loads the virtio/9p/overlay modules
// the initramfs carries, opens the virtio-serial port named "agent" and serves the JSON-lines protocol
// of runtime/hyperv/protocol.h. Containers are made by the guest copy of ocirun itself (process
// isolation inside the VM): one copy of the namespace, mount, cgroup and process code, not two. As
// pid 1 the agent inherits the container's init when `ocirun create` exits, so it reaps it and reports
// its exit status.
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/hyperv/protocol.h"

namespace {

using ocirun::hyperv::LineBuffer;
using ocirun::hyperv::Message;
namespace proto = ocirun::hyperv;

constexpr char kOcirun[] = "/bin/ocirun";
constexpr char kStateRoot[] = "/run/ocirun";
constexpr char kBundles[] = "/run/bundles";
constexpr char kRootfs[] = "/mnt/root";

void Log(const std::string& msg) {
  int fd = ::open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;
  std::string line = "ocirun-agent: " + msg + "\n";
  (void)!::write(fd, line.data(), line.size());
  ::close(fd);
}

void WriteAll(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

bool WriteFile(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::trunc);
  f << text;
  return static_cast<bool>(f);
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void MountOrLog(const char* src, const char* dst, const char* type, unsigned long flags, const char* data) {
  ::mkdir(dst, 0755);
  if (::mount(src, dst, type, flags, data) != 0) Log(std::string("mount ") + dst + ": " + std::strerror(errno));
}

void MountPseudoFileSystems() {
  MountOrLog("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr);
  MountOrLog("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr);
  MountOrLog("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
  MountOrLog("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
  MountOrLog("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
  MountOrLog("cgroup2", "/sys/fs/cgroup", "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr);
  ::mkdir("/dev/pts", 0755);
  MountOrLog("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666");
}

// /lib/ocirun-modules/NN-name.ko, in NN order: insmod resolves no dependencies.
void LoadModules() {
  const std::string dir = "/lib/ocirun-modules";
  std::vector<std::string> names;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d))
      if (std::strstr(e->d_name, ".ko")) names.emplace_back(e->d_name);
    ::closedir(d);
  }
  std::sort(names.begin(), names.end());
  for (const std::string& n : names) {
    int fd = ::open((dir + "/" + n).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::syscall(SYS_finit_module, fd, "", 0) != 0) {
      if (errno != EEXIST) Log("load " + n + ": " + std::strerror(errno));
    }
    if (fd >= 0) ::close(fd);
  }
}

// The virtio-serial port whose name is "agent" (no udev: /sys/class/virtio-ports/vportNpM/name).
int OpenAgentPort() {
  for (int attempt = 0; attempt < 200; ++attempt) {
    if (DIR* d = ::opendir("/sys/class/virtio-ports")) {
      while (dirent* e = ::readdir(d)) {
        if (e->d_name[0] == '.') continue;
        std::string name = ReadFile(std::string("/sys/class/virtio-ports/") + e->d_name + "/name");
        if (name == "agent\n" || name == "agent") {
          int fd = ::open((std::string("/dev/") + e->d_name).c_str(), O_RDWR | O_CLOEXEC);
          ::closedir(d);
          return fd;
        }
      }
      ::closedir(d);
    }
    ::usleep(10000);
  }
  return -1;
}

// The shell status of a wait() status: the exit code, or 128 + the signal.
int ShellStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

struct Child {
  pid_t pid = -1;
  int out = -1;  // read ends of the child's stdout and stderr
  int err = -1;
};

// Starts `argv` with stdin /dev/null and stdout/stderr on fresh pipes (or on /dev/null: `quiet`).
Child Spawn(const std::vector<std::string>& argv, bool pipes) {
  int o[2] = {-1, -1}, e[2] = {-1, -1};
  if (pipes && (::pipe2(o, O_CLOEXEC) != 0 || ::pipe2(e, O_CLOEXEC) != 0)) return {};
  Child c;
  c.pid = ::fork();
  if (c.pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(pipes ? o[1] : null, 1);
    ::dup2(pipes ? e[1] : null, 2);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  if (pipes) {
    ::close(o[1]);
    ::close(e[1]);
    c.out = o[0];
    c.err = e[0];
  }
  return c;
}

// The last error ocirun wrote to its --log (json records), or a fallback.
std::string LastLoggedError(const std::string& log, const std::string& fallback) {
  std::istringstream in(ReadFile(log));
  std::string line, msg;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.value("level", "") == "error") msg = j.value("msg", "");
  }
  return msg.empty() ? fallback : msg;
}

class Agent {
 public:
  explicit Agent(int port) : port_(port) {}
  void Run();

 private:
  void Handle(const Message& m);
  void Send(const std::string& line) { WriteAll(port_, line); }
  // Runs the guest ocirun to completion (its output to a log); "" on success, else the error.
  std::string Ocirun(const std::string& id, std::vector<std::string> args);
  void Create(const Message& m);
  void Exec(const Message& m);
  void MountRootfs();
  void Reap();
  void Relay(int& fd, int stream, int64_t exec_id);

  int port_;
  LineBuffer in_;
  bool rootfs_mounted_ = false;
  std::string container_;
  pid_t init_pid_ = -1;
  int init_out_ = -1, init_err_ = -1;
  struct PendingExec {
    int64_t id;
    int out, err;
  };
  std::map<pid_t, PendingExec> execs_;
};

void Agent::MountRootfs() {
  if (rootfs_mounted_) return;
  MountOrLog("rootfs", "/mnt/lower", "9p", MS_RDONLY,
             "trans=virtio,version=9p2000.L,msize=512000,cache=none");
  MountOrLog("tmpfs", "/mnt/rw", "tmpfs", 0, "mode=0755");
  ::mkdir("/mnt/rw/upper", 0755);
  ::mkdir("/mnt/rw/work", 0755);
  MountOrLog("overlay", kRootfs, "overlay", 0,
             "lowerdir=/mnt/lower,upperdir=/mnt/rw/upper,workdir=/mnt/rw/work");
  rootfs_mounted_ = true;
}

std::string Agent::Ocirun(const std::string& id, std::vector<std::string> args) {
  std::string log = std::string(kBundles) + "/" + id + ".log";
  std::vector<std::string> argv{kOcirun, "--root", kStateRoot, "--isolation", "process",
                                "--log", log, "--log-format", "json"};
  argv.insert(argv.end(), args.begin(), args.end());
  Child c = Spawn(argv, false);
  if (c.pid < 0) return "fork: " + std::string(std::strerror(errno));
  int status = 0;
  while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (status == 0) return "";
  return LastLoggedError(log, "ocirun " + args[0] + " exited with " + std::to_string(ShellStatus(status)));
}

void Agent::Create(const Message& m) {
  container_ = m.body.value("container", "");
  if (container_.empty() || container_.find('/') != std::string::npos || container_[0] == '.') {
    Send(proto::ReplyError(m.id(), "create: bad container id"));
    return;
  }
  MountRootfs();
  nlohmann::json config = m.body.value("config", nlohmann::json::object());
  config["root"] = {{"path", kRootfs}, {"readonly", config["root"].value("readonly", false)}};
  std::string bundle = std::string(kBundles) + "/" + container_;
  ::mkdir(kBundles, 0700);
  ::mkdir(bundle.c_str(), 0700);
  WriteFile(bundle + "/config.json", config.dump());
  // The init inherits create's stdout/stderr: pipes the agent relays as output events.
  std::string log = bundle + ".log", pid_file = bundle + "/pid";
  Child c = Spawn({kOcirun, "--root", kStateRoot, "--isolation", "process", "--log", log, "--log-format",
                   "json", "create", "--no-pivot", "--bundle", bundle, "--pid-file", pid_file, container_},
                  true);
  int status = 0;
  while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (status != 0) {
    // What ocirun printed (its stderr is the pipe: no container holds it now that create failed).
    std::string said;
    char buf[4096];
    ssize_t n;
    ::fcntl(c.err, F_SETFL, O_NONBLOCK);
    while ((n = ::read(c.err, buf, sizeof buf)) > 0) said.append(buf, static_cast<size_t>(n));
    ::close(c.out);
    ::close(c.err);
    Send(proto::ReplyError(m.id(), LastLoggedError(log, "ocirun create exited with " +
                                                            std::to_string(ShellStatus(status)) + ": " + said)));
    return;
  }
  init_pid_ = std::atoi(ReadFile(pid_file).c_str());
  init_out_ = c.out;
  init_err_ = c.err;
  Send(proto::ReplyOk(m.id(), {{"pid", init_pid_}}));
}

void Agent::Exec(const Message& m) {
  std::string path = std::string(kBundles) + "/exec-" + std::to_string(m.id()) + ".json";
  WriteFile(path, m.body.value("process", nlohmann::json::object()).dump());
  bool detach = m.body.value("detach", false);
  std::vector<std::string> argv{kOcirun, "--root", kStateRoot, "--isolation", "process", "exec",
                                "--process", path};
  if (detach) argv.push_back("--detach");
  argv.push_back(container_);
  Child c = Spawn(argv, true);
  if (c.pid < 0) {
    Send(proto::ReplyError(m.id(), "exec: fork failed"));
    return;
  }
  execs_[c.pid] = {m.id(), c.out, c.err};
}

void Agent::Handle(const Message& m) {
  const std::string op = m.op();
  if (op == "create") return Create(m);
  if (op == "exec") return Exec(m);
  if (op == "start" || op == "kill") {
    std::vector<std::string> args{op};
    if (op == "kill" && m.body.value("all", false)) args.push_back("--all");
    args.push_back(container_);
    if (op == "kill") args.push_back(std::to_string(m.body.value("signal", 15)));
    std::string err = Ocirun(container_, args);
    Send(err.empty() ? proto::ReplyOk(m.id()) : proto::ReplyError(m.id(), err));
    return;
  }
  if (op == "ping") return Send(proto::ReplyOk(m.id()));
  if (op == "shutdown") {
    Send(proto::ReplyOk(m.id()));
    ::sync();
    ::reboot(RB_POWER_OFF);
    return;
  }
  Send(proto::ReplyError(m.id(), "unknown op \"" + op + "\""));
}

// Forwards what is readable on `fd` as output events; closes it at EOF.
void Agent::Relay(int& fd, int stream, int64_t exec_id) {
  if (fd < 0) return;
  char buf[16384];
  ssize_t n = ::read(fd, buf, sizeof buf);
  if (n > 0) {
    Send(proto::OutputEvent(stream, std::string_view(buf, static_cast<size_t>(n)), exec_id));
    return;
  }
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  ::close(fd);
  fd = -1;
}

void Agent::Reap() {
  int status = 0;
  pid_t pid;
  while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
    if (pid == init_pid_) {
      // Output written just before the exit is relayed before the exit event.
      for (int i = 0; i < 64 && (init_out_ >= 0 || init_err_ >= 0); ++i) {
        pollfd p[2] = {{init_out_, POLLIN, 0}, {init_err_, POLLIN, 0}};
        if (::poll(p, 2, 0) <= 0) break;
        if (p[0].revents) Relay(init_out_, 1, -1);
        if (p[1].revents) Relay(init_err_, 2, -1);
      }
      Send(proto::Encode({{"event", "exit"}, {"status", ShellStatus(status)}}));
      init_pid_ = -1;
      continue;
    }
    auto it = execs_.find(pid);
    if (it == execs_.end()) continue;  // an orphan of the container's tree
    PendingExec e = it->second;
    execs_.erase(it);
    for (int i = 0; i < 64 && (e.out >= 0 || e.err >= 0); ++i) {
      pollfd p[2] = {{e.out, POLLIN, 0}, {e.err, POLLIN, 0}};
      if (::poll(p, 2, 50) <= 0) break;
      if (p[0].revents) Relay(e.out, 1, e.id);
      if (p[1].revents) Relay(e.err, 2, e.id);
    }
    if (e.out >= 0) ::close(e.out);
    if (e.err >= 0) ::close(e.err);
    Send(proto::ReplyOk(e.id, {{"status", ShellStatus(status)}}));
  }
}

void Agent::Run() {
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  ::sigprocmask(SIG_BLOCK, &chld, nullptr);
  int sfd = ::signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
  Send(proto::Encode({{"event", "ready"}, {"uptime", std::atof(ReadFile("/proc/uptime").c_str())}}));
  for (;;) {
    std::vector<pollfd> fds{{port_, POLLIN, 0}, {sfd, POLLIN, 0}, {init_out_, POLLIN, 0}, {init_err_, POLLIN, 0}};
    for (auto& [pid, e] : execs_) {
      fds.push_back({e.out, POLLIN, 0});
      fds.push_back({e.err, POLLIN, 0});
    }
    if (::poll(fds.data(), fds.size(), -1) < 0) continue;
    if (fds[2].revents) Relay(init_out_, 1, -1);
    if (fds[3].revents) Relay(init_err_, 2, -1);
    size_t k = 4;
    for (auto& [pid, e] : execs_) {
      if (fds[k++].revents) Relay(e.out, 1, e.id);
      if (fds[k++].revents) Relay(e.err, 2, e.id);
    }
    if (fds[1].revents) {
      signalfd_siginfo si;
      while (::read(sfd, &si, sizeof si) == sizeof si) {
      }
      Reap();
    }
    if (fds[0].revents & POLLIN) {
      char buf[65536];
      ssize_t n = ::read(port_, buf, sizeof buf);
      if (n > 0) in_.Feed(std::string_view(buf, static_cast<size_t>(n)));
      while (auto line = in_.Next()) {
        std::string error;
        auto m = proto::ParseLine(*line, &error);
        if (!m) {
          Send(proto::ReplyError(-1, error));
          continue;
        }
        Handle(*m);
      }
    } else if (fds[0].revents & (POLLHUP | POLLERR)) {
      ::usleep(10000);  // the host side is not connected (yet): virtio-serial reports HUP
    }
  }
}

}  // namespace

int main() {
  if (::getpid() != 1) {
    std::fprintf(stderr, "ocirun-agent: runs only as the init of ocirun's utility VM\n");
    return 2;
  }
  MountPseudoFileSystems();
  LoadModules();
  int port = OpenAgentPort();
  if (port < 0) {
    Log("no virtio-serial port named agent");
    ::reboot(RB_POWER_OFF);
  }
  Agent(port).Run();
}
