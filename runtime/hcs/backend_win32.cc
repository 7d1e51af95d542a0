// The Windows backend's OS side: shim processes, the create->start gate, host facts, MakeBackend().
#include <windows.h>
#include <versionhelpers.h>

#include <chrono>
#include <thread>

#include "base/file.h"
#include "base/win32_util.h"
#include "base/win_cmdline.h"
#include "runtime/hcs/hcs_backend.h"
#include "runtime/platform.h"

namespace ocirun {
namespace hcs {
namespace {

// The shim's environment: ours plus the variables that make `ocirun init` a shim.
std::wstring ShimEnvironment(const std::string& id, const std::string& state_dir, const std::string& vm_id,
                             const std::string& exec_tag) {
  std::wstring block;
  wchar_t* env = ::GetEnvironmentStringsW();
  for (const wchar_t* p = env; p && *p; p += wcslen(p) + 1) {
    std::wstring entry(p);
    if (entry.rfind(L"OCIRUN_HCS_SHIM_", 0) == 0) continue;
    block += entry;
    block += L'\0';
  }
  if (env) ::FreeEnvironmentStringsW(env);
  block += base::Widen(std::string(kShimIdEnv) + "=" + id) + L'\0';
  block += base::Widen(std::string(kShimStateEnv) + "=" + state_dir) + L'\0';
  if (!vm_id.empty()) block += base::Widen(std::string(kShimVmEnv) + "=" + vm_id) + L'\0';
  if (!exec_tag.empty()) block += base::Widen(std::string(kShimExecEnv) + "=" + exec_tag) + L'\0';
  block += L'\0';
  return block;
}

// An inheritable handle appending to `path` (created when missing).
base::Result<base::UniqueHandle> OpenLog(const std::string& path) {
  SECURITY_ATTRIBUTES sa{sizeof sa, nullptr, TRUE};
  base::UniqueHandle h(::CreateFileW(base::Widen(path).c_str(), FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE,
                                     &sa, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr));
  if (!h) return base::Win32Error("open " + path);
  return h;
}

// Present once the shim holds its handles (Supervisor::SignalHolding).
std::string HoldingPath(const std::string& state_dir) { return state_dir + "/shim.holding"; }

// The shim's standard handles, inheritable. Each is an inheritable duplicate of the caller's own
// (runc and runhcs give the container the caller's stdio; runhcs's shim inherits it the same way);
// where the caller has none (a service, a detached parent), stdin is NUL and stdout / stderr append
// to the shim log. `console`: one of them is a console, which the shim can use only while attached
// to that console (console handles are usable only from a process attached to one).
struct ShimStdio {
  base::UniqueHandle in, out, err;
  bool console = false;
};

base::UniqueHandle InheritableCopy(HANDLE h) {
  HANDLE copy = nullptr;
  if (!h || h == INVALID_HANDLE_VALUE ||
      !::DuplicateHandle(::GetCurrentProcess(), h, ::GetCurrentProcess(), &copy, 0, TRUE, DUPLICATE_SAME_ACCESS)) {
    return base::UniqueHandle();
  }
  return base::UniqueHandle(copy);
}

bool IsConsole(HANDLE h) {
  DWORD mode = 0;
  return ::GetConsoleMode(h, &mode) != 0;
}

base::Result<ShimStdio> ChooseShimStdio(const std::string& state_dir) {
  ShimStdio s;
  const DWORD which[3] = {STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE};
  base::UniqueHandle* into[3] = {&s.in, &s.out, &s.err};
  for (int i = 0; i < 3; ++i) {
    HANDLE h = ::GetStdHandle(which[i]);
    *into[i] = InheritableCopy(h);
    if (*into[i] && IsConsole(h)) s.console = true;
  }
  if (!s.in) {
    SECURITY_ATTRIBUTES sa{sizeof sa, nullptr, TRUE};
    s.in.Reset(::CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa, OPEN_EXISTING, 0, nullptr));
    if (!s.in) return base::Win32Error("open NUL for the shim's stdin");
  }
  for (base::UniqueHandle* out : {&s.out, &s.err}) {
    if (*out) continue;
    ASSIGN_OR_RETURN(*out, OpenLog(state_dir + "/shim.log"));
  }
  return s;
}

// Starts `ocirun.exe init` as a shim (the container's, or an exec's when `exec_tag` is set).
base::Result<Supervisor::Shim> StartShim(const std::string& id, const std::string& state_dir, const std::string& vm_id,
                                         const std::string& exec_tag) {
  ASSIGN_OR_RETURN(std::string exe, platform::SelfExecutable());
  ASSIGN_OR_RETURN(ShimStdio stdio, ChooseShimStdio(state_dir));
  STARTUPINFOW si{};
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = stdio.in.get();
  si.hStdOutput = stdio.out.get();
  si.hStdError = stdio.err.get();
  std::wstring cmdline = base::Widen(base::JoinWindowsCommandLine({exe, "init"}));
  std::wstring env = ShimEnvironment(id, state_dir, vm_id, exec_tag);
  PROCESS_INFORMATION pi{};
  // Detached from the caller's console, unless its stdio is that console (then it stays attached,
  // as runhcs's shim does, and closing the console ends it). Its own process group: the caller's
  // Ctrl+C does not reach it.
  DWORD flags = CREATE_NEW_PROCESS_GROUP | CREATE_UNICODE_ENVIRONMENT | (stdio.console ? 0 : DETACHED_PROCESS);
  if (!::CreateProcessW(base::Widen(exe).c_str(), cmdline.data(), nullptr, nullptr, TRUE,
                        flags | CREATE_BREAKAWAY_FROM_JOB, env.data(), nullptr, &si, &pi) &&
      !::CreateProcessW(base::Widen(exe).c_str(), cmdline.data(), nullptr, nullptr, TRUE, flags, env.data(),
                        nullptr, &si, &pi)) {
    return base::Win32Error("start shim " + exe);
  }
  base::UniqueHandle process(pi.hProcess), thread(pi.hThread);
  ASSIGN_OR_RETURN(uint64_t start, platform::ProcessStartTime(static_cast<int>(pi.dwProcessId)));
  return Supervisor::Shim{static_cast<int>(pi.dwProcessId), start};
}

class Win32Supervisor final : public Supervisor {
 public:
  base::Result<Shim> LaunchShim(const std::string& id, const std::string& state_dir,
                                const std::string& vm_id) override {
    RETURN_IF_ERROR(base::WriteFile(GatePath(state_dir), ""));
    return StartShim(id, state_dir, vm_id, "");
  }

  base::Result<Shim> LaunchExecShim(const std::string& id, const std::string& state_dir,
                                    const std::string& tag) override {
    return StartShim(id, state_dir, "", tag);
  }

  uint32_t ExecPid(const std::string& path) override {
    auto text = base::ReadFile(path);
    return text.ok() ? static_cast<uint32_t>(std::strtoul(text->c_str(), nullptr, 10)) : 0;
  }

  base::Status WriteExecPid(const std::string& path, uint32_t pid) override {
    return base::WriteFileAtomic(path, std::to_string(pid));
  }

  base::Status SignalHolding(const std::string& state_dir) override {
    return base::WriteFileAtomic(HoldingPath(state_dir), "");
  }

  base::Status WaitHolding(const std::string& state_dir, const Shim& shim) override {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    for (;;) {
      if (platform::PathExists(HoldingPath(state_dir))) return base::Status::Ok();
      if (!platform::ProcessAlive(shim.pid, shim.start_time)) {
        if (platform::PathExists(HoldingPath(state_dir))) return base::Status::Ok();
        std::string log = base::ReadFile(state_dir + "/shim.log").value_or("");
        if (log.size() > 600) log = "..." + log.substr(log.size() - 600);
        return base::Internal("exited before it held the compute system" + (log.empty() ? "" : ": " + log));
      }
      if (std::chrono::steady_clock::now() > deadline) {
        return base::Timeout("did not hold the compute system within a minute");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }

  std::string GatePath(const std::string& state_dir) override { return state_dir + "/start.gate"; }

  base::Status OpenGate(const std::string& gate) override {
    if (::DeleteFileW(base::Widen(gate).c_str()) || ::GetLastError() == ERROR_FILE_NOT_FOUND) return base::Status::Ok();
    return base::Win32Error("open start gate " + gate);
  }

  bool GatePresent(const std::string& gate) override { return platform::PathExists(gate); }

  base::Status WaitGateOpen(const std::string& gate) override {
    while (platform::PathExists(gate)) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return base::Status::Ok();
  }

  bool Alive(int pid, uint64_t start_time) override { return platform::ProcessAlive(pid, start_time); }

  base::Status KillShim(int pid, uint64_t start_time) override {
    if (!platform::ProcessAlive(pid, start_time)) return base::Status::Ok();  // gone, or a recycled pid
    base::UniqueHandle h(::OpenProcess(PROCESS_TERMINATE, FALSE, static_cast<DWORD>(pid)));
    if (!h || !::TerminateProcess(h.get(), 1)) return base::Win32Error("terminate shim " + std::to_string(pid));
    return base::Status::Ok();
  }

  base::Result<int> WaitShim(int pid) override {
    base::UniqueHandle h(::OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid)));
    if (!h) return base::Win32Error("open shim " + std::to_string(pid));
    ::WaitForSingleObject(h.get(), INFINITE);
    DWORD code = 0;
    if (!::GetExitCodeProcess(h.get(), &code)) return base::Win32Error("exit code of shim " + std::to_string(pid));
    return static_cast<int>(code);
  }

  uint32_t InitPid(const std::string& state_dir) override {
    auto text = base::ReadFile(state_dir + "/init.pid");
    return text.ok() ? static_cast<uint32_t>(std::strtoul(text->c_str(), nullptr, 10)) : 0;
  }

  base::Status WriteInitPid(const std::string& state_dir, uint32_t pid) override {
    return base::WriteFileAtomic(state_dir + "/init.pid", std::to_string(pid));
  }

  base::Status WritePidFile(const std::string& path, int pid) override {
    return base::WriteFileAtomic(path, std::to_string(pid));
  }

  StdioStreams OwnStdio() override { return hcs::OwnStdio(); }

  std::string ReadShimLog(const std::string& state_dir) override {
    std::string log = base::ReadFile(state_dir + "/shim.log").value_or("");
    while (!log.empty() && (log.back() == '\n' || log.back() == '\r')) log.pop_back();
    return log;
  }

  void LogShim(const std::string& state_dir, const std::string& line) override {
    auto log = OpenLog(state_dir + "/shim.log");
    if (!log.ok()) return;
    std::string text = line + "\n";
    DWORD put = 0;
    ::WriteFile(log->get(), text.data(), static_cast<DWORD>(text.size()), &put, nullptr);
  }
};

// RtlGetVersion reports the real build (GetVersionEx lies to unmanifested programs).
HostFacts DetectHost() {
  HostFacts h;
  using RtlGetVersionFn = LONG(WINAPI*)(OSVERSIONINFOW*);
  if (HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll")) {
    auto fn = reinterpret_cast<RtlGetVersionFn>(reinterpret_cast<void*>(::GetProcAddress(ntdll, "RtlGetVersion")));
    OSVERSIONINFOW v{};
    v.dwOSVersionInfoSize = sizeof v;
    if (fn && fn(&v) == 0) h.build = v.dwBuildNumber;
  }
  h.edition = ::IsWindowsServer() ? pod::HostEdition::kServer : pod::HostEdition::kClient;
  h.processors = static_cast<int>(::GetActiveProcessorCount(ALL_PROCESSOR_GROUPS));
  return h;
}

}  // namespace
}  // namespace hcs

std::unique_ptr<Backend> MakeBackend() {
  return std::make_unique<hcs::HcsBackend>(hcs::OpenComputeCore, std::make_unique<hcs::Win32Supervisor>(),
                                           hcs::DetectHost(), hcs::wclayer::HostLayerApi());
}

}  // namespace ocirun
