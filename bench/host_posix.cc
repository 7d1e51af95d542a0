#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "bench/host.h"
#include "bench/runner.h"

namespace ocicert::bench {

std::string MachineKind() {
  struct utsname u {};
  ::uname(&u);
  std::string os = u.sysname;
  std::transform(os.begin(), os.end(), os.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return os + "-" + u.machine + "-" + std::to_string(std::thread::hardware_concurrency()) + "cpu";
}

namespace host {

std::map<std::string, std::string> Facts() {
  struct utsname u {};
  ::uname(&u);
  return {{"hostname", u.nodename}, {"kernel", u.release}, {"cpus", std::to_string(std::thread::hardware_concurrency())}};
}

double ProcessCpuSeconds() {
  struct rusage ru {};
  ::getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

bool WindowsContainers() { return false; }

std::string HypervProblem() {
  if (::access("/dev/kvm", R_OK | W_OK) != 0)
    return "hyperv isolation needs a usable /dev/kvm for the utility VM; it is not usable here";
  return "";
}

std::string ContainerMemoryProblem() { return ""; }

std::string SelfExecutable() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "" : self.string();
}

}  // namespace host
}  // namespace ocicert::bench
