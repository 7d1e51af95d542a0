#include "bench/memory.h"

#include <sstream>

#include "base/file.h"

namespace ocicert::bench {
namespace {

int64_t ParseInt(const std::string& s) {
  try {
    return std::stoll(s);
  } catch (...) {
    return -1;
  }
}

}  // namespace

std::string MemoryCgroupPath(const std::string& text, bool* v2) {
  std::istringstream in(text);
  std::string line, unified;
  while (std::getline(in, line)) {
    // hierarchy-id:controller-list:path
    size_t a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    std::string controllers = line.substr(a + 1, b - a - 1), path = line.substr(b + 1);
    std::istringstream list(controllers);
    std::string c;
    while (std::getline(list, c, ','))
      if (c == "memory") {
        *v2 = false;
        return path;
      }
    if (line.compare(0, 3, "0::") == 0) unified = path;
  }
  *v2 = !unified.empty();
  return unified;
}

base::Result<ContainerMemory> MeasureProcessMemory(int pid, const std::string& proc, const std::string& cgroupfs) {
  std::string dir = proc + "/" + std::to_string(pid);
  ASSIGN_OR_RETURN_CTX(std::string status, base::ReadFile(dir + "/status"), "process " + std::to_string(pid));
  ContainerMemory m;
  size_t at = status.find("VmRSS:");
  if (at != std::string::npos) m.init_rss_kb = ParseInt(status.substr(at + 6));
  bool v2 = false;
  std::string path = MemoryCgroupPath(base::ReadFile(dir + "/cgroup").value_or(""), &v2);
  if (path.empty()) return m;
  std::string file = v2 ? cgroupfs + "/unified" + path + "/memory.current"
                        : cgroupfs + "/memory" + path + "/memory.usage_in_bytes";
  auto usage = base::ReadFile(file);
  if (!usage.ok() && v2) usage = base::ReadFile(cgroupfs + path + "/memory.current");  // pure v2 host
  if (usage.ok()) {
    int64_t bytes = ParseInt(*usage);
    if (bytes >= 0) m.cgroup_kb = bytes / 1024;
  }
  return m;
}

}  // namespace ocicert::bench
