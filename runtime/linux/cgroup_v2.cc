// cgroup v2 manager: one directory in the unified hierarchy; controllers enabled down the tree
// through cgroup.subtree_control; OCI v1-style values converted as runc does; cgroup.freeze.
#include <string>

#include "runtime/linux/cgroup_internal.h"

namespace ocirun::linux::internal {
namespace {

// runc's ConvertCPUSharesToCgroupV2Value: [2, 262144] -> [1, 10000].
uint64_t SharesToWeight(uint64_t shares) {
  if (shares == 0) return 0;
  return 1 + ((shares - 2) * 9999) / 262142;
}

// runc's ConvertBlkIOToIOWeightValue: [10, 1000] -> [1, 10000].
uint64_t BlkioToIoWeight(uint64_t weight) {
  if (weight == 0) return 0;
  return 1 + (weight - 10) * 9999 / 990;
}

class V2Manager final : public CgroupBase {
 public:
  using CgroupBase::CgroupBase;

  base::Status Create() override {
    ASSIGN_OR_RETURN_CTX(std::string mountinfo, os_.Read("/proc/self/mountinfo"), "create cgroup");
    ASSIGN_OR_RETURN_CTX(CgroupMounts mounts, ParseCgroupMounts(mountinfo), "create cgroup");
    RETURN_IF_ERROR_CTX(MakeDirs(dir(), nullptr), "create cgroup");
    // Enable every available controller from the mount point down to our parent.
    std::string at = mounts.unified;
    if (dir().rfind(at, 0) != 0) return base::Status::Ok();
    while (at.size() < dir().size()) {
      RETURN_IF_ERROR_CTX(EnableControllers(at), "create cgroup");
      size_t next = dir().find('/', at.size() + 1);
      at = next == std::string::npos ? dir() : dir().substr(0, next);
    }
    return base::Status::Ok();
  }

  base::Status Apply(const CgroupResources& r) override {
    if (r.memory) RETURN_IF_ERROR(ApplyMemory(*r.memory));
    if (r.cpu) RETURN_IF_ERROR(ApplyCpu(*r.cpu));
    if (r.pids && r.pids->limit) {
      int64_t limit = *r.pids->limit;
      RETURN_IF_ERROR(SetField("linux.resources.pids.limit", dir(), "pids.max",
                               limit > 0 ? std::to_string(limit) : "max"));
    }
    if (r.block_io) RETURN_IF_ERROR(ApplyIo(*r.block_io));
    for (const auto& h : r.hugetlb) {
      RETURN_IF_ERROR(SetField("linux.resources.hugepageLimits " + h.page_size, dir(),
                               "hugetlb." + h.page_size + ".max", std::to_string(h.limit)));
    }
    // Device rules on v2 need an eBPF program (BPF_CGROUP_DEVICE); ocirun does not attach one.
    for (const auto& [file, value] : r.unified) {
      if (file.empty() || file.find('/') != std::string::npos || file[0] == '.')
        return base::InvalidArgument("linux.resources.unified: bad file name \"" + file + "\"");
      RETURN_IF_ERROR(SetField("linux.resources.unified." + file, dir(), file, value));
    }
    return base::Status::Ok();
  }

  base::Status Freeze() override { return SetFreeze(true); }
  base::Status Thaw() override { return SetFreeze(false); }

  base::Result<bool> IsFrozen() override {
    auto events = os_.Read(dir() + "/cgroup.events");
    if (!events.ok()) {
      if (events.status().code() == base::Code::kNotFound) return false;
      return events.status();
    }
    return events->find("frozen 1") != std::string::npos;
  }

 private:
  const std::string& dir() const { return paths_.dirs.at("unified"); }
  std::string PrimaryDir() const override { return dir(); }

  base::Status EnableControllers(const std::string& at) {
    ASSIGN_OR_RETURN(std::string available, os_.Read(at + "/cgroup.controllers"));
    std::string trimmed = Trim(available);
    size_t pos = 0;
    while (pos < trimmed.size()) {
      size_t end = trimmed.find(' ', pos);
      if (end == std::string::npos) end = trimmed.size();
      std::string ctrl = trimmed.substr(pos, end - pos);
      // Best effort: a controller the parent cannot delegate shows up later as a missing file
      // naming the field that needed it.
      if (!ctrl.empty()) os_.Write(at + "/cgroup.subtree_control", "+" + ctrl).IgnoreError();
      pos = end + 1;
    }
    return base::Status::Ok();
  }

  base::Status ApplyMemory(const CgroupResources::Memory& m) {
    auto bytes = [](int64_t v) { return v < 0 ? std::string("max") : std::to_string(v); };
    if (m.limit)
      RETURN_IF_ERROR(SetField("linux.resources.memory.limit", dir(), "memory.max", bytes(*m.limit)));
    if (m.reservation)
      RETURN_IF_ERROR(SetField("linux.resources.memory.reservation", dir(), "memory.low",
                               bytes(*m.reservation)));
    if (m.swap) {
      // OCI swap is memory+swap; v2's memory.swap.max is swap alone.
      std::string value = "max";
      if (*m.swap >= 0) {
        if (!m.limit || *m.limit < 0)
          return base::InvalidArgument(
              "linux.resources.memory.swap: on cgroup v2 a swap limit needs memory.limit too");
        if (*m.swap < *m.limit)
          return base::InvalidArgument("linux.resources.memory.swap: must be >= memory.limit");
        value = std::to_string(*m.swap - *m.limit);
      }
      RETURN_IF_ERROR(SetField("linux.resources.memory.swap", dir(), "memory.swap.max", value));
    }
    if (m.kernel || m.kernel_tcp)
      return base::Unimplemented("linux.resources.memory.kernel: not supported on cgroup v2");
    if (m.swappiness)
      return base::Unimplemented("linux.resources.memory.swappiness: not supported on cgroup v2");
    if (m.disable_oom_killer && *m.disable_oom_killer)
      return base::Unimplemented(
          "linux.resources.memory.disableOOMKiller: not supported on cgroup v2");
    return base::Status::Ok();
  }

  base::Status ApplyCpu(const CgroupResources::Cpu& c) {
    if (c.shares)
      RETURN_IF_ERROR(SetField("linux.resources.cpu.shares", dir(), "cpu.weight",
                               std::to_string(SharesToWeight(*c.shares))));
    if (c.quota || c.period) {
      std::string quota = "max";
      std::string period = "100000";
      auto current = os_.Read(dir() + "/cpu.max");
      if (current.ok()) {
        std::string cur = Trim(*current);
        size_t sp = cur.find(' ');
        if (sp != std::string::npos) { quota = cur.substr(0, sp); period = cur.substr(sp + 1); }
      }
      if (c.quota) quota = *c.quota > 0 ? std::to_string(*c.quota) : "max";
      if (c.period) period = std::to_string(*c.period);
      RETURN_IF_ERROR(SetField(c.quota ? "linux.resources.cpu.quota" : "linux.resources.cpu.period",
                               dir(), "cpu.max", quota + " " + period));
    }
    if (c.burst)
      RETURN_IF_ERROR(SetField("linux.resources.cpu.burst", dir(), "cpu.max.burst",
                               std::to_string(*c.burst)));
    if (c.idle)
      RETURN_IF_ERROR(SetField("linux.resources.cpu.idle", dir(), "cpu.idle", std::to_string(*c.idle)));
    if (c.realtime_period || c.realtime_runtime)
      return base::Unimplemented(
          "linux.resources.cpu.realtimeRuntime: realtime scheduling limits need cgroup v1");
    if (c.cpus)
      RETURN_IF_ERROR(SetField("linux.resources.cpu.cpus", dir(), "cpuset.cpus", *c.cpus));
    if (c.mems)
      RETURN_IF_ERROR(SetField("linux.resources.cpu.mems", dir(), "cpuset.mems", *c.mems));
    return base::Status::Ok();
  }

  base::Status ApplyIo(const CgroupResources::BlockIo& b) {
    if (b.weight) {
      bool bfq = os_.Exists(dir() + "/io.bfq.weight");
      RETURN_IF_ERROR(SetField("linux.resources.blockIO.weight", dir(),
                               bfq ? "io.bfq.weight" : "io.weight",
                               std::to_string(bfq ? *b.weight : BlkioToIoWeight(*b.weight))));
    }
    if (b.leaf_weight)
      return base::Unimplemented("linux.resources.blockIO.leafWeight: not supported on cgroup v2");
    for (const CgroupWeightDevice& d : b.weight_device)
      if (d.weight)
        RETURN_IF_ERROR(SetField("linux.resources.blockIO.weightDevice", dir(), "io.bfq.weight",
                                 DeviceLine(d.major, d.minor, std::to_string(*d.weight))));
    for (const ThrottleList& t : ThrottleLists(b))
      for (const CgroupThrottleDevice& d : *t.devices)
        RETURN_IF_ERROR(SetField(t.field, dir(), "io.max",
                                 DeviceLine(d.major, d.minor,
                                            std::string(t.v2_key) + "=" + std::to_string(d.rate))));
    return base::Status::Ok();
  }

  base::Status SetFreeze(bool freeze) {
    const std::string file = dir() + "/cgroup.freeze";
    if (!os_.Exists(file)) return base::Unimplemented("this kernel has no " + file);
    RETURN_IF_ERROR(os_.Write(file, freeze ? "1" : "0"));
    const std::string want = freeze ? "frozen 1" : "frozen 0";
    auto done = PollUntil(kFreezePolls, [&]() -> base::Result<bool> {
      ASSIGN_OR_RETURN(std::string events, os_.Read(dir() + "/cgroup.events"));
      return events.find(want) != std::string::npos;
    });
    if (!done.ok()) return done.status().Wrap("wait for " + dir() + "/cgroup.events");
    if (*done) return base::Status::Ok();
    if (freeze) os_.Write(file, "0").IgnoreError();
    return base::Timeout(dir() + "/cgroup.events did not report \"" + want + "\" in time");
  }
};

}  // namespace

std::unique_ptr<CgroupManager> NewV2Manager(CgroupPaths paths, CgroupOs& os) {
  return std::make_unique<V2Manager>(std::move(paths), os);
}

}  // namespace ocirun::linux::internal
