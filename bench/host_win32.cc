#include <windows.h>

#include <algorithm>
#include <thread>

#include "base/win32_util.h"
#include "bench/host.h"
#include "bench/runner.h"
#include "conformance/host.h"

namespace ocicert::bench {

std::string MachineKind() {
  return "windows-" + conform::host::Info()["arch"] + "-" + std::to_string(std::thread::hardware_concurrency()) + "cpu";
}

namespace host {

std::map<std::string, std::string> Facts() {
  std::map<std::string, std::string> info = conform::host::Info();
  return {{"hostname", info["hostname"]}, {"kernel", info["kernel"]}, {"cpus", info["cpus"]}};
}

double ProcessCpuSeconds() {
  FILETIME created, exited, kernel, user;
  if (!::GetProcessTimes(::GetCurrentProcess(), &created, &exited, &kernel, &user)) return 0;
  auto seconds = [](const FILETIME& t) {  // 100 ns units
    return static_cast<double>((static_cast<uint64_t>(t.dwHighDateTime) << 32) | t.dwLowDateTime) / 1e7;
  };
  return seconds(kernel) + seconds(user);
}

bool WindowsContainers() { return true; }

std::string HypervProblem() {
  return "hyperv isolation is not driven by the bench on Windows yet (each case would need its utility VM "
         "set up and torn down outside the timed calls)";
}

std::string ContainerMemoryProblem() {
  return "per-container memory is not measured on Windows: the /proc and memory-cgroup figures have no "
         "equivalent the bench reads yet (HCS statistics or the container's job object would be)";
}

std::string SelfExecutable() {
  std::wstring buf(32768, L'\0');
  DWORD n = ::GetModuleFileNameW(nullptr, buf.data(), static_cast<DWORD>(buf.size()));
  return n == 0 ? "" : base::Narrow(buf.substr(0, n));
}

}  // namespace host
}  // namespace ocicert::bench
