// Shared pieces of the v1 and v2 cgroup managers (private to runtime/linux/cgroup_*.cc).
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/linux/cgroup.h"

namespace ocirun::linux::internal {

// Poll budget for freeze/thaw: 100 polls 1 ms apart, then 10 ms apart, ~5 s in all.
inline constexpr int kFreezePolls = 590;
// rmdir retries while tasks exit: same schedule.
inline constexpr int kRemovePolls = 590;
std::chrono::microseconds PollDelay(int attempt);

class CgroupBase : public CgroupManager {
 public:
  CgroupBase(CgroupPaths paths, CgroupOs& os) : paths_(std::move(paths)), os_(os) {}

  const CgroupPaths& Paths() const override { return paths_; }
  base::Status AddProcess(pid_t pid) override;
  base::Result<std::vector<pid_t>> Pids() override;
  base::Status KillAll(int signo) override;
  base::Status Destroy() override;
  bool Exists() override { return os_.Exists(PrimaryDir()); }

 protected:
  // The directory pids and existence are read from.
  virtual std::string PrimaryDir() const = 0;
  // Each hierarchy directory once (comounted controllers share one).
  std::set<std::string> DistinctDirs() const;
  // mkdir -p; `on_new` runs for every directory this call created, parents first.
  base::Status MakeDirs(const std::string& dir,
                        const std::function<base::Status(const std::string&)>& on_new);
  // Writes `value` to dir/file for the OCI field `field` ("linux.resources.memory.limit"). A
  // missing dir or file is kUnimplemented naming the field; a kernel refusal keeps its errno.
  base::Status SetField(std::string_view field, const std::string& dir, std::string_view file,
                        const std::string& value);
  // Polls `done` with PollDelay until it returns true, an error, or `polls` run out (false).
  base::Result<bool> PollUntil(int polls, const std::function<base::Result<bool>()>& done);
  base::Status RemoveTree(const std::string& dir);
  base::Status CollectPids(const std::string& dir, std::set<pid_t>& out);

  CgroupPaths paths_;
  CgroupOs& os_;
};

std::unique_ptr<CgroupManager> NewV1Manager(CgroupPaths paths, CgroupOs& os);
std::unique_ptr<CgroupManager> NewV2Manager(CgroupPaths paths, CgroupOs& os);

// The four blockIO throttle lists with their OCI field, v1 file and v2 io.max key.
struct ThrottleList {
  const char* field;    // "linux.resources.blockIO.throttleReadBpsDevice"
  const char* v1_file;  // "blkio.throttle.read_bps_device"
  const char* v2_key;   // "rbps"
  const std::vector<CgroupThrottleDevice>* devices;
};
std::vector<ThrottleList> ThrottleLists(const CgroupResources::BlockIo& b);

// "8:0 1048576" style device lines.
std::string DeviceLine(int64_t major, int64_t minor, std::string_view value);
std::string Trim(std::string_view s);
// A decimal integer with optional surrounding whitespace; nullopt otherwise.
std::optional<int64_t> ParseInt(std::string_view s);

}  // namespace ocirun::linux::internal
