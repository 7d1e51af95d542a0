#include "runtime/linux/cgroup_spec.h"

namespace ocirun::linux {
namespace {

std::vector<CgroupThrottleDevice> Throttles(const std::vector<ocispec::ThrottleDevice>& in) {
  std::vector<CgroupThrottleDevice> out;
  for (const auto& d : in) out.push_back({d.major, d.minor, d.rate});
  return out;
}

CgroupResources::Memory Memory(const ocispec::LinuxMemory& m) {
  CgroupResources::Memory out;
  out.limit = m.limit;
  out.reservation = m.reservation;
  out.swap = m.swap;
  out.kernel = m.kernel;
  out.kernel_tcp = m.kernel_tcp;
  out.swappiness = m.swappiness;
  out.disable_oom_killer = m.disable_oom_killer;
  return out;
}

CgroupResources::Cpu Cpu(const ocispec::LinuxCpu& c) {
  CgroupResources::Cpu out;
  out.shares = c.shares;
  out.quota = c.quota;
  out.burst = c.burst;
  out.period = c.period;
  out.realtime_runtime = c.realtime_runtime;
  out.realtime_period = c.realtime_period;
  out.cpus = c.cpus;
  out.mems = c.mems;
  out.idle = c.idle;
  return out;
}

CgroupResources::BlockIo BlockIo(const ocispec::LinuxBlockIo& b) {
  CgroupResources::BlockIo out;
  out.weight = b.weight;
  out.leaf_weight = b.leaf_weight;
  for (const auto& d : b.weight_device)
    out.weight_device.push_back({d.major, d.minor, d.weight, d.leaf_weight});
  out.throttle_read_bps = Throttles(b.throttle_read_bps_device);
  out.throttle_write_bps = Throttles(b.throttle_write_bps_device);
  out.throttle_read_iops = Throttles(b.throttle_read_iops_device);
  out.throttle_write_iops = Throttles(b.throttle_write_iops_device);
  return out;
}

// "<digits><K|M|G>B", the page sizes the hugetlb controller names its files by (runc checks the same
// shape); anything else could name another file.
bool IsPageSize(const std::string& s) {
  size_t digits = 0;
  while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
  return digits > 0 && s.size() == digits + 2 && std::string_view("KMG").find(s[digits]) != std::string_view::npos &&
         s[digits + 1] == 'B';
}

}  // namespace

base::Result<CgroupResources> ResourcesFromSpec(const ocispec::LinuxResources& spec,
                                                DeviceRules devices) {
  if (spec.network && (spec.network->class_id || !spec.network->priorities.empty()))
    return base::Unimplemented("linux.resources.network: not supported by ocirun");
  if (!spec.rdma.empty()) return base::Unimplemented("linux.resources.rdma: not supported by ocirun");
  CgroupResources out;
  if (spec.memory) out.memory = Memory(*spec.memory);
  if (spec.cpu) out.cpu = Cpu(*spec.cpu);
  if (spec.pids) out.pids = CgroupResources::Pids{spec.pids->limit};
  if (spec.block_io) out.block_io = BlockIo(*spec.block_io);
  for (const auto& h : spec.hugepage_limits) {
    if (!IsPageSize(h.page_size))
      return base::InvalidArgument("linux.resources.hugepageLimits: pageSize \"" + h.page_size +
                                   "\" is not <number>KB, MB or GB");
    out.hugetlb.push_back({h.page_size, h.limit});
  }
  out.unified = spec.unified;
  if (devices == DeviceRules::kApply) {
    out.devices.emplace();
    for (const auto& d : spec.devices) {
      std::string type = d.type.value_or("a");
      if (type != "a" && type != "b" && type != "c")
        return base::InvalidArgument("linux.resources.devices: unknown type \"" + type + "\"");
      out.devices->push_back({d.allow, type, d.major, d.minor, d.access.value_or("rwm")});
    }
  }
  return out;
}

}  // namespace ocirun::linux
