// The `linux` section of config.json (config-linux.md), runtime-spec 1.0 to 1.3.
// Conventions as in specs/spec.h: optional where absence matters, `extra` keeps unknown keys.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

// GNU dialects predefine `linux` as 1; the model uses it as a member name (spec.linux).
#ifdef linux
#undef linux
#endif

namespace ocispec {

// A user namespace or idmapped-mount range: container ids [container_id, +size) map to host_id.
struct IdMapping {
  uint32_t container_id = 0;  // JSON "containerID"
  uint32_t host_id = 0;       // JSON "hostID"
  uint32_t size = 0;
  nlohmann::json extra;
};

// linux.namespaces entry: type is pid|network|mount|ipc|uts|user|cgroup|time; path joins one.
struct Namespace {
  std::string type;
  std::optional<std::string> path;
  nlohmann::json extra;
};

// linux.timeOffsets value (1.1+), keyed "boottime" / "monotonic".
struct TimeOffset {
  std::optional<int64_t> secs;
  std::optional<uint32_t> nanosecs;
  nlohmann::json extra;
};

// linux.devices entry: a device node created in the container.
struct LinuxDevice {
  std::string type;  // c, b, u or p
  std::string path;  // REQUIRED, absolute in the container
  std::optional<int64_t> major;
  std::optional<int64_t> minor;
  std::optional<uint32_t> file_mode;
  std::optional<uint32_t> uid;
  std::optional<uint32_t> gid;
  nlohmann::json extra;
};

// linux.resources.devices entry: a device cgroup allow/deny rule.
struct DeviceCgroupRule {
  bool allow = false;  // REQUIRED
  std::optional<std::string> type;
  std::optional<int64_t> major;
  std::optional<int64_t> minor;
  std::optional<std::string> access;  // subset of "rwm"
  nlohmann::json extra;
};

struct LinuxMemory {
  std::optional<int64_t> limit;
  std::optional<int64_t> reservation;
  std::optional<int64_t> swap;
  std::optional<int64_t> kernel;      // deprecated
  std::optional<int64_t> kernel_tcp;  // JSON "kernelTCP"
  std::optional<uint64_t> swappiness;
  std::optional<bool> disable_oom_killer;
  std::optional<bool> use_hierarchy;
  std::optional<bool> check_before_update;
  nlohmann::json extra;
};

struct LinuxCpu {
  std::optional<uint64_t> shares;
  std::optional<int64_t> quota;
  std::optional<uint64_t> burst;
  std::optional<uint64_t> period;
  std::optional<int64_t> realtime_runtime;
  std::optional<uint64_t> realtime_period;
  std::optional<std::string> cpus;
  std::optional<std::string> mems;
  std::optional<int64_t> idle;
  nlohmann::json extra;
};

struct WeightDevice {
  int64_t major = 0;
  int64_t minor = 0;
  std::optional<uint16_t> weight;
  std::optional<uint16_t> leaf_weight;
  nlohmann::json extra;
};

struct ThrottleDevice {
  int64_t major = 0;
  int64_t minor = 0;
  uint64_t rate = 0;
  nlohmann::json extra;
};

struct LinuxBlockIo {
  std::optional<uint16_t> weight;
  std::optional<uint16_t> leaf_weight;
  std::vector<WeightDevice> weight_device;
  std::vector<ThrottleDevice> throttle_read_bps_device;
  std::vector<ThrottleDevice> throttle_write_bps_device;
  std::vector<ThrottleDevice> throttle_read_iops_device;
  std::vector<ThrottleDevice> throttle_write_iops_device;
  nlohmann::json extra;
};

struct HugepageLimit {
  std::string page_size;  // "2MB", "1GB"
  uint64_t limit = 0;
  nlohmann::json extra;
};

struct NetPriority {
  std::string name;
  uint32_t priority = 0;
  nlohmann::json extra;
};

struct LinuxNetwork {
  std::optional<uint32_t> class_id;  // JSON "classID"
  std::vector<NetPriority> priorities;
  nlohmann::json extra;
};

struct LinuxPids {
  int64_t limit = 0;  // REQUIRED when pids is present
  nlohmann::json extra;
};

struct RdmaLimit {
  std::optional<uint32_t> hca_handles;
  std::optional<uint32_t> hca_objects;
  nlohmann::json extra;
};

// linux.resources: also the document of `ocirun update -r` (ParseLinuxResources).
struct LinuxResources {
  std::vector<DeviceCgroupRule> devices;
  std::optional<LinuxMemory> memory;
  std::optional<LinuxCpu> cpu;
  std::optional<LinuxBlockIo> block_io;  // JSON "blockIO"
  std::vector<HugepageLimit> hugepage_limits;
  std::optional<LinuxNetwork> network;
  std::optional<LinuxPids> pids;
  std::map<std::string, RdmaLimit> rdma;
  std::map<std::string, std::string> unified;  // cgroup v2 files
  nlohmann::json extra;
};

// linux.intelRdt (resctrl).
struct IntelRdt {
  std::optional<std::string> clos_id;  // JSON "closID"
  std::optional<std::string> l3_cache_schema;
  std::optional<std::string> mem_bw_schema;
  std::vector<std::string> schemata;  // 1.3
  std::optional<bool> enable_monitoring;
  std::optional<bool> enable_cmt;  // pre-1.3 names
  std::optional<bool> enable_mbm;
  nlohmann::json extra;
};

struct SeccompArg {
  uint32_t index = 0;
  uint64_t value = 0;
  std::optional<uint64_t> value_two;
  std::string op;  // SCMP_CMP_*
  nlohmann::json extra;
};

struct SeccompSyscall {
  std::vector<std::string> names;
  std::string action;  // SCMP_ACT_*
  std::optional<uint32_t> errno_ret;
  std::vector<SeccompArg> args;
  nlohmann::json extra;
};

struct Seccomp {
  std::string default_action;
  std::optional<uint32_t> default_errno_ret;
  std::vector<std::string> architectures;
  std::vector<std::string> flags;
  std::optional<std::string> listener_path;
  std::optional<std::string> listener_metadata;
  std::vector<SeccompSyscall> syscalls;
  nlohmann::json extra;
};

struct Personality {
  std::string domain;  // LINUX or LINUX32
  std::vector<std::string> flags;
  nlohmann::json extra;
};

// linux.memoryPolicy (1.3): set_mempolicy(2).
struct MemoryPolicy {
  std::string mode;
  std::optional<std::string> nodes;
  std::vector<std::string> flags;
  nlohmann::json extra;
};

// linux.netDevices value (1.3): a host interface moved into the container.
struct NetDevice {
  std::optional<std::string> name;
  nlohmann::json extra;
};

struct Linux {
  std::vector<Namespace> namespaces;
  std::vector<IdMapping> uid_mappings;
  std::vector<IdMapping> gid_mappings;
  std::map<std::string, TimeOffset> time_offsets;
  std::vector<LinuxDevice> devices;
  std::optional<std::string> cgroups_path;
  std::optional<LinuxResources> resources;
  std::optional<IntelRdt> intel_rdt;
  std::map<std::string, std::string> sysctl;
  std::optional<Seccomp> seccomp;
  std::optional<std::string> rootfs_propagation;
  std::vector<std::string> masked_paths;
  std::vector<std::string> readonly_paths;
  std::optional<std::string> mount_label;
  std::optional<Personality> personality;
  std::optional<MemoryPolicy> memory_policy;
  std::map<std::string, NetDevice> net_devices;
  nlohmann::json extra;
};

}  // namespace ocispec
