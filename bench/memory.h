// Memory a running container costs the host, read from /proc and the memory cgroup of its init.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"

namespace ocicert::bench {

struct ContainerMemory {
  int64_t cgroup_kb = -1;    // memory.usage_in_bytes (v1) or memory.current (v2) of init's cgroup; -1 unknown
  int64_t init_rss_kb = -1;  // VmRSS of the init process; -1 unknown
};

// Reads the memory of process `pid`'s memory cgroup and its own RSS. `proc` and `cgroupfs` are the
// mount points (parameters for tests). Fails only when the process is gone.
base::Result<ContainerMemory> MeasureProcessMemory(int pid, const std::string& proc = "/proc",
                                                   const std::string& cgroupfs = "/sys/fs/cgroup");

// The memory cgroup path of a /proc/<pid>/cgroup text: the v1 "memory" line, else the v2 "0::" line
// (with `v2` set). Empty when neither is there.
std::string MemoryCgroupPath(const std::string& proc_cgroup_text, bool* v2);

}  // namespace ocicert::bench
