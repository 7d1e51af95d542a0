// Cgroup manager for the Linux backend: cgroup v1, v2 and the hybrid layout (v1 controllers under
// /sys/fs/cgroup/<ctrl> plus a v2 mount at /sys/fs/cgroup/unified; like runc, hybrid uses the v1
// controllers). Every kernel touch (cgroupfs reads/writes, mkdir/rmdir, kill, sleep) goes through
// CgroupOs, so the logic is unit-tested with FakeCgroupOs (cgroup_fake_os.h) and no root.
//
// Typical use (create):   ASSIGN_OR_RETURN(auto cg, NewCgroupManager({spec cgroupsPath, id}));
//                         RETURN_IF_ERROR(cg->Create()); RETURN_IF_ERROR(cg->Apply(resources));
//                         RETURN_IF_ERROR(cg->AddProcess(pid)); store cg->Paths().Serialize();
// Later commands:         ASSIGN_OR_RETURN(auto cg, LoadCgroupManager(CgroupPaths::Parse(stored)));
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace ocirun::linux {

// ---- Resources ---------------------------------------------------------------------------------
// The cgroup layer's own copy of OCI linux.resources (as runc's configs.Resources is to
// specs.LinuxResources): every field optional; unset fields are left alone. Field names follow the
// spec so error messages can name "linux.resources.<group>.<field>". ResourcesFromSpec() in
// cgroup_spec.h converts the typed OCI model.

struct CgroupThrottleDevice {
  int64_t major = 0;
  int64_t minor = 0;
  uint64_t rate = 0;
};
struct CgroupWeightDevice {
  int64_t major = 0;
  int64_t minor = 0;
  std::optional<uint16_t> weight;
  std::optional<uint16_t> leaf_weight;
};
struct CgroupDeviceRule {
  bool allow = false;
  std::string type = "a";  // a, c, b
  std::optional<int64_t> major;  // absent: any (*)
  std::optional<int64_t> minor;
  std::string access = "rwm";
};

struct CgroupResources {
  struct Memory {
    std::optional<int64_t> limit, reservation, swap, kernel, kernel_tcp;
    std::optional<uint64_t> swappiness;
    std::optional<bool> disable_oom_killer;
  };
  struct Cpu {
    std::optional<uint64_t> shares;
    std::optional<int64_t> quota;
    std::optional<uint64_t> burst;
    std::optional<uint64_t> period;
    std::optional<int64_t> realtime_runtime;
    std::optional<uint64_t> realtime_period;
    std::optional<std::string> cpus, mems;
    std::optional<int64_t> idle;
  };
  struct Pids {
    std::optional<int64_t> limit;  // <= 0: unlimited ("max")
  };
  struct BlockIo {
    std::optional<uint16_t> weight, leaf_weight;
    std::vector<CgroupWeightDevice> weight_device;
    std::vector<CgroupThrottleDevice> throttle_read_bps, throttle_write_bps;
    std::vector<CgroupThrottleDevice> throttle_read_iops, throttle_write_iops;
  };
  std::optional<Memory> memory;
  std::optional<Cpu> cpu;
  std::optional<Pids> pids;
  std::optional<BlockIo> block_io;
  // linux.resources.hugepageLimits: v1 hugetlb.<size>.limit_in_bytes, v2 hugetlb.<size>.max.
  struct Hugetlb {
    std::string page_size;  // "2MB", "1GB": as in the controller's file names
    uint64_t limit = 0;     // bytes
  };
  std::vector<Hugetlb> hugetlb;
  // linux.resources.devices. Applied on v1 (devices cgroup) at Create-time Apply: deny all, then
  // these rules, then runc's default allow list (null, zero, full, tty, random, urandom, ptmx, pts).
  // nullopt: devices are left alone (what `update` does).
  std::optional<std::vector<CgroupDeviceRule>> devices;
  // linux.resources.unified (v2 only: file name -> value).
  std::map<std::string, std::string> unified;
};

// ---- The narrow OS interface -------------------------------------------------------------------

class CgroupOs {
 public:
  virtual ~CgroupOs() = default;
  // Whole-file read. kNotFound when the file does not exist.
  virtual base::Result<std::string> Read(const std::string& path) = 0;
  // One write(2) of `data` to an existing file (cgroupfs files take one value per write).
  virtual base::Status Write(const std::string& path, std::string_view data) = 0;
  virtual bool Exists(const std::string& path) = 0;
  // mkdir(2) of one directory; EEXIST is an error (kAlreadyExists), the caller decides.
  virtual base::Status MakeDir(const std::string& path) = 0;
  // rmdir(2). kNotFound when missing; kIo with os_error EBUSY while tasks remain.
  virtual base::Status RemoveDir(const std::string& path) = 0;
  // Names of the subdirectories of `path` (not recursive).
  virtual base::Result<std::vector<std::string>> SubDirs(const std::string& path) = 0;
  // kill(2). ESRCH is reported as kNotFound.
  virtual base::Status Kill(pid_t pid, int signo) = 0;
  virtual void Sleep(std::chrono::microseconds d) = 0;
};

// The real kernel.
CgroupOs& RealCgroupOs();

// ---- Layout ------------------------------------------------------------------------------------

enum class CgroupLayout { kV1, kV2, kHybrid };
std::string_view LayoutName(CgroupLayout layout);

struct CgroupMounts {
  CgroupLayout layout = CgroupLayout::kV1;
  // v1 controller name -> mount point ("cpu" -> "/sys/fs/cgroup/cpu"); comounted controllers
  // ("cpu,cpuacct") each map to the same mount point. Named hierarchies (name=systemd) are skipped.
  std::map<std::string, std::string> v1;
  // v1 controller -> the hierarchy root seen in mountinfo (field 4; "/" except inside cgroupns).
  std::map<std::string, std::string> v1_roots;
  std::string unified;  // the cgroup2 mount point, empty when none
};

// Parses /proc/self/mountinfo text. kV2 when only a cgroup2 mount has controllers, kHybrid when v1
// controllers and a cgroup2 mount coexist, kV1 otherwise. kNotFound when no cgroup fs is mounted.
base::Result<CgroupMounts> ParseCgroupMounts(std::string_view mountinfo);

// Parses /proc/self/cgroup: controller -> cgroup path; the v2 entry ("0::/x") has key "".
// "name=systemd" keeps its name. Comounted "cpu,cpuacct" yields both keys.
std::map<std::string, std::string> ParseProcCgroup(std::string_view text);

// ---- Resolved paths (what the state store persists) --------------------------------------------

struct CgroupPaths {
  CgroupLayout layout = CgroupLayout::kV1;
  // v1: controller -> absolute directory; v2: the single key "unified" -> absolute directory.
  std::map<std::string, std::string> dirs;

  // Compact JSON {"layout":"v1","dirs":{...}}, and back. Parse fails with kInvalidArgument.
  std::string Serialize() const;
  static base::Result<CgroupPaths> Parse(std::string_view json);
};

struct CgroupConfig {
  // linux.cgroupsPath. Absolute: relative to each hierarchy root. Relative: relative to the calling
  // process's own cgroup (as runc does). Absent: <own cgroup>/<container_id>. runc's systemd form
  // "slice:prefix:name" is refused with kInvalidArgument naming linux.cgroupsPath.
  std::optional<std::string> cgroups_path;
  std::string container_id;
};

// Resolves the directories for `config` on this host (reads mountinfo and /proc/self/cgroup
// through `os`). Rejects ".." components. Does not create anything.
base::Result<CgroupPaths> ResolveCgroupPaths(const CgroupConfig& config, CgroupOs& os);

// ---- The manager -------------------------------------------------------------------------------

class CgroupManager {
 public:
  virtual ~CgroupManager() = default;

  virtual const CgroupPaths& Paths() const = 0;
  // mkdir -p in every hierarchy (v1: copies cpuset.cpus/mems down; v2: enables the available
  // controllers in the ancestors' cgroup.subtree_control). An existing directory is reused.
  virtual base::Status Create() = 0;
  // Writes every set field. A field this host cannot apply fails with kUnimplemented or kIo and a
  // message naming it ("linux.resources.blockIO.weight: ..."). Also used by `ocirun update`.
  virtual base::Status Apply(const CgroupResources& resources) = 0;
  // Moves `pid` into the cgroup in every hierarchy.
  virtual base::Status AddProcess(pid_t pid) = 0;
  // Freezes and returns only once the kernel reports the cgroup frozen (v1 freezer.state FROZEN,
  // v2 cgroup.events "frozen 1"); kTimeout when that does not happen in time (and thaws back).
  virtual base::Status Freeze() = 0;
  // Thaws and waits for it. kUnimplemented when the host has no freezer.
  virtual base::Status Thaw() = 0;
  // False when the cgroup does not exist or the host has no freezer.
  virtual base::Result<bool> IsFrozen() = 0;
  // Every pid in the cgroup and its descendants, sorted, without duplicates.
  virtual base::Result<std::vector<pid_t>> Pids() = 0;
  // Sends `signo` to every pid (freezing around it so nothing escapes by forking, as runc does).
  virtual base::Status KillAll(int signo) = 0;
  // Removes the directories (descendants first) in every hierarchy, retrying while processes exit.
  // Missing directories are fine. kTimeout/kIo when tasks remain.
  virtual base::Status Destroy() = 0;
  // True when the cgroup directory exists in the primary hierarchy.
  virtual bool Exists() = 0;
};

// Manager for resolved paths. `os` must outlive the manager.
base::Result<std::unique_ptr<CgroupManager>> LoadCgroupManager(const CgroupPaths& paths,
                                                               CgroupOs& os = RealCgroupOs());
// ResolveCgroupPaths + LoadCgroupManager.
base::Result<std::unique_ptr<CgroupManager>> NewCgroupManager(const CgroupConfig& config,
                                                              CgroupOs& os = RealCgroupOs());

}  // namespace ocirun::linux
