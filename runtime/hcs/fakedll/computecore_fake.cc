// A FAKE computecore.dll for tests under wine (never shipped): the HCS calls ocirun makes
// (runtime/hcs/computecore_client_win32.cc), exported with the names and signatures of Debian's
// mingw-w64 computecore.h (included below, so a signature that differs does not compile), so that
// `ocirun.exe create/start/exec/kill/ps/pause/resume/delete` run end to end with real processes.
//
// Model:
// - A compute system is a folder %ProgramData%\fakehcs\<id>\ holding document.json (the create
//   document), state (Created, Running, Paused, Stopped) and pids (the host pids of the processes
//   created in it, one a line). It outlives the process that created it: later commands and the shim
//   open it by id. A folder whose state is Stopped is removed when a handle to the system is closed
//   (the real HCS forgets a stopped system once its handles are closed); opening an unknown id fails
//   with HCS_E_SYSTEM_NOT_FOUND. Every change is made under one named mutex.
// - HcsCreateProcess runs the document's CommandLine on the HOST with CreateProcessW, in its
//   WorkingDirectory, with the caller's environment plus the document's Environment, and anonymous
//   pipes as CreateStdInPipe / CreateStdOutPipe / CreateStdErrPipe ask (our ends are returned in
//   HCS_PROCESS_INFORMATION through the operation; missing ones are NUL for the process).
// - Signals: HcsTerminateProcess and CtrlClose / CtrlLogOff / CtrlShutdown terminate the process with
//   exit code 1067 (ERROR_PROCESS_ABORTED, what hcsshim's tests expect of a killed process); CtrlC and
//   CtrlBreak terminate it with STATUS_CONTROL_C_EXIT. No console event is delivered.
// - Pause / Resume record the state and suspend / resume the system's processes (NtSuspendProcess).
//   Shutdown and Terminate terminate every live process (exit 1067) and mark the system Stopped.
// - Operations complete synchronously, inside the call that starts them: the call returns S_OK (or
//   E_INVALIDARG / E_HANDLE for bad arguments) and the outcome, HRESULT and result document
//   ({"Error", "ErrorMessage"} on failure), is what HcsWaitForOperationResult* returns. A completion
//   callback set on the operation is called before the starting call returns.
//
// Limits (it is a test double, not a container host):
// - No isolation: processes run on the host, as the caller's user, see the host's C:\ and
//   environment; Storage (layers, the volume path), MappedDirectories, MappedPipes, Networking,
//   resources, GuestOs.HostName and User are validated or ignored, never applied.
// - Hyper-V documents (VirtualMachine, HostingSystemId, HostedSystem) are refused with E_NOTIMPL.
// - ShouldTerminateOnLastHandleClosed is not modelled: handles are per process and the fake does
//   not count them across processes; systems live until terminated, shut down or their processes
//   are all gone and a stopped system is closed.
// - EmulateConsole gets no pseudo console; ConsoleSize is accepted and ignored.
// - HcsModifyComputeSystem, enumeration, save / crash and system event callbacks are not implemented.
//
// Per build: compiled once per Windows build it stands for (FAKEHCS_BUILD: 17763, 20348, 26100),
// each exporting only what Microsoft's HCS reference gives that build ("Minimum supported server";
// computecore_<build>.def): HcsWaitForProcessExit from Server 2022 (20348) on, so 17763's DLL has
// none and callers wait through HcsSetProcessCallback, whose HcsEventProcessExited event carries the
// ProcessStatus as on a host. The DLL refuses to create compute systems when the host (RtlGetVersion,
// i.e. the wine prefix's registry) reports another build, so a test cannot run a build's checks
// against the wrong fake; the properties document names the fake's build (FakeHcsBuild).
#include <windows.h>
#include <computecore.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/hcs/fakedll/fake_common.h"

namespace {

using nlohmann::json;
using fakehcs::Narrow;
using fakehcs::Widen;

// hcsshim internal/hcs/errors.go.
constexpr HRESULT kInvalidState = static_cast<HRESULT>(0xC0370105);
constexpr HRESULT kInvalidJson = static_cast<HRESULT>(0xC037010D);
constexpr HRESULT kSystemNotFound = static_cast<HRESULT>(0xC037010E);
constexpr HRESULT kAlreadyExists = static_cast<HRESULT>(0xC037010F);
constexpr HRESULT kAlreadyStopped = static_cast<HRESULT>(0xC0370110);
constexpr HRESULT kOperationTimeout = static_cast<HRESULT>(0x80370118);
constexpr HRESULT kProcessAlreadyStopped = static_cast<HRESULT>(0x8037011F);
constexpr HRESULT kElementNotFound = static_cast<HRESULT>(0x80070490);  // HRESULT_FROM_WIN32(ERROR_NOT_FOUND)
constexpr DWORD kAbortedExit = 1067;                                     // ERROR_PROCESS_ABORTED
constexpr DWORD kControlCExit = 0xC000013A;                              // STATUS_CONTROL_C_EXIT

struct Operation {
  bool done = false;
  HRESULT hr = S_OK;
  std::wstring result;
  HCS_PROCESS_INFORMATION info{};
  const void* context = nullptr;
  HCS_OPERATION_COMPLETION callback = nullptr;
};

struct System {
  std::wstring id;
  std::wstring dir;
};

struct Process {
  std::wstring system_dir;
  DWORD pid = 0;
  HANDLE handle = nullptr;  // null: the process could not be opened (gone)
  // HcsSetProcessCallback: a thread waits for the exit (or `closing`) and calls `callback` once.
  HCS_EVENT_CALLBACK callback = nullptr;
  void* context = nullptr;
  HANDLE watcher = nullptr;
  HANDLE closing = nullptr;
};

#ifndef FAKEHCS_BUILD
#error "FAKEHCS_BUILD must name the Windows build this fake stands for"
#endif

// The build the host reports (RtlGetVersion, as ocirun reads it).
DWORD HostBuild() {
  using Fn = LONG(WINAPI*)(OSVERSIONINFOW*);
  auto fn = reinterpret_cast<Fn>(reinterpret_cast<void*>(::GetProcAddress(::GetModuleHandleW(L"ntdll.dll"), "RtlGetVersion")));
  OSVERSIONINFOW v{};
  v.dwOSVersionInfoSize = sizeof v;
  return fn && fn(&v) == 0 ? v.dwBuildNumber : 0;
}

// One lock for every change to the store, across processes.
class StoreLock {
 public:
  StoreLock() : m_(::CreateMutexW(nullptr, FALSE, L"Local\\ocirun-fakehcs-store")) {
    if (m_) ::WaitForSingleObject(m_, INFINITE);
  }
  ~StoreLock() {
    if (!m_) return;
    ::ReleaseMutex(m_);
    ::CloseHandle(m_);
  }
  StoreLock(const StoreLock&) = delete;
  StoreLock& operator=(const StoreLock&) = delete;

 private:
  HANDLE m_;
};

// --- the store ---------------------------------------------------------------------------------

std::wstring SystemDir(const std::wstring& id) { return fakehcs::StoreRoot() + L"\\" + id; }

// "" when the system does not exist.
std::string ReadState(const std::wstring& dir) { return fakehcs::ReadFileText(dir + L"\\state").value_or(""); }
bool WriteState(const std::wstring& dir, const std::string& state) {
  return fakehcs::WriteFileAtomic(dir + L"\\state", state);
}

std::vector<DWORD> ReadPids(const std::wstring& dir) {
  std::vector<DWORD> pids;
  std::istringstream in(fakehcs::ReadFileText(dir + L"\\pids").value_or(""));
  for (unsigned long pid; in >> pid;) pids.push_back(static_cast<DWORD>(pid));
  return pids;
}

bool AddPid(const std::wstring& dir, DWORD pid) {
  std::string text = fakehcs::ReadFileText(dir + L"\\pids").value_or("");
  return fakehcs::WriteFileAtomic(dir + L"\\pids", text + std::to_string(pid) + "\n");
}

bool Alive(DWORD pid) {
  HANDLE h = ::OpenProcess(SYNCHRONIZE, FALSE, pid);
  if (!h) return false;
  bool alive = ::WaitForSingleObject(h, 0) == WAIT_TIMEOUT;
  ::CloseHandle(h);
  return alive;
}

std::vector<DWORD> LivePids(const std::wstring& dir) {
  std::vector<DWORD> live;
  for (DWORD pid : ReadPids(dir)) {
    if (Alive(pid)) live.push_back(pid);
  }
  return live;
}

void TerminatePids(const std::vector<DWORD>& pids, DWORD code) {
  for (DWORD pid : pids) {
    HANDLE h = ::OpenProcess(PROCESS_TERMINATE, FALSE, pid);
    if (!h) continue;
    ::TerminateProcess(h, code);
    ::CloseHandle(h);
  }
}

// NtSuspendProcess / NtResumeProcess on each pid (best effort).
void SuspendPids(const std::vector<DWORD>& pids, bool suspend) {
  using Fn = LONG(NTAPI*)(HANDLE);
  HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
  auto fn = reinterpret_cast<Fn>(
      reinterpret_cast<void*>(::GetProcAddress(ntdll, suspend ? "NtSuspendProcess" : "NtResumeProcess")));
  if (!fn) return;
  for (DWORD pid : pids) {
    HANDLE h = ::OpenProcess(PROCESS_SUSPEND_RESUME, FALSE, pid);
    if (!h) continue;
    fn(h);
    ::CloseHandle(h);
  }
}

// --- operations ------------------------------------------------------------------------------

std::wstring ErrorDocument(HRESULT hr, const std::string& message) {
  return Widen(json{{"Error", static_cast<int32_t>(hr)}, {"ErrorMessage", message}}.dump());
}

void Complete(HCS_OPERATION handle, HRESULT hr, const std::wstring& result, const HCS_PROCESS_INFORMATION* info = nullptr) {
  auto* op = reinterpret_cast<Operation*>(handle);
  op->done = true;
  op->hr = hr;
  op->result = result;
  if (info) op->info = *info;
  if (op->callback) op->callback(handle, const_cast<void*>(op->context));
}

HRESULT Fail(HCS_OPERATION op, HRESULT hr, const std::string& message) {
  Complete(op, hr, ErrorDocument(hr, message));
  return S_OK;
}

HRESULT Succeed(HCS_OPERATION op, const std::string& result = "") {
  Complete(op, S_OK, Widen(result));
  return S_OK;
}

std::optional<json> ParseJson(PCWSTR text) {
  if (!text || !*text) return json::object();
  json j = json::parse(Narrow(text), nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

// --- the create document ---------------------------------------------------------------------

// hcsshim's volumeGUIDRegex, by hand: \\?\Volume{8-4-4-4-12 hex}\ (the trailing backslash optional).
bool IsVolumeGuidPath(const std::string& path) {
  const std::string prefix = "\\\\?\\Volume{";
  if (path.rfind(prefix, 0) != 0) return false;
  std::string rest = path.substr(prefix.size());
  if (!rest.empty() && rest.back() == '\\') rest.pop_back();
  if (rest.size() != 37 || rest.back() != '}') return false;
  for (size_t i = 0; i < 36; ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? rest[i] != '-' : !std::isxdigit(static_cast<unsigned char>(rest[i]))) return false;
  }
  return true;
}

bool IsDir(const std::string& path) {
  DWORD attrs = ::GetFileAttributesW(Widen(path).c_str());
  return attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY);
}

// What the real HCS would refuse in a process-isolated container document, as far as a fake can
// tell; "" when acceptable.
std::string CheckDocument(const json& doc) {
  if (!doc.is_object() || !doc.contains("SchemaVersion")) return "the document has no SchemaVersion";
  if (doc.contains("VirtualMachine") || doc.contains("HostingSystemId") || doc.contains("HostedSystem")) {
    return "the fake HCS runs no utility VMs (Hyper-V isolation is not supported)";
  }
  if (!doc.contains("Container") || !doc["Container"].is_object()) return "the document has no Container";
  const json& storage = doc["Container"].value("Storage", json::object());
  const std::string path = storage.value("Path", "");
  if (!IsVolumeGuidPath(path)) return "Container.Storage.Path '" + path + "' is not a volume GUID path";
  for (const json& layer : storage.value("Layers", json::array())) {
    const std::string folder = layer.value("Path", "");
    if (layer.value("Id", "").empty() || !IsDir(folder)) return "layer '" + folder + "' has no Id or no folder";
  }
  return "";
}

}  // namespace

extern "C" {

// --- operations ------------------------------------------------------------------------------

HCS_OPERATION WINAPI HcsCreateOperation(const void* context, HCS_OPERATION_COMPLETION callback) {
  auto* op = new Operation;
  op->context = context;
  op->callback = callback;
  return reinterpret_cast<HCS_OPERATION>(op);
}

void WINAPI HcsCloseOperation(HCS_OPERATION operation) { delete reinterpret_cast<Operation*>(operation); }

HRESULT WINAPI HcsCancelOperation(HCS_OPERATION operation) { return operation ? S_OK : E_HANDLE; }

HRESULT WINAPI HcsGetOperationResultAndProcessInfo(HCS_OPERATION operation, HCS_PROCESS_INFORMATION* info,
                                                   PWSTR* result) {
  auto* op = reinterpret_cast<Operation*>(operation);
  if (!op) return E_HANDLE;
  if (result) *result = op->result.empty() ? nullptr : fakehcs::LocalString(op->result);
  if (!op->done) return static_cast<HRESULT>(0xC0370103);  // HCS_E_OPERATION_PENDING
  if (info) *info = op->info;
  return op->hr;
}

HRESULT WINAPI HcsGetOperationResult(HCS_OPERATION operation, PWSTR* result) {
  return HcsGetOperationResultAndProcessInfo(operation, nullptr, result);
}

// Operations complete inside the call that starts them: an operation still pending was never
// started, and waiting for it times out at once.
HRESULT WINAPI HcsWaitForOperationResultAndProcessInfo(HCS_OPERATION operation, DWORD, HCS_PROCESS_INFORMATION* info,
                                                       PWSTR* result) {
  auto* op = reinterpret_cast<Operation*>(operation);
  if (!op) return E_HANDLE;
  if (!op->done) {
    if (result) *result = nullptr;
    return kOperationTimeout;
  }
  return HcsGetOperationResultAndProcessInfo(operation, info, result);
}

HRESULT WINAPI HcsWaitForOperationResult(HCS_OPERATION operation, DWORD timeout, PWSTR* result) {
  return HcsWaitForOperationResultAndProcessInfo(operation, timeout, nullptr, result);
}

// --- compute systems -------------------------------------------------------------------------

HRESULT WINAPI HcsCreateComputeSystem(PCWSTR id, PCWSTR configuration, HCS_OPERATION operation,
                                      const SECURITY_DESCRIPTOR*, HCS_SYSTEM* computeSystem) {
  if (!id || !*id || !operation || !computeSystem) return E_INVALIDARG;
  std::optional<json> doc = ParseJson(configuration);
  if (!doc) return Fail(operation, kInvalidJson, "the compute system document is not JSON");
  if (std::string why = CheckDocument(*doc); !why.empty()) return Fail(operation, E_NOTIMPL, why);
  if (HostBuild() != static_cast<DWORD>(FAKEHCS_BUILD)) {
    return Fail(operation, E_UNEXPECTED, "this fake computecore.dll stands for build " + std::to_string(FAKEHCS_BUILD) +
                                             " but the host reports build " + std::to_string(HostBuild()));
  }
  const std::wstring dir = SystemDir(id);
  StoreLock lock;
  const std::string state = ReadState(dir);
  if (!state.empty() && state != "Stopped") {
    return Fail(operation, kAlreadyExists, "a compute system with id " + Narrow(id) + " already exists");
  }
  if (!fakehcs::MakeDirs(dir) || !fakehcs::WriteFileAtomic(dir + L"\\document.json", doc->dump(2)) ||
      !fakehcs::WriteFileAtomic(dir + L"\\pids", "") || !WriteState(dir, "Created")) {
    return Fail(operation, HRESULT_FROM_WIN32(::GetLastError()), "cannot write the fake system's state in " + Narrow(dir));
  }
  *computeSystem = reinterpret_cast<HCS_SYSTEM>(new System{id, dir});
  return Succeed(operation);
}

HRESULT WINAPI HcsOpenComputeSystem(PCWSTR id, DWORD, HCS_SYSTEM* computeSystem) {
  if (!id || !*id || !computeSystem) return E_INVALIDARG;
  const std::wstring dir = SystemDir(id);
  StoreLock lock;
  if (ReadState(dir).empty()) return kSystemNotFound;
  *computeSystem = reinterpret_cast<HCS_SYSTEM>(new System{id, dir});
  return S_OK;
}

void WINAPI HcsCloseComputeSystem(HCS_SYSTEM computeSystem) {
  auto* sys = reinterpret_cast<System*>(computeSystem);
  if (!sys) return;
  {
    StoreLock lock;
    if (ReadState(sys->dir) == "Stopped") fakehcs::RemoveDirFiles(sys->dir);
  }
  delete sys;
}

}  // extern "C"

namespace {

// A state change of `computeSystem`: from one of `from` to `to` (`action` runs on the live pids
// first); the system's absence, or a state outside `from`, fails the operation.
HRESULT Transition(HCS_SYSTEM computeSystem, HCS_OPERATION operation, const char* verb,
                   const std::set<std::string>& from, const std::string& to, void (*action)(const std::vector<DWORD>&)) {
  auto* sys = reinterpret_cast<System*>(computeSystem);
  if (!sys || !operation) return E_HANDLE;
  StoreLock lock;
  const std::string state = ReadState(sys->dir);
  if (state.empty()) return Fail(operation, kSystemNotFound, "compute system " + Narrow(sys->id) + " does not exist");
  if (!from.count(state)) {
    HRESULT hr = state == "Stopped" ? kAlreadyStopped : kInvalidState;
    return Fail(operation, hr, std::string("cannot ") + verb + " compute system " + Narrow(sys->id) + " in state " + state);
  }
  if (action) action(LivePids(sys->dir));
  if (!WriteState(sys->dir, to)) return Fail(operation, HRESULT_FROM_WIN32(::GetLastError()), "cannot record the state");
  return Succeed(operation);
}

void KillAll(const std::vector<DWORD>& pids) { TerminatePids(pids, kAbortedExit); }
void SuspendAll(const std::vector<DWORD>& pids) { SuspendPids(pids, true); }
void ResumeAll(const std::vector<DWORD>& pids) { SuspendPids(pids, false); }

}  // namespace

extern "C" {

HRESULT WINAPI HcsStartComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR) {
  return Transition(computeSystem, operation, "start", {"Created"}, "Running", nullptr);
}

HRESULT WINAPI HcsShutDownComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR) {
  return Transition(computeSystem, operation, "shut down", {"Created", "Running", "Paused"}, "Stopped", KillAll);
}

HRESULT WINAPI HcsTerminateComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR) {
  return Transition(computeSystem, operation, "terminate", {"Created", "Running", "Paused"}, "Stopped", KillAll);
}

HRESULT WINAPI HcsPauseComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR) {
  return Transition(computeSystem, operation, "pause", {"Running"}, "Paused", SuspendAll);
}

HRESULT WINAPI HcsResumeComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR) {
  return Transition(computeSystem, operation, "resume", {"Paused"}, "Running", ResumeAll);
}

// {"Id", "SystemType", "State", "Owner", "RuntimeOsType"} plus "ProcessList" when the query's
// PropertyTypes asks for it.
HRESULT WINAPI HcsGetComputeSystemProperties(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR propertyQuery) {
  auto* sys = reinterpret_cast<System*>(computeSystem);
  if (!sys || !operation) return E_HANDLE;
  std::optional<json> query = ParseJson(propertyQuery);
  if (!query) return Fail(operation, kInvalidJson, "the property query is not JSON");
  StoreLock lock;
  const std::string state = ReadState(sys->dir);
  if (state.empty()) return Fail(operation, kSystemNotFound, "compute system " + Narrow(sys->id) + " does not exist");
  json doc = json::parse(fakehcs::ReadFileText(sys->dir + L"\\document.json").value_or("{}"), nullptr, false);
  json props = {{"Id", Narrow(sys->id)}, {"SystemType", "Container"}, {"State", state}, {"RuntimeOsType", "Windows"},
                {"Owner", doc.is_object() ? doc.value("Owner", "") : ""}, {"FakeHcsBuild", FAKEHCS_BUILD}};
  for (const json& type : query->value("PropertyTypes", json::array())) {
    if (type != "ProcessList") continue;
    json list = json::array();
    for (DWORD pid : LivePids(sys->dir)) list.push_back({{"ProcessId", pid}, {"ImageName", ""}});
    props["ProcessList"] = list;
  }
  return Succeed(operation, props.dump());
}

HRESULT WINAPI HcsModifyComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR, HANDLE) {
  if (!computeSystem || !operation) return E_HANDLE;
  return Fail(operation, E_NOTIMPL, "the fake HCS does not modify compute systems");
}

}  // extern "C"

// --- processes -------------------------------------------------------------------------------

namespace {

// The caller's environment with `overrides` (names compared case-insensitively) replacing or added:
// a CREATE_UNICODE_ENVIRONMENT block.
std::wstring EnvironmentBlock(const json& overrides) {
  std::map<std::wstring, std::wstring, bool (*)(const std::wstring&, const std::wstring&)> vars(
      [](const std::wstring& a, const std::wstring& b) { return _wcsicmp(a.c_str(), b.c_str()) < 0; });
  wchar_t* env = ::GetEnvironmentStringsW();
  for (const wchar_t* p = env; p && *p; p += wcslen(p) + 1) {
    std::wstring entry(p);
    size_t eq = entry.find(L'=', 1);  // "=C:=C:\..." entries start with '='
    if (eq != std::wstring::npos) vars[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  if (env) ::FreeEnvironmentStringsW(env);
  if (overrides.is_object()) {
    for (const auto& [name, value] : overrides.items()) {
      vars[Widen(name)] = Widen(value.is_string() ? value.get<std::string>() : value.dump());
    }
  }
  std::wstring block;
  for (const auto& [name, value] : vars) block += name + L"=" + value + L'\0';
  block += L'\0';
  return block;
}

// One stdio pipe: `ours` for the caller (not inheritable), `theirs` for the process (inheritable).
struct Pipe {
  HANDLE ours = nullptr;
  HANDLE theirs = nullptr;
};

bool MakePipe(bool child_reads, Pipe& pipe) {
  SECURITY_ATTRIBUTES sa{sizeof sa, nullptr, TRUE};
  HANDLE read = nullptr, write = nullptr;
  if (!::CreatePipe(&read, &write, &sa, 0)) return false;
  pipe.theirs = child_reads ? read : write;
  pipe.ours = child_reads ? write : read;
  ::SetHandleInformation(pipe.ours, HANDLE_FLAG_INHERIT, 0);
  return true;
}

HANDLE OpenNul(bool write) {
  SECURITY_ATTRIBUTES sa{sizeof sa, nullptr, TRUE};
  return ::CreateFileW(L"NUL", write ? GENERIC_WRITE : GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
                       OPEN_EXISTING, 0, nullptr);
}

void CloseAll(std::initializer_list<HANDLE> handles) {
  for (HANDLE h : handles) {
    if (h && h != INVALID_HANDLE_VALUE) ::CloseHandle(h);
  }
}

// Starts `params` on the host. Fills `info` (our pipe ends) and `process`; returns the Win32 error.
DWORD Spawn(const json& params, HCS_PROCESS_INFORMATION& info, HANDLE& process) {
  // Pipes and inheritance are process-wide: one spawn at a time, so no process inherits another's
  // pipe ends (which would keep them from ending).
  static std::mutex spawn_lock;
  std::lock_guard<std::mutex> hold(spawn_lock);
  Pipe in, out, err;
  const bool want[3] = {params.value("CreateStdInPipe", false), params.value("CreateStdOutPipe", false),
                        params.value("CreateStdErrPipe", false)};
  if ((want[0] && !MakePipe(true, in)) || (want[1] && !MakePipe(false, out)) || (want[2] && !MakePipe(false, err))) {
    DWORD e = ::GetLastError();
    CloseAll({in.ours, in.theirs, out.ours, out.theirs, err.ours, err.theirs});
    return e;
  }
  STARTUPINFOW si{};
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = want[0] ? in.theirs : OpenNul(false);
  si.hStdOutput = want[1] ? out.theirs : OpenNul(true);
  si.hStdError = want[2] ? err.theirs : (want[1] ? out.theirs : OpenNul(true));
  std::wstring cmdline = Widen(params.value("CommandLine", ""));
  std::wstring cwd = Widen(params.value("WorkingDirectory", ""));
  std::wstring env = EnvironmentBlock(params.value("Environment", json::object()));
  // Like a container, the process inherits nothing of its caller but these three handles: without
  // the list it (and whatever it starts) would hold the caller's (the shim's) inheritable handles,
  // e.g. the file its output goes to, for as long as it lives.
  HANDLE inherit[3] = {si.hStdInput, si.hStdOutput, si.hStdError};
  const DWORD inherit_count = si.hStdError == si.hStdOutput ? 2 : 3;
  SIZE_T attr_size = 0;
  ::InitializeProcThreadAttributeList(nullptr, 1, 0, &attr_size);
  std::string attr_buf(attr_size, '\0');
  auto* attrs = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(attr_buf.data());
  ::InitializeProcThreadAttributeList(attrs, 1, 0, &attr_size);
  ::UpdateProcThreadAttribute(attrs, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherit, inherit_count * sizeof(HANDLE),
                              nullptr, nullptr);
  STARTUPINFOEXW six{};
  six.StartupInfo = si;
  six.StartupInfo.cb = sizeof six;
  six.lpAttributeList = attrs;
  PROCESS_INFORMATION pi{};
  BOOL ok = ::CreateProcessW(nullptr, cmdline.data(), nullptr, nullptr, TRUE,
                             CREATE_UNICODE_ENVIRONMENT | CREATE_NEW_PROCESS_GROUP | CREATE_NO_WINDOW |
                                 EXTENDED_STARTUPINFO_PRESENT,
                             env.data(), cwd.empty() ? nullptr : cwd.c_str(), &six.StartupInfo, &pi);
  DWORD e = ok ? 0 : ::GetLastError();
  ::DeleteProcThreadAttributeList(attrs);
  CloseAll({si.hStdInput, si.hStdOutput});
  if (si.hStdError != si.hStdOutput) CloseAll({si.hStdError});
  if (!ok) {
    CloseAll({in.ours, out.ours, err.ours});
    return e;
  }
  ::CloseHandle(pi.hThread);
  process = pi.hProcess;
  info = HCS_PROCESS_INFORMATION{pi.dwProcessId, 0, in.ours, out.ours, err.ours};
  return 0;
}

Process* AsProcess(HCS_PROCESS p) { return reinterpret_cast<Process*>(p); }

bool Exited(const Process& p) { return !p.handle || ::WaitForSingleObject(p.handle, 0) == WAIT_OBJECT_0; }

// {"ProcessId", "Exited", "ExitCode"} (schema2 ProcessStatus).
std::wstring StatusDocument(const Process& p) {
  DWORD code = 0;
  const bool exited = Exited(p);
  if (exited && p.handle) ::GetExitCodeProcess(p.handle, &code);
  return Widen(json{{"ProcessId", p.pid}, {"Exited", exited}, {"ExitCode", code}}.dump());
}

HRESULT Kill(HCS_PROCESS process, HCS_OPERATION operation, DWORD code) {
  Process* p = AsProcess(process);
  if (!p || !operation) return E_HANDLE;
  if (Exited(*p)) return Fail(operation, kProcessAlreadyStopped, "process " + std::to_string(p->pid) + " has exited");
  if (!::TerminateProcess(p->handle, code)) {
    return Fail(operation, HRESULT_FROM_WIN32(::GetLastError()), "terminate process " + std::to_string(p->pid));
  }
  ::WaitForSingleObject(p->handle, 5000);
  return Succeed(operation);
}

}  // namespace

extern "C" {

HRESULT WINAPI HcsCreateProcess(HCS_SYSTEM computeSystem, PCWSTR processParameters, HCS_OPERATION operation,
                                const SECURITY_DESCRIPTOR*, HCS_PROCESS* process) {
  auto* sys = reinterpret_cast<System*>(computeSystem);
  if (!sys || !operation || !process) return E_INVALIDARG;
  std::optional<json> params = ParseJson(processParameters);
  if (!params) return Fail(operation, kInvalidJson, "the process parameters are not JSON");
  if (params->value("CommandLine", "").empty()) return Fail(operation, E_INVALIDARG, "the process has no CommandLine");
  StoreLock lock;
  const std::string state = ReadState(sys->dir);
  if (state.empty()) return Fail(operation, kSystemNotFound, "compute system " + Narrow(sys->id) + " does not exist");
  if (state != "Running") {
    return Fail(operation, kInvalidState, "cannot create a process in compute system " + Narrow(sys->id) + " in state " + state);
  }
  HCS_PROCESS_INFORMATION info{};
  HANDLE handle = nullptr;
  if (DWORD e = Spawn(*params, info, handle); e != 0) {
    return Fail(operation, HRESULT_FROM_WIN32(e), "start '" + params->value("CommandLine", "") + "' on the host");
  }
  AddPid(sys->dir, info.ProcessId);
  *process = reinterpret_cast<HCS_PROCESS>(new Process{sys->dir, info.ProcessId, handle});
  Complete(operation, S_OK, L"", &info);
  return S_OK;
}

HRESULT WINAPI HcsOpenProcess(HCS_SYSTEM computeSystem, DWORD processId, DWORD, HCS_PROCESS* process) {
  auto* sys = reinterpret_cast<System*>(computeSystem);
  if (!sys || !process) return E_INVALIDARG;
  StoreLock lock;
  if (ReadState(sys->dir).empty()) return kSystemNotFound;
  std::vector<DWORD> pids = ReadPids(sys->dir);
  if (std::find(pids.begin(), pids.end(), processId) == pids.end()) return kElementNotFound;
  HANDLE h = ::OpenProcess(PROCESS_ALL_ACCESS, FALSE, processId);
  *process = reinterpret_cast<HCS_PROCESS>(new Process{sys->dir, processId, h});
  return S_OK;
}

// As the HCS: closing a process unregisters its callback and waits for a running invocation.
void WINAPI HcsCloseProcess(HCS_PROCESS process) {
  Process* p = AsProcess(process);
  if (!p) return;
  if (p->watcher) {
    ::SetEvent(p->closing);
    ::WaitForSingleObject(p->watcher, INFINITE);
    ::CloseHandle(p->watcher);
    ::CloseHandle(p->closing);
  }
  if (p->handle) ::CloseHandle(p->handle);
  delete p;
}

}  // extern "C"

namespace {

// The watcher thread of HcsSetProcessCallback: HcsEventProcessExited with the ProcessStatus once the
// process exits, nothing when the handle is closed first.
DWORD WINAPI WatchExit(void* arg) {
  Process* p = static_cast<Process*>(arg);
  HANDLE waits[2] = {p->closing, p->handle};
  DWORD got = p->handle ? ::WaitForMultipleObjects(2, waits, FALSE, INFINITE) : WAIT_OBJECT_0 + 1;
  if (got != WAIT_OBJECT_0 + 1) return 0;
  std::wstring status = StatusDocument(*p);
  HCS_EVENT event{HcsEventProcessExited, status.c_str(), nullptr};
  p->callback(&event, p->context);
  return 0;
}

}  // namespace

extern "C" {

HRESULT WINAPI HcsSetProcessCallback(HCS_PROCESS process, HCS_EVENT_OPTIONS, void* context, HCS_EVENT_CALLBACK callback) {
  Process* p = AsProcess(process);
  if (!p) return E_HANDLE;
  if (!callback) return E_INVALIDARG;
  if (p->watcher) return HRESULT_FROM_WIN32(ERROR_ALREADY_REGISTERED);  // one callback per handle here
  p->callback = callback;
  p->context = context;
  p->closing = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);
  p->watcher = p->closing ? ::CreateThread(nullptr, 0, WatchExit, p, 0, nullptr) : nullptr;
  if (!p->watcher) {
    DWORD e = ::GetLastError();
    if (p->closing) ::CloseHandle(p->closing);
    p->closing = nullptr;
    return HRESULT_FROM_WIN32(e);
  }
  return S_OK;
}

HRESULT WINAPI HcsTerminateProcess(HCS_PROCESS process, HCS_OPERATION operation, PCWSTR) {
  return Kill(process, operation, kAbortedExit);
}

// options: {"Signal": "CtrlC" | "CtrlBreak" | "CtrlClose" | "CtrlLogOff" | "CtrlShutdown"}.
HRESULT WINAPI HcsSignalProcess(HCS_PROCESS process, HCS_OPERATION operation, PCWSTR options) {
  if (!process || !operation) return E_HANDLE;
  std::optional<json> o = ParseJson(options);
  if (!o) return Fail(operation, kInvalidJson, "the signal options are not JSON");
  const std::string signal = o->value("Signal", "");
  if (signal == "CtrlC" || signal == "CtrlBreak") return Kill(process, operation, kControlCExit);
  if (signal == "CtrlClose" || signal == "CtrlLogOff" || signal == "CtrlShutdown") {
    return Kill(process, operation, kAbortedExit);
  }
  return Fail(operation, E_INVALIDARG, "unknown signal '" + signal + "'");
}

HRESULT WINAPI HcsGetProcessInfo(HCS_PROCESS process, HCS_OPERATION operation) {
  Process* p = AsProcess(process);
  if (!p || !operation) return E_HANDLE;
  HCS_PROCESS_INFORMATION info{p->pid, 0, nullptr, nullptr, nullptr};
  Complete(operation, S_OK, L"", &info);
  return S_OK;
}

HRESULT WINAPI HcsGetProcessProperties(HCS_PROCESS process, HCS_OPERATION operation, PCWSTR) {
  Process* p = AsProcess(process);
  if (!p || !operation) return E_HANDLE;
  Complete(operation, S_OK, StatusDocument(*p));
  return S_OK;
}

// settings: {"Operation": "CloseHandle", "CloseHandle": {"Handle": "StdIn"}} (the caller closes its
// end; nothing else to do) or {"Operation": "ConsoleSize", ...} (ignored: no console).
HRESULT WINAPI HcsModifyProcess(HCS_PROCESS process, HCS_OPERATION operation, PCWSTR settings) {
  if (!process || !operation) return E_HANDLE;
  std::optional<json> s = ParseJson(settings);
  if (!s) return Fail(operation, kInvalidJson, "the process settings are not JSON");
  const std::string op = s->value("Operation", "");
  if (op == "ConsoleSize") return Succeed(operation);
  if (op == "CloseHandle" && s->value("CloseHandle", json::object()).value("Handle", "") == "StdIn") {
    return Succeed(operation);
  }
  return Fail(operation, E_INVALIDARG, "unsupported process modification " + s->dump());
}

HRESULT WINAPI HcsWaitForProcessExit(HCS_PROCESS process, DWORD timeoutMs, PWSTR* result) {
  Process* p = AsProcess(process);
  if (!p) return E_HANDLE;
  if (result) *result = nullptr;
  if (p->handle && ::WaitForSingleObject(p->handle, timeoutMs) == WAIT_TIMEOUT) return kOperationTimeout;
  if (result) *result = fakehcs::LocalString(StatusDocument(*p));
  return S_OK;
}

}  // extern "C"
