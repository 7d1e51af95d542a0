#include "runtime/hcs/fake_hcs.h"
#include "runtime/hcs/translate.h"

namespace ocirun::hcs {
namespace {

using Shared = FakeHcs::Shared;

// Records the call and consumes an injected failure for it (the lock is held by the caller).
base::Status Enter(Shared& s, const std::string& call, const std::string& detail) {
  s.calls.push_back(detail.empty() ? call : call + " " + detail);
  auto it = s.fail_next.find(call);
  if (it == s.fail_next.end()) return base::Status::Ok();
  uint32_t hr = it->second;
  s.fail_next.erase(it);
  return HcsError(call, hr);
}

// What a process killed with its system exits with: ERROR_PROCESS_ABORTED, as hcsshim's tests expect
// from a killed Windows container.
constexpr int kProcessAborted = 1067;

// The process ends: its exit code is set and its output pipes end, as the HCS closes them.
void Exit(FakeProcessState& p, int code) {
  p.exit_code = code;
  if (p.stdio && p.stdio->out) p.stdio->out->Close();
  if (p.stdio && p.stdio->err) p.stdio->err->Close();
}

// Reads what is left in the process's stdin pipe (its writer is closed by then: no blocking).
const std::string& DrainStdin(FakeStdio& stdio) {
  char buf[4096];
  for (;;) {
    auto n = stdio.in ? stdio.in->Read(buf, sizeof buf) : base::Result<size_t>(size_t{0});
    if (!n.ok() || *n == 0) return stdio.stdin_text;
    stdio.stdin_text.append(buf, *n);
  }
}

// The pipes the document asks for: the process keeps its ends in `p`, ours are returned.
StdioStreams MakePipes(const nlohmann::json& params, const Shared& s, FakeProcessState& p) {
  StdioStreams ours;
  p.stdio = std::make_shared<FakeStdio>();
  if (params.value("CreateStdInPipe", false)) {
    MemoryPipe pipe = MakeMemoryPipe();
    p.stdio->in = std::move(pipe.reader);
    ours.in = std::move(pipe.writer);
  }
  auto output = [&](const char* key, const std::string& text, std::unique_ptr<ByteStream>& theirs,
                    std::unique_ptr<ByteStream>& mine) {
    if (!params.value(key, false)) return;
    MemoryPipe pipe = MakeMemoryPipe();
    if (!text.empty()) pipe.writer->Write(text.data(), text.size()).IgnoreError();
    theirs = std::move(pipe.writer);
    mine = std::move(pipe.reader);
  };
  output("CreateStdOutPipe", s.next_stdout, p.stdio->out, ours.out);
  output("CreateStdErrPipe", s.next_stderr, p.stdio->err, ours.err);
  return ours;
}

// A generous bound for a fake process waiting for its stdin to end (a test bug, not a hang).
constexpr Timeout kEchoWait{std::chrono::seconds(30)};

class FakeProcess final : public HcsProcess {
 public:
  FakeProcess(std::shared_ptr<Shared> s, std::string id, uint32_t pid, StdioStreams ours = {})
      : s_(std::move(s)), id_(std::move(id)), pid_(pid), ours_(std::move(ours)) {}
  uint32_t pid() const override { return pid_; }
  StdioStreams TakeStdio() override { return std::move(ours_); }

  base::Status ResizeConsole(uint16_t width, uint16_t height, Timeout) override {
    std::lock_guard lock(s_->mu);
    RETURN_IF_ERROR(Enter(*s_, "ModifyProcess", id_ + " " + std::to_string(pid_) + " " +
                                                    ConsoleSizeRequest(width, height).dump()));
    FakeProcessState* p = Find();
    if (!p || p->exit_code) return HcsError("resize the console of process", kHcsProcessAlreadyStopped);
    return base::Status::Ok();
  }

  base::Status CloseStdin(Timeout) override {
    std::lock_guard lock(s_->mu);
    RETURN_IF_ERROR(Enter(*s_, "ModifyProcess", id_ + " " + std::to_string(pid_) +
                                                    R"( {"CloseHandle":{"Handle":"StdIn"},"Operation":"CloseHandle"})"));
    FakeProcessState* p = Find();
    if (!p || p->exit_code) return HcsError("close stdin of process", kHcsProcessAlreadyStopped);
    p->stdin_closed = true;
    s_->stdin_closed.notify_all();
    return base::Status::Ok();
  }

  base::Status Signal(const nlohmann::json& options, Timeout) override {
    std::lock_guard lock(s_->mu);
    RETURN_IF_ERROR(Enter(*s_, "SignalProcess", id_ + " " + std::to_string(pid_) + " " + options.dump()));
    FakeProcessState* p = Find();
    if (!p || p->exit_code) return HcsError("signal process", kHcsProcessAlreadyStopped);
    p->signals.push_back(options);
    return base::Status::Ok();
  }

  base::Status Terminate(Timeout) override {
    std::lock_guard lock(s_->mu);
    RETURN_IF_ERROR(Enter(*s_, "TerminateProcess", id_ + " " + std::to_string(pid_)));
    FakeProcessState* p = Find();
    if (!p || p->exit_code) return HcsError("terminate process", kHcsProcessAlreadyStopped);
    Exit(*p, 1);
    s_->stdin_closed.notify_all();
    return base::Status::Ok();
  }

  base::Result<int> WaitExit(Timeout) override {
    std::unique_lock lock(s_->mu);
    RETURN_IF_ERROR(Enter(*s_, "WaitForProcessExit", id_ + " " + std::to_string(pid_)));
    FakeProcessState* p = Find();
    if (p && p->exit_code) return *p->exit_code;
    if (!p || !s_->exit_on_wait) return HcsError("wait for process exit", kHcsOperationTimeout);
    if (s_->echo_stdin && p->stdio && p->stdio->in) {
      if (!s_->stdin_closed.wait_for(lock, kEchoWait, [&] { p = Find(); return !p || p->stdin_closed || p->exit_code; })) {
        return HcsError("wait for process exit", kHcsOperationTimeout);
      }
      if (!p) return HcsError("wait for process exit", kHcsSystemNotFound);
      if (p->exit_code) return *p->exit_code;
      const std::string& text = DrainStdin(*p->stdio);
      if (p->stdio->out) p->stdio->out->Write(text.data(), text.size()).IgnoreError();
    }
    Exit(*p, *s_->exit_on_wait);
    return *p->exit_code;
  }

 private:
  FakeProcessState* Find() {
    auto sys = s_->systems.find(id_);
    if (sys == s_->systems.end()) return nullptr;
    auto it = sys->second.processes.find(pid_);
    return it == sys->second.processes.end() ? nullptr : &it->second;
  }

  std::shared_ptr<Shared> s_;
  std::string id_;
  uint32_t pid_;
  StdioStreams ours_;
};

class FakeSystem final : public HcsSystem {
 public:
  FakeSystem(std::shared_ptr<Shared> s, std::string id) : s_(std::move(s)), id_(std::move(id)) {}
  // The last handle's close terminates a system whose document asks for it, as the HCS does.
  ~FakeSystem() override {
    std::lock_guard lock(s_->mu);
    s_->calls.push_back("Close " + id_);
    auto it = s_->systems.find(id_);
    if (it == s_->systems.end() || --it->second.open_handles > 0) return;
    FakeSystemState& sys = it->second;
    const nlohmann::json& doc = sys.document;
    bool terminate = doc.is_object() && (doc.value("ShouldTerminateOnLastHandleClosed", false) ||
                                         doc.value("TerminateOnLastHandleClosed", false));
    if (!terminate || sys.state == "Stopped") return;
    s_->calls.push_back("TerminateOnLastHandleClosed " + id_);
    sys.state = "Stopped";
    for (auto& [pid, p] : sys.processes) {
      if (!p.exit_code) Exit(p, kProcessAborted);
    }
    s_->stdin_closed.notify_all();
  }
  const std::string& id() const override { return id_; }

  base::Status Start(Timeout) override { return Transition("Start", {"Created"}, "Running"); }
  base::Status Pause(Timeout) override { return Transition("Pause", {"Running"}, "Paused"); }
  base::Status Resume(Timeout) override { return Transition("Resume", {"Paused"}, "Running"); }
  base::Status Shutdown(Timeout) override { return Stop("Shutdown"); }
  base::Status Terminate(Timeout) override { return Stop("Terminate"); }

  base::Result<nlohmann::json> Properties(const nlohmann::json& query, Timeout) override {
    std::lock_guard lock(s_->mu);
    RETURN_IF_ERROR(Enter(*s_, "GetProperties", id_ + " " + query.dump()));
    ASSIGN_OR_RETURN(FakeSystemState * sys, Find());
    nlohmann::json props = {{"Id", id_}, {"State", sys->state}};
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [pid, p] : sys->processes) {
      if (!p.exit_code) list.push_back({{"ProcessId", pid}, {"ImageName", p.params.value("CommandLine", "")}});
    }
    props["ProcessList"] = list;
    return props;
  }

  base::Status Modify(const nlohmann::json& request, Timeout) override {
    std::lock_guard lock(s_->mu);
    return Enter(*s_, "Modify", id_ + " " + request.dump());
  }

  base::Result<std::unique_ptr<HcsProcess>> CreateProcess(const nlohmann::json& params, Timeout) override {
    std::lock_guard lock(s_->mu);
    RETURN_IF_ERROR(Enter(*s_, "CreateProcess", id_ + " " + params.dump()));
    ASSIGN_OR_RETURN(FakeSystemState * sys, Find());
    if (sys->state != "Running") return HcsError("create process in " + id_, kHcsInvalidState);
    uint32_t pid = s_->next_pid++;
    FakeProcessState& p = sys->processes[pid] = FakeProcessState{params, std::nullopt, {}, nullptr, false};
    StdioStreams ours = MakePipes(params, *s_, p);
    return std::unique_ptr<HcsProcess>(new FakeProcess(s_, id_, pid, std::move(ours)));
  }

  base::Result<std::unique_ptr<HcsProcess>> OpenProcess(uint32_t pid) override {
    std::lock_guard lock(s_->mu);
    RETURN_IF_ERROR(Enter(*s_, "OpenProcess", id_ + " " + std::to_string(pid)));
    ASSIGN_OR_RETURN(FakeSystemState * sys, Find());
    if (!sys->processes.count(pid)) return HcsError("open process " + std::to_string(pid), kHcsSystemNotFound);
    return std::unique_ptr<HcsProcess>(new FakeProcess(s_, id_, pid));
  }

 private:
  base::Result<FakeSystemState*> Find() {
    auto it = s_->systems.find(id_);
    if (it == s_->systems.end()) return HcsError("compute system " + id_, kHcsSystemNotFound);
    return &it->second;
  }

  base::Status Transition(const std::string& call, std::initializer_list<const char*> from, const char* to) {
    std::lock_guard lock(s_->mu);
    RETURN_IF_ERROR(Enter(*s_, call, id_));
    ASSIGN_OR_RETURN(FakeSystemState * sys, Find());
    for (const char* f : from) {
      if (sys->state == f) {
        sys->state = to;
        return base::Status::Ok();
      }
    }
    return HcsError(call + " " + id_, sys->state == "Stopped" ? kHcsAlreadyStopped : kHcsInvalidState);
  }

  // The system stops; its processes end (kProcessAborted).
  base::Status Stop(const std::string& call) {
    std::lock_guard lock(s_->mu);
    RETURN_IF_ERROR(Enter(*s_, call, id_));
    ASSIGN_OR_RETURN(FakeSystemState * sys, Find());
    if (sys->state == "Stopped") return HcsError(call + " " + id_, kHcsAlreadyStopped);
    sys->state = "Stopped";
    for (auto& [pid, p] : sys->processes) {
      if (!p.exit_code) Exit(p, kProcessAborted);
    }
    s_->stdin_closed.notify_all();
    return base::Status::Ok();
  }

  std::shared_ptr<Shared> s_;
  std::string id_;
};

}  // namespace

base::Result<std::unique_ptr<HcsSystem>> FakeHcs::Create(const std::string& id, const nlohmann::json& document,
                                                        Timeout) {
  std::lock_guard lock(s_->mu);
  RETURN_IF_ERROR(Enter(*s_, "Create", id));
  if (s_->systems.count(id)) return HcsError("create compute system " + id, kHcsAlreadyExists);
  s_->systems[id] = FakeSystemState{document, "Created", {}, 1};
  return std::unique_ptr<HcsSystem>(new FakeSystem(s_, id));
}

base::Result<std::unique_ptr<HcsSystem>> FakeHcs::Open(const std::string& id) {
  std::lock_guard lock(s_->mu);
  RETURN_IF_ERROR(Enter(*s_, "Open", id));
  auto it = s_->systems.find(id);
  if (it == s_->systems.end()) return HcsError("open compute system " + id, kHcsSystemNotFound);
  ++it->second.open_handles;
  return std::unique_ptr<HcsSystem>(new FakeSystem(s_, id));
}

void FakeHcs::FailNext(const std::string& call, uint32_t hr) {
  std::lock_guard lock(s_->mu);
  s_->fail_next[call] = hr;
}

void FakeHcs::SetExit(const std::string& id, uint32_t pid, int code) {
  std::lock_guard lock(s_->mu);
  Exit(s_->systems[id].processes[pid], code);
  s_->stdin_closed.notify_all();  // an echoing process waited for stdin no more
}

void FakeHcs::SetOutput(std::string out, std::string err) {
  std::lock_guard lock(s_->mu);
  s_->next_stdout = std::move(out);
  s_->next_stderr = std::move(err);
}

void FakeHcs::EchoStdin() {
  std::lock_guard lock(s_->mu);
  s_->echo_stdin = true;
}

std::optional<std::string> FakeHcs::StdinOf(const std::string& id, uint32_t pid, Timeout timeout) {
  std::unique_lock lock(s_->mu);
  FakeProcessState* p = nullptr;
  bool closed = s_->stdin_closed.wait_for(lock, timeout, [&] {
    auto sys = s_->systems.find(id);
    p = sys == s_->systems.end() || !sys->second.processes.count(pid) ? nullptr : &sys->second.processes[pid];
    return p && p->stdin_closed;
  });
  if (!closed || !p->stdio) return std::nullopt;
  return DrainStdin(*p->stdio);
}

void FakeHcs::ExitOnWait(int code) {
  std::lock_guard lock(s_->mu);
  s_->exit_on_wait = code;
}

std::vector<std::string> FakeHcs::calls() const {
  std::lock_guard lock(s_->mu);
  return s_->calls;
}

std::optional<FakeSystemState> FakeHcs::system(const std::string& id) const {
  std::lock_guard lock(s_->mu);
  auto it = s_->systems.find(id);
  if (it == s_->systems.end()) return std::nullopt;
  return it->second;
}

}  // namespace ocirun::hcs
