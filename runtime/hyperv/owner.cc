#include "runtime/hyperv/owner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <vector>

#include "base/file.h"
#include "base/unique_fd.h"
#include "runtime/hyperv/protocol.h"

namespace ocirun::hyperv {
namespace {

using Clock = std::chrono::steady_clock;

bool WriteAll(int fd, std::string_view s) {
  while (!s.empty()) {
    ssize_t n = ::write(fd, s.data(), s.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    s.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// The last lines of QEMU's log, for an error message.
std::string VmLogTail(const std::string& state_dir) {
  auto text = base::ReadFile(state_dir + "/" + kVmLog);
  if (!text.ok() || text->empty()) return "no output";
  std::string t = *text;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
  if (t.size() > 600) t = "..." + t.substr(t.size() - 600);
  return t;
}

// Starts QEMU with `agent` as fd 3, stdout/stderr to vm.log; it dies with this process.
base::Result<int> SpawnQemu(const OwnerSpec& spec, int agent) {
  VmSpec vm = spec.vm;
  vm.agent_fd = 3;
  std::vector<std::string> argv = QemuArgs(vm);
  const std::string log = spec.state_dir + "/" + kVmLog;
  pid_t pid = ::fork();
  if (pid < 0) return base::ErrnoError("fork qemu");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    int null = ::open("/dev/null", O_RDONLY);
    int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
    if (null < 0 || out < 0) ::_exit(126);
    ::dup2(null, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    ::dup2(agent, 3);
    ::fcntl(3, F_SETFD, 0);
    ::close_range(4, ~0U, 0);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return static_cast<int>(pid);
}

class Owner {
 public:
  Owner(const OwnerSpec& spec, int report) : spec_(spec), report_(report) {}
  // Boots, creates, reports to the parent, then serves until QEMU exits. Returns the exit code.
  int Main();

 private:
  base::Status Boot();
  base::Result<Message> ReadAgent(Clock::time_point deadline);
  base::Status Listen();
  void Serve();
  void OnAgentLine(const Message& m);
  void OnClientLine(int fd, const Message& m);
  void DropClient(int fd);
  // False when create is gone (killed while the VM booted): nobody will ever own this VM.
  bool Report(const nlohmann::json& j) {
    bool ok = WriteAll(report_.get(), j.dump() + "\n");
    report_.Reset();
    return ok;
  }
  void KillQemu();

  const OwnerSpec& spec_;
  base::UniqueFd report_;
  base::UniqueFd agent_;
  base::UniqueFd listen_;
  int qemu_pid_ = -1;
  LineBuffer agent_in_;
  OwnerStarted started_;

  struct Pending {
    int fd;
    int64_t client_id;
    std::string op;
  };
  std::map<int, LineBuffer> clients_;
  std::map<int64_t, Pending> pending_;
  std::vector<std::pair<int, int64_t>> waiters_;
  int64_t next_id_ = 2;
  std::string status_ = "created";
  int exit_status_ = -1;
};

base::Result<Message> Owner::ReadAgent(Clock::time_point deadline) {
  for (;;) {
    if (auto line = agent_in_.Next()) {
      std::string error;
      auto m = ParseLine(*line, &error);
      if (!m) return base::Internal(error);
      return *m;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return base::Timeout("timed out");
    pollfd p{agent_.get(), POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;
    char buf[65536];
    ssize_t n = ::read(agent_.get(), buf, sizeof buf);
    if (n <= 0) {
      int status = 0;
      ::waitpid(qemu_pid_, &status, 0);
      qemu_pid_ = -1;
      return base::Internal("qemu exited (status " + std::to_string(status) + "): " + VmLogTail(spec_.state_dir));
    }
    agent_in_.Feed(std::string_view(buf, static_cast<size_t>(n)));
  }
}

base::Status Owner::Boot() {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return base::ErrnoError("socketpair");
  agent_.Reset(sv[0]);
  base::UniqueFd theirs(sv[1]);
  Clock::time_point t0 = Clock::now();
  ASSIGN_OR_RETURN(qemu_pid_, SpawnQemu(spec_, theirs.get()));
  theirs.Reset();
  started_.qemu_pid = qemu_pid_;
  auto ready = ReadAgent(t0 + spec_.boot_timeout);
  if (!ready.ok()) {
    if (ready.status().code() == base::Code::kTimeout) {
      return base::Timeout("utility VM did not boot within " + std::to_string(spec_.boot_timeout.count()) +
                           " ms (no ready line from the guest agent; kernel " + spec_.vm.kernel + ")");
    }
    return ready.status().Wrap("boot utility VM");
  }
  if (ready->event() != "ready") return base::Internal("guest agent: expected ready, got " + ready->body.dump());
  started_.boot_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  started_.guest_uptime = ready->body.value("uptime", 0.0);
  WriteAll(agent_.get(), Request(1, "create", {{"container", spec_.id}, {"config", spec_.guest_config}}));
  for (;;) {
    ASSIGN_OR_RETURN_CTX(Message m, ReadAgent(Clock::now() + std::chrono::seconds(60)), "create in guest");
    if (!m.is_reply()) {
      OnAgentLine(m);
      continue;
    }
    if (!m.body.value("ok", false)) return base::Internal("guest: " + m.body.value("error", std::string("create failed")));
    started_.guest_pid = m.body.value("pid", 0);
    return base::Status::Ok();
  }
}

base::Status Owner::Listen() {
  listen_.Reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!listen_) return base::ErrnoError("socket");
  // Bound relative to the state folder: its absolute path may exceed sun_path's 108 bytes.
  if (::chdir(spec_.state_dir.c_str()) != 0) return base::ErrnoError("chdir " + spec_.state_dir);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, kOwnerSocket, sizeof addr.sun_path - 1);
  ::unlink(kOwnerSocket);
  if (::bind(listen_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return base::ErrnoError("bind owner.sock");
  if (::listen(listen_.get(), 16) != 0) return base::ErrnoError("listen owner.sock");
  return base::Status::Ok();
}

void Owner::KillQemu() {
  if (qemu_pid_ <= 0) return;
  ::kill(qemu_pid_, SIGKILL);
  ::waitpid(qemu_pid_, nullptr, 0);
  qemu_pid_ = -1;
}

int Owner::Main() {
  base::Status st = Boot();
  if (st.ok()) st = Listen();
  if (!st.ok()) {
    KillQemu();
    Report({{"ok", false}, {"error", st.message()}});
    return 1;
  }
  started_.owner_pid = ::getpid();
  if (Report({{"ok", true}, {"qemu_pid", started_.qemu_pid}, {"guest_pid", started_.guest_pid},
              {"boot_seconds", started_.boot_seconds}, {"guest_uptime", started_.guest_uptime}})) {
    Serve();
  }
  ::unlink(kOwnerSocket);
  KillQemu();
  return 0;
}

void Owner::OnAgentLine(const Message& m) {
  if (m.event() == "output") {
    auto data = HexDecode(m.body.value("data", ""));
    if (!data) return;
    if (m.body.contains("id")) {
      auto it = pending_.find(m.id());
      if (it != pending_.end()) WriteAll(it->second.fd, OutputEvent(m.body.value("stream", 1), *data));
      return;
    }
    WriteAll(m.body.value("stream", 1) == 2 ? 2 : 1, *data);
    return;
  }
  if (m.event() == "exit") {
    status_ = "stopped";
    exit_status_ = m.body.value("status", 255);
    for (auto [fd, id] : waiters_) WriteAll(fd, ReplyOk(id, {{"status", exit_status_}}));
    waiters_.clear();
    return;
  }
  if (!m.is_reply()) return;
  auto it = pending_.find(m.id());
  if (it == pending_.end()) return;
  Pending p = it->second;
  pending_.erase(it);
  if (p.op == "start" && m.body.value("ok", false) && status_ == "created") status_ = "running";
  nlohmann::json reply = m.body;
  reply["id"] = p.client_id;
  WriteAll(p.fd, Encode(reply));
}

void Owner::OnClientLine(int fd, const Message& m) {
  const std::string op = m.op();
  if (op == "state") {
    WriteAll(fd, ReplyOk(m.id(), {{"status", status_}, {"exit", exit_status_}, {"qemu_pid", qemu_pid_}}));
    return;
  }
  if (op == "wait") {
    if (status_ == "stopped") WriteAll(fd, ReplyOk(m.id(), {{"status", exit_status_}}));
    else waiters_.emplace_back(fd, m.id());
    return;
  }
  int64_t id = next_id_++;
  pending_[id] = {fd, m.id(), op};
  nlohmann::json forward = m.body;
  forward["id"] = id;
  WriteAll(agent_.get(), Encode(forward));
}

void Owner::DropClient(int fd) {
  for (auto it = pending_.begin(); it != pending_.end();) it = it->second.fd == fd ? pending_.erase(it) : std::next(it);
  std::erase_if(waiters_, [fd](const auto& w) { return w.first == fd; });
  clients_.erase(fd);
  ::close(fd);
}

void Owner::Serve() {
  for (;;) {
    std::vector<pollfd> fds{{agent_.get(), POLLIN, 0}, {listen_.get(), POLLIN, 0}};
    for (const auto& [fd, buf] : clients_) fds.push_back({fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) continue;
    if (fds[0].revents) {
      char buf[65536];
      ssize_t n = ::read(agent_.get(), buf, sizeof buf);
      if (n <= 0) return;  // QEMU exited: the container is stopped
      agent_in_.Feed(std::string_view(buf, static_cast<size_t>(n)));
      while (auto line = agent_in_.Next()) {
        std::string error;
        if (auto m = ParseLine(*line, &error)) OnAgentLine(*m);
      }
    }
    if (fds[1].revents & POLLIN) {
      int c = ::accept4(listen_.get(), nullptr, nullptr, SOCK_CLOEXEC);
      if (c >= 0) clients_[c];
    }
    for (size_t i = 2; i < fds.size(); ++i) {
      if (!fds[i].revents) continue;
      int fd = fds[i].fd;
      char buf[65536];
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) {
        DropClient(fd);
        continue;
      }
      LineBuffer& in = clients_[fd];
      in.Feed(std::string_view(buf, static_cast<size_t>(n)));
      while (auto line = in.Next()) {
        std::string error;
        auto m = ParseLine(*line, &error);
        if (m) OnClientLine(fd, *m);
        else WriteAll(fd, ReplyError(-1, error));
      }
    }
  }
}

// The child side of StartOwner: everything but stdio and the report pipe is closed (the caller's
// state lock among them: the owner must not hold it).
[[noreturn]] void RunOwnerChild(const OwnerSpec& spec, int report) {
  ::setsid();
  if (report != 3) {
    ::dup2(report, 3);
    report = 3;
  }
  ::close_range(4, ~0U, 0);
  ::signal(SIGPIPE, SIG_IGN);
  ::prctl(PR_SET_NAME, "ocirun-vm");
  int code = Owner(spec, report).Main();
  ::_exit(code);
}

}  // namespace

base::Result<OwnerStarted> StartOwner(const OwnerSpec& spec) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return base::ErrnoError("pipe");
  base::UniqueFd read_end(p[0]), write_end(p[1]);
  pid_t pid = ::fork();
  if (pid < 0) return base::ErrnoError("fork VM owner");
  if (pid == 0) {
    read_end.Reset();
    RunOwnerChild(spec, write_end.Release());
  }
  write_end.Reset();
  std::string text;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(read_end.get(), buf, sizeof buf)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.find('\n') != std::string::npos) break;
  }
  nlohmann::json r = nlohmann::json::parse(text, nullptr, false);
  if (!r.is_object() || !r.value("ok", false)) {
    ::waitpid(pid, nullptr, 0);  // it has killed QEMU and exits
    std::string why = r.is_object() ? r.value("error", std::string("failed")) : "VM owner died";
    return base::Internal(why);
  }
  OwnerStarted s;
  s.owner_pid = pid;
  s.qemu_pid = r.value("qemu_pid", 0);
  s.guest_pid = r.value("guest_pid", 0);
  s.boot_seconds = r.value("boot_seconds", 0.0);
  s.guest_uptime = r.value("guest_uptime", 0.0);
  return s;
}

}  // namespace ocirun::hyperv
