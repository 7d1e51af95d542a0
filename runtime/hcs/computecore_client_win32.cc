// HcsClient over computecore.dll. The DLL is loaded at run time (system_dll_win32.h: LoadLibraryExW
// from System32 + GetProcAddress typed from computecore.h), so ocirun.exe starts on hosts without the
// Containers feature (and under wine) and reports "HCS not available" instead of failing before main.
//
// Per build (Microsoft's HCS reference, "Minimum supported server"): everything bound here exists
// from Windows Server 2019 / 1809 (17763) on, except HcsWaitForProcessExit (Server 2022 / 2104).
// Where it is missing, a process's exit is awaited as hcsshim always does: HcsSetProcessCallback's
// HcsEventProcessExited event (internal/hcs/v2/process.go), with HcsGetProcessProperties for a
// process that exited before the callback was registered.
#include <windows.h>
#include <computecore.h>

#include <mutex>

#include "base/win32_util.h"
#include "runtime/hcs/hcs_client.h"
#include "runtime/hcs/system_dll_win32.h"
#include "runtime/hcs/translate.h"

namespace ocirun::hcs {
namespace {

struct Api {
  decltype(&::HcsCreateOperation) CreateOperation = nullptr;
  decltype(&::HcsCloseOperation) CloseOperation = nullptr;
  decltype(&::HcsWaitForOperationResult) WaitForOperationResult = nullptr;
  decltype(&::HcsWaitForOperationResultAndProcessInfo) WaitForOperationResultAndProcessInfo = nullptr;
  decltype(&::HcsCancelOperation) CancelOperation = nullptr;
  decltype(&::HcsCreateComputeSystem) CreateComputeSystem = nullptr;
  decltype(&::HcsOpenComputeSystem) OpenComputeSystem = nullptr;
  decltype(&::HcsCloseComputeSystem) CloseComputeSystem = nullptr;
  decltype(&::HcsStartComputeSystem) StartComputeSystem = nullptr;
  decltype(&::HcsShutDownComputeSystem) ShutDownComputeSystem = nullptr;
  decltype(&::HcsTerminateComputeSystem) TerminateComputeSystem = nullptr;
  decltype(&::HcsPauseComputeSystem) PauseComputeSystem = nullptr;
  decltype(&::HcsResumeComputeSystem) ResumeComputeSystem = nullptr;
  decltype(&::HcsGetComputeSystemProperties) GetComputeSystemProperties = nullptr;
  decltype(&::HcsModifyComputeSystem) ModifyComputeSystem = nullptr;
  decltype(&::HcsCreateProcess) CreateProcess = nullptr;
  decltype(&::HcsOpenProcess) OpenProcess = nullptr;
  decltype(&::HcsCloseProcess) CloseProcess = nullptr;
  decltype(&::HcsSignalProcess) SignalProcess = nullptr;
  decltype(&::HcsTerminateProcess) TerminateProcess = nullptr;
  decltype(&::HcsModifyProcess) ModifyProcess = nullptr;
  decltype(&::HcsGetProcessProperties) GetProcessProperties = nullptr;
  decltype(&::HcsSetProcessCallback) SetProcessCallback = nullptr;
  decltype(&::HcsWaitForProcessExit) WaitForProcessExit = nullptr;  // Server 2022 on; null before
};

base::Result<Api> LoadApi() {
  ASSIGN_OR_RETURN(HMODULE m, LoadSystemDll("computecore.dll",
                                            "Windows 10 1809 / Server 2019 or later with the Containers feature is needed"));
  auto Bind = [m](const char* name, auto& fn) { return BindProc(m, "computecore.dll", name, fn); };
  Api a;
  RETURN_IF_ERROR(Bind("HcsCreateOperation", a.CreateOperation));
  RETURN_IF_ERROR(Bind("HcsCloseOperation", a.CloseOperation));
  RETURN_IF_ERROR(Bind("HcsWaitForOperationResult", a.WaitForOperationResult));
  RETURN_IF_ERROR(Bind("HcsWaitForOperationResultAndProcessInfo", a.WaitForOperationResultAndProcessInfo));
  RETURN_IF_ERROR(Bind("HcsCancelOperation", a.CancelOperation));
  RETURN_IF_ERROR(Bind("HcsCreateComputeSystem", a.CreateComputeSystem));
  RETURN_IF_ERROR(Bind("HcsOpenComputeSystem", a.OpenComputeSystem));
  RETURN_IF_ERROR(Bind("HcsCloseComputeSystem", a.CloseComputeSystem));
  RETURN_IF_ERROR(Bind("HcsStartComputeSystem", a.StartComputeSystem));
  RETURN_IF_ERROR(Bind("HcsShutDownComputeSystem", a.ShutDownComputeSystem));
  RETURN_IF_ERROR(Bind("HcsTerminateComputeSystem", a.TerminateComputeSystem));
  RETURN_IF_ERROR(Bind("HcsPauseComputeSystem", a.PauseComputeSystem));
  RETURN_IF_ERROR(Bind("HcsResumeComputeSystem", a.ResumeComputeSystem));
  RETURN_IF_ERROR(Bind("HcsGetComputeSystemProperties", a.GetComputeSystemProperties));
  RETURN_IF_ERROR(Bind("HcsModifyComputeSystem", a.ModifyComputeSystem));
  RETURN_IF_ERROR(Bind("HcsCreateProcess", a.CreateProcess));
  RETURN_IF_ERROR(Bind("HcsOpenProcess", a.OpenProcess));
  RETURN_IF_ERROR(Bind("HcsCloseProcess", a.CloseProcess));
  RETURN_IF_ERROR(Bind("HcsSignalProcess", a.SignalProcess));
  RETURN_IF_ERROR(Bind("HcsTerminateProcess", a.TerminateProcess));
  RETURN_IF_ERROR(Bind("HcsModifyProcess", a.ModifyProcess));
  RETURN_IF_ERROR(Bind("HcsGetProcessProperties", a.GetProcessProperties));
  RETURN_IF_ERROR(Bind("HcsSetProcessCallback", a.SetProcessCallback));
  // Optional: Server 2019 (17763) has none; WaitExit then waits for the exit event.
  if (!Bind("HcsWaitForProcessExit", a.WaitForProcessExit).ok()) a.WaitForProcessExit = nullptr;
  return a;
}

std::string TakeString(PWSTR s) {
  if (!s) return "";
  std::string out = base::Narrow(s);
  ::LocalFree(s);
  return out;
}

DWORD Millis(Timeout t) { return t.count() <= 0 ? INFINITE : static_cast<DWORD>(t.count()); }

// One asynchronous HCS call: create the operation, start the call, wait for its result; cancel when
// the timeout passes. Returns the result document; `info` receives a created process's id and stdio.
template <typename StartFn>
base::Result<std::string> RunOperation(const Api& api, const std::string& what, Timeout timeout, StartFn start,
                                       HCS_PROCESS_INFORMATION* info = nullptr) {
  HCS_OPERATION op = api.CreateOperation(nullptr, nullptr);
  if (!op) return base::Internal(what + ": HcsCreateOperation failed");
  HRESULT hr = start(op);
  if (FAILED(hr)) {
    api.CloseOperation(op);
    return HcsError(what, static_cast<uint32_t>(hr));
  }
  PWSTR doc = nullptr;
  hr = info ? api.WaitForOperationResultAndProcessInfo(op, Millis(timeout), info, &doc)
            : api.WaitForOperationResult(op, Millis(timeout), &doc);
  std::string result = TakeString(doc);
  if (static_cast<uint32_t>(hr) == kHcsOperationTimeout) api.CancelOperation(op);
  api.CloseOperation(op);
  if (FAILED(hr)) return HcsError(what, static_cast<uint32_t>(hr), result);
  return result;
}

// The exit code in a ProcessStatus document ({"Exited": true, "ExitCode": n, ...}), what both
// HcsWaitForProcessExit and the HcsEventProcessExited event carry.
base::Result<int> ExitCodeOf(const std::string& what, const std::string& status) {
  nlohmann::json j = nlohmann::json::parse(status, nullptr, false);
  if (!j.is_object() || !j.contains("ExitCode") || !j["ExitCode"].is_number()) {
    return base::Internal("exit code of " + what + ": " + status);
  }
  return j["ExitCode"].get<int>();
}

// A process's exit as HcsSetProcessCallback reports it: the callback records the event's
// ProcessStatus and sets a manual-reset event WaitExit waits on. HcsCloseProcess unregisters the
// callback and waits for running invocations, so the watch is destroyed only after it.
class ExitWatch {
 public:
  ExitWatch() : event_(::CreateEventW(nullptr, TRUE, FALSE, nullptr)) {}
  ~ExitWatch() {
    if (event_) ::CloseHandle(event_);
  }
  ExitWatch(const ExitWatch&) = delete;
  ExitWatch& operator=(const ExitWatch&) = delete;

  static void CALLBACK OnEvent(HCS_EVENT* event, void* context) {
    if (!event || !context) return;
    auto* w = static_cast<ExitWatch*>(context);
    if (event->Type != HcsEventProcessExited && event->Type != HcsEventServiceDisconnect) return;
    {
      std::lock_guard<std::mutex> hold(w->lock_);
      w->disconnected_ = event->Type == HcsEventServiceDisconnect;
      w->status_ = event->EventData ? base::Narrow(event->EventData) : "";
    }
    ::SetEvent(w->event_);
  }

  HANDLE event() const { return event_; }
  // After the event: the ProcessStatus, or an error when the HCS disconnected instead.
  base::Result<std::string> Outcome() {
    std::lock_guard<std::mutex> hold(lock_);
    if (disconnected_) return base::Internal("the HCS service disconnected before the process exited");
    return status_;
  }

 private:
  HANDLE event_;
  std::mutex lock_;
  bool disconnected_ = false;
  std::string status_;
};

// Our ends of a new process's stdio pipes (HCS_PROCESS_INFORMATION), owned: closed with the stream.
StdioStreams PipesOf(const HCS_PROCESS_INFORMATION& info) {
  auto wrap = [](HANDLE h) -> std::unique_ptr<ByteStream> {
    if (!h || h == INVALID_HANDLE_VALUE) return nullptr;
    return OsStream(reinterpret_cast<NativeHandle>(h), Ownership::kOwned);
  };
  return {wrap(info.StdInput), wrap(info.StdOutput), wrap(info.StdError)};
}

class CoreProcess final : public HcsProcess {
 public:
  CoreProcess(const Api& api, HCS_PROCESS p, uint32_t pid, std::string system, StdioStreams pipes = {})
      : api_(api), p_(p), pid_(pid), system_(std::move(system)), pipes_(std::move(pipes)) {
    if (api_.WaitForProcessExit) return;
    // Registered before anyone waits, so no exit is missed (hcsshim's registerNotification).
    watch_ = std::make_unique<ExitWatch>();
    HRESULT hr = watch_->event() ? api_.SetProcessCallback(p_, HcsEventOptionNone, watch_.get(), &ExitWatch::OnEvent)
                                 : HRESULT_FROM_WIN32(::GetLastError());
    if (FAILED(hr)) watch_error_ = HcsError(Name("watch the exit of"), static_cast<uint32_t>(hr));
  }
  // Closing the process unregisters the callback first: watch_ goes after it.
  ~CoreProcess() override { api_.CloseProcess(p_); }
  uint32_t pid() const override { return pid_; }
  StdioStreams TakeStdio() override { return std::move(pipes_); }

  base::Status CloseStdin(Timeout timeout) override {
    // hcsshim's ProcessModifyRequest (guestrequest.CloseProcessHandle, STDInHandle).
    std::wstring r = base::Widen(R"({"Operation":"CloseHandle","CloseHandle":{"Handle":"StdIn"}})");
    return RunOperation(api_, Name("close stdin of"), timeout, [&](HCS_OPERATION op) {
             return api_.ModifyProcess(p_, op, r.c_str());
           }).status();
  }

  base::Status ResizeConsole(uint16_t width, uint16_t height, Timeout timeout) override {
    std::wstring r = base::Widen(ConsoleSizeRequest(width, height).dump());
    return RunOperation(api_, Name("resize the console of"), timeout, [&](HCS_OPERATION op) {
             return api_.ModifyProcess(p_, op, r.c_str());
           }).status();
  }

  base::Status Signal(const nlohmann::json& options, Timeout timeout) override {
    std::wstring o = base::Widen(options.dump());
    return RunOperation(api_, Name("signal"), timeout, [&](HCS_OPERATION op) {
             return api_.SignalProcess(p_, op, o.c_str());
           }).status();
  }
  base::Status Terminate(Timeout timeout) override {
    return RunOperation(api_, Name("terminate"), timeout, [&](HCS_OPERATION op) {
             return api_.TerminateProcess(p_, op, nullptr);
           }).status();
  }
  base::Result<int> WaitExit(Timeout timeout) override {
    if (!api_.WaitForProcessExit) return WaitExitEvent(timeout);
    PWSTR doc = nullptr;
    HRESULT hr = api_.WaitForProcessExit(p_, Millis(timeout), &doc);
    std::string result = TakeString(doc);
    if (FAILED(hr)) return HcsError(Name("wait for"), static_cast<uint32_t>(hr), result);
    return ExitCodeOf(Name("process"), result);
  }

 private:
  // Without HcsWaitForProcessExit (Server 2019): a process that exited before the callback was
  // registered is seen in its properties; otherwise the callback's event ends the wait.
  base::Result<int> WaitExitEvent(Timeout timeout) {
    RETURN_IF_ERROR(watch_error_);
    ASSIGN_OR_RETURN(std::string props, RunOperation(api_, Name("properties of"), kDefaultTimeout, [&](HCS_OPERATION op) {
                       return api_.GetProcessProperties(p_, op, nullptr);
                     }));
    nlohmann::json j = nlohmann::json::parse(props, nullptr, false);
    if (j.is_object() && j.value("Exited", false)) return ExitCodeOf(Name("process"), props);
    DWORD waited = ::WaitForSingleObject(watch_->event(), Millis(timeout));
    if (waited == WAIT_TIMEOUT) return HcsError(Name("wait for"), kHcsOperationTimeout);
    if (waited != WAIT_OBJECT_0) return base::Internal(Name("wait for") + ": " + base::SystemMessage(::GetLastError()));
    ASSIGN_OR_RETURN(std::string status, watch_->Outcome());
    return ExitCodeOf(Name("process"), status);
  }

  std::string Name(const char* verb) const { return std::string(verb) + " process " + std::to_string(pid_) + " in " + system_; }
  const Api& api_;
  HCS_PROCESS p_;
  uint32_t pid_;
  std::string system_;
  StdioStreams pipes_;
  std::unique_ptr<ExitWatch> watch_;  // only without HcsWaitForProcessExit
  base::Status watch_error_ = base::Status::Ok();
};

class CoreSystem final : public HcsSystem {
 public:
  CoreSystem(const Api& api, HCS_SYSTEM s, std::string id) : api_(api), s_(s), id_(std::move(id)) {}
  ~CoreSystem() override { api_.CloseComputeSystem(s_); }
  const std::string& id() const override { return id_; }

  base::Status Start(Timeout t) override { return Simple("start", t, api_.StartComputeSystem); }
  base::Status Shutdown(Timeout t) override { return Simple("shut down", t, api_.ShutDownComputeSystem); }
  base::Status Terminate(Timeout t) override { return Simple("terminate", t, api_.TerminateComputeSystem); }
  base::Status Pause(Timeout t) override { return Simple("pause", t, api_.PauseComputeSystem); }
  base::Status Resume(Timeout t) override { return Simple("resume", t, api_.ResumeComputeSystem); }

  base::Result<nlohmann::json> Properties(const nlohmann::json& query, Timeout t) override {
    std::wstring q = base::Widen(query.dump());
    ASSIGN_OR_RETURN(std::string doc, RunOperation(api_, "properties of " + id_, t, [&](HCS_OPERATION op) {
                       return api_.GetComputeSystemProperties(s_, op, q.c_str());
                     }));
    nlohmann::json j = nlohmann::json::parse(doc, nullptr, false);
    if (j.is_discarded()) return base::Internal("properties of " + id_ + ": not JSON: " + doc);
    return j;
  }

  base::Status Modify(const nlohmann::json& request, Timeout t) override {
    std::wstring r = base::Widen(request.dump());
    return RunOperation(api_, "modify " + id_, t, [&](HCS_OPERATION op) {
             return api_.ModifyComputeSystem(s_, op, r.c_str(), nullptr);
           }).status();
  }

  base::Result<std::unique_ptr<HcsProcess>> CreateProcess(const nlohmann::json& params, Timeout t) override {
    std::wstring p = base::Widen(params.dump());
    HCS_PROCESS proc = nullptr;
    HCS_PROCESS_INFORMATION info{};
    RETURN_IF_ERROR(RunOperation(
                        api_, "create process in " + id_, t,
                        [&](HCS_OPERATION op) { return api_.CreateProcess(s_, p.c_str(), op, nullptr, &proc); }, &info)
                        .status());
    // Our side of the stdio pipes the parameters asked for; whoever holds the process relays them
    // (TakeStdio), or they close with it.
    return std::unique_ptr<HcsProcess>(new CoreProcess(api_, proc, info.ProcessId, id_, PipesOf(info)));
  }

  base::Result<std::unique_ptr<HcsProcess>> OpenProcess(uint32_t pid) override {
    HCS_PROCESS proc = nullptr;
    HRESULT hr = api_.OpenProcess(s_, pid, GENERIC_ALL, &proc);
    if (FAILED(hr)) return HcsError("open process " + std::to_string(pid) + " in " + id_, static_cast<uint32_t>(hr));
    return std::unique_ptr<HcsProcess>(new CoreProcess(api_, proc, pid, id_));
  }

 private:
  using Lifecycle = HRESULT(WINAPI*)(HCS_SYSTEM, HCS_OPERATION, PCWSTR);
  base::Status Simple(const char* verb, Timeout t, Lifecycle fn) {
    return RunOperation(api_, std::string(verb) + " " + id_, t, [&](HCS_OPERATION op) {
             return fn(s_, op, nullptr);
           }).status();
  }
  const Api& api_;
  HCS_SYSTEM s_;
  std::string id_;
};

class CoreClient final : public HcsClient {
 public:
  // `api` is the process-wide table (OpenComputeCore's static): systems and processes keep
  // references to it, and a relay thread may still use a process while main returns, after the
  // client is gone.
  explicit CoreClient(const Api& api) : api_(api) {}
  base::Result<std::unique_ptr<HcsSystem>> Create(const std::string& id, const nlohmann::json& doc, Timeout t) override {
    std::wstring wid = base::Widen(id), wdoc = base::Widen(doc.dump());
    HCS_SYSTEM s = nullptr;
    RETURN_IF_ERROR(RunOperation(api_, "create compute system " + id, t, [&](HCS_OPERATION op) {
                      return api_.CreateComputeSystem(wid.c_str(), wdoc.c_str(), op, nullptr, &s);
                    }).status());
    return std::unique_ptr<HcsSystem>(new CoreSystem(api_, s, id));
  }
  base::Result<std::unique_ptr<HcsSystem>> Open(const std::string& id) override {
    HCS_SYSTEM s = nullptr;
    HRESULT hr = api_.OpenComputeSystem(base::Widen(id).c_str(), GENERIC_ALL, &s);
    if (FAILED(hr)) return HcsError("open compute system " + id, static_cast<uint32_t>(hr));
    return std::unique_ptr<HcsSystem>(new CoreSystem(api_, s, id));
  }

 private:
  const Api& api_;
};

}  // namespace

base::Result<std::unique_ptr<HcsClient>> OpenComputeCore() {
  static std::once_flag once;
  static base::Result<Api> api = base::Internal("not loaded");
  std::call_once(once, [] { api = LoadApi(); });
  if (!api.ok()) return api.status();
  return std::unique_ptr<HcsClient>(new CoreClient(*api));
}

}  // namespace ocirun::hcs
