#include <io.h>
#include <cstdint>
#include <windows.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>

#include "base/win32_util.h"
#include "harness/host.h"

namespace harness::host {
namespace {

// Console control events (Ctrl+C, Ctrl+Break, the console closing) arrive on a thread the system
// creates; at most one watch is active at a time (RunConformance makes one per run).
std::mutex watch_mu;
std::function<void()>* active_cleanup = nullptr;
std::atomic<int> interrupts{0};

BOOL WINAPI OnConsoleEvent(DWORD event) {
  if (event != CTRL_C_EVENT && event != CTRL_BREAK_EVENT && event != CTRL_CLOSE_EVENT) return FALSE;
  if (++interrupts == 1) {
    Interrupted() = true;
    std::fprintf(stderr, "\nocicert: interrupted, cleaning up (again to force)\n");
    return TRUE;
  }
  std::lock_guard<std::mutex> lock(watch_mu);
  if (active_cleanup) (*active_cleanup)();
  std::_Exit(130);
}

class ConsoleWatch final : public InterruptWatch {
 public:
  explicit ConsoleWatch(std::function<void()> force_cleanup) : cleanup_(std::move(force_cleanup)) {
    std::lock_guard<std::mutex> lock(watch_mu);
    active_cleanup = &cleanup_;
    interrupts = 0;
    ::SetConsoleCtrlHandler(OnConsoleEvent, TRUE);
  }
  ~ConsoleWatch() override {
    ::SetConsoleCtrlHandler(OnConsoleEvent, FALSE);
    std::lock_guard<std::mutex> lock(watch_mu);
    active_cleanup = nullptr;
  }

 private:
  std::function<void()> cleanup_;
};

}  // namespace

std::map<std::string, std::string> Info() {
  std::map<std::string, std::string> host;
  wchar_t name[MAX_COMPUTERNAME_LENGTH + 1];
  DWORD n = MAX_COMPUTERNAME_LENGTH + 1;
  if (::GetComputerNameW(name, &n)) host["hostname"] = base::Narrow(std::wstring(name, n));
  // GetVersionEx lies to unmanifested programs; RtlGetVersion does not.
  using RtlGetVersionFn = LONG(WINAPI*)(OSVERSIONINFOW*);
  OSVERSIONINFOW v{};
  v.dwOSVersionInfoSize = sizeof v;
  if (HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll")) {
    auto fn = reinterpret_cast<RtlGetVersionFn>(reinterpret_cast<void*>(::GetProcAddress(ntdll, "RtlGetVersion")));
    if (fn && fn(&v) == 0) {
      host["os"] = "Windows " + std::to_string(v.dwMajorVersion) + "." + std::to_string(v.dwMinorVersion) + "." +
                   std::to_string(v.dwBuildNumber);
      host["kernel"] = "Windows NT " + std::to_string(v.dwMajorVersion) + "." + std::to_string(v.dwMinorVersion) +
                       " build " + std::to_string(v.dwBuildNumber);
    }
  }
  SYSTEM_INFO si;
  ::GetNativeSystemInfo(&si);
  host["arch"] = si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_AMD64   ? "x86_64"
                 : si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_ARM64 ? "aarch64"
                                                                              : "other";
  host["cpus"] = std::to_string(std::thread::hardware_concurrency());
  return host;
}

std::string MachineKind() {
  return "windows-" + Info()["arch"] + "-" + std::to_string(std::thread::hardware_concurrency()) + "cpu";
}

bool WindowsContainers() { return true; }

int SelfPid() { return static_cast<int>(::GetCurrentProcessId()); }

std::string SelfExecutable() {
  std::wstring buf(32768, L'\0');
  DWORD n = ::GetModuleFileNameW(nullptr, buf.data(), static_cast<DWORD>(buf.size()));
  return n == 0 ? "" : base::Narrow(buf.substr(0, n));
}

double ProcessCpuSeconds() {
  FILETIME created, exited, kernel, user;
  if (!::GetProcessTimes(::GetCurrentProcess(), &created, &exited, &kernel, &user)) return 0;
  auto seconds = [](const FILETIME& t) {  // 100 ns units
    return static_cast<double>((static_cast<uint64_t>(t.dwHighDateTime) << 32) | t.dwLowDateTime) / 1e7;
  };
  return seconds(kernel) + seconds(user);
}

bool StderrIsTerminal() { return ::_isatty(2) != 0; }

bool PidAlive(int pid) {
  if (pid <= 0) return false;
  base::UniqueHandle h(::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE, FALSE, static_cast<DWORD>(pid)));
  if (!h) return ::GetLastError() == ERROR_ACCESS_DENIED;  // exists, not ours to open
  return ::WaitForSingleObject(h.get(), 0) == WAIT_TIMEOUT;
}

std::string TempDir() {
  wchar_t buf[MAX_PATH + 1];
  DWORD n = ::GetTempPathW(MAX_PATH + 1, buf);
  std::string dir = n ? base::Narrow(std::wstring(buf, n)) : "C:\\Windows\\Temp\\";
  while (dir.size() > 3 && (dir.back() == '\\' || dir.back() == '/')) dir.pop_back();
  return dir;
}

bool IsExecutable(const std::string& path) {
  std::error_code ec;
  return !path.empty() && std::filesystem::is_regular_file(std::filesystem::path(base::Widen(path)), ec);
}

std::string Absolute(const std::string& path) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(std::filesystem::path(base::Widen(path)), ec);
  return ec ? path : base::Narrow(abs.wstring());
}

std::string NativePath(const std::string& path) {
  std::string out = path;
  for (char& c : out)
    if (c == '/') c = '\\';
  return out;
}

std::string HypervProblem() {
  return "hyperv isolation is not driven by the bench on Windows yet (each case would need its utility VM "
         "set up and torn down outside the timed calls)";
}

std::string ContainerMemoryProblem() {
  return "per-container memory is not measured on Windows: the /proc and memory-cgroup figures have no "
         "equivalent the bench reads yet (HCS statistics or the container's job object would be)";
}

bool RemoveTree(const std::string& path) {
  // The entries are listed once, then each is deleted once, files before their folders, deepest first.
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path root(base::Widen(path));
  std::vector<fs::path> entries;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    entries.push_back(it->path());
  }
  std::sort(entries.begin(), entries.end(), [](const fs::path& a, const fs::path& b) {
    return a.native().size() > b.native().size();
  });
  for (const fs::path& e : entries) {
    ::SetFileAttributesW(e.c_str(), FILE_ATTRIBUTE_NORMAL);
    if (!::DeleteFileW(e.c_str())) ::RemoveDirectoryW(e.c_str());
  }
  ::RemoveDirectoryW(root.c_str());
  return ::GetFileAttributesW(root.c_str()) == INVALID_FILE_ATTRIBUTES;
}

// Windows containers leave no cgroups or mounts on the host; a runtime's leftovers there are compute
// systems and mounted scratch layers, which `delete --force` (run by the case cleanup) removes.
std::vector<std::string> RemoveLeftovers(const std::vector<std::string>&, const std::string&) { return {}; }

std::unique_ptr<InterruptWatch> WatchInterrupts(std::function<void()> force_cleanup) {
  return std::make_unique<ConsoleWatch>(std::move(force_cleanup));
}

}  // namespace harness::host
