// Host facts on Windows: the CurrentVersion registry key (build, UBR, edition, display version),
// RtlGetVersion, GlobalMemoryStatusEx, the CPU and BIOS keys (processor name, hypervisor vendor).
#include <windows.h>

#include <thread>

#include "base/win32_util.h"
#include "harness/host_identity.h"

namespace harness::host {
namespace {

constexpr wchar_t kCurrentVersion[] = L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";

std::string RegString(const wchar_t* key, const wchar_t* name) {
  wchar_t buf[512];
  DWORD size = sizeof buf;
  if (::RegGetValueW(HKEY_LOCAL_MACHINE, key, name, RRF_RT_REG_SZ, nullptr, buf, &size) != ERROR_SUCCESS) return "";
  return base::Narrow(std::wstring(buf));
}

std::string RegDword(const wchar_t* key, const wchar_t* name) {
  DWORD value = 0, size = sizeof value;
  if (::RegGetValueW(HKEY_LOCAL_MACHINE, key, name, RRF_RT_REG_DWORD, nullptr, &value, &size) != ERROR_SUCCESS)
    return "";
  return std::to_string(value);
}

// GetVersionEx lies to unmanifested programs; RtlGetVersion does not.
OSVERSIONINFOW RealVersion() {
  using RtlGetVersionFn = LONG(WINAPI*)(OSVERSIONINFOW*);
  OSVERSIONINFOW v{};
  v.dwOSVersionInfoSize = sizeof v;
  if (HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll")) {
    auto fn = reinterpret_cast<RtlGetVersionFn>(reinterpret_cast<void*>(::GetProcAddress(ntdll, "RtlGetVersion")));
    if (fn) fn(&v);
  }
  return v;
}

// Wine answers every registry query like Windows; its ntdll export gives it away.
bool UnderWine() {
  HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
  return ntdll && ::GetProcAddress(ntdll, "wine_get_version") != nullptr;
}

std::string Virtualization() {
  if (UnderWine()) return "wine";
  const wchar_t* bios = L"HARDWARE\\DESCRIPTION\\System\\BIOS";
  std::string kind = VirtualizationFromDmi(RegString(bios, L"SystemManufacturer"), RegString(bios, L"SystemProductName"));
  return kind.empty() ? "none" : kind;
}

std::string Arch() {
  SYSTEM_INFO si;
  ::GetNativeSystemInfo(&si);
  if (si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_AMD64) return "x86_64";
  if (si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_ARM64) return "aarch64";
  return "other";
}

}  // namespace

reports::HostFacts CollectHostFacts() {
  reports::HostFacts h;
  wchar_t name[MAX_COMPUTERNAME_LENGTH + 1];
  DWORD n = MAX_COMPUTERNAME_LENGTH + 1;
  if (::GetComputerNameW(name, &n)) h.hostname = base::Narrow(std::wstring(name, n));
  OSVERSIONINFOW v = RealVersion();
  h.os_family = "windows";
  h.os = RegString(kCurrentVersion, L"ProductName");
  h.edition = RegString(kCurrentVersion, L"EditionID");
  h.build = RegString(kCurrentVersion, L"CurrentBuildNumber");
  if (h.build.empty() && v.dwBuildNumber) h.build = std::to_string(v.dwBuildNumber);
  h.ubr = RegDword(kCurrentVersion, L"UBR");
  h.display_version = RegString(kCurrentVersion, L"DisplayVersion");
  h.kernel = "Windows NT " + std::to_string(v.dwMajorVersion) + "." + std::to_string(v.dwMinorVersion) + " build " +
             h.build + (h.ubr.empty() ? "" : "." + h.ubr);
  h.arch = Arch();
  h.cgroup = "n/a";
  h.cpu_model = RegString(L"HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0", L"ProcessorNameString");
  h.cpus = static_cast<int>(std::thread::hardware_concurrency());
  MEMORYSTATUSEX mem{};
  mem.dwLength = sizeof mem;
  if (::GlobalMemoryStatusEx(&mem)) h.memory_bytes = mem.ullTotalPhys;
  h.virtualization = Virtualization();
  return h;
}

}  // namespace harness::host
