// cgroup v1 manager (also used on the hybrid layout, as runc does): one directory per controller
// hierarchy, resources written to the v1 file names, the freezer for pause.
#include <string>

#include "runtime/linux/cgroup_internal.h"

namespace ocirun::linux::internal {
namespace {

// runc's default device allow list (libcontainer/specconv AllowedDevices), appended after the
// spec's rules so that /dev/null & co. keep working under a "deny all" rule.
constexpr const char* kDefaultAllowedDevices[] = {
    "c *:* m", "b *:* m", "c 1:3 rwm", "c 1:8 rwm", "c 1:7 rwm", "c 5:0 rwm",
    "c 1:5 rwm", "c 1:9 rwm", "c 136:* rwm", "c 5:2 rwm", "c 10:200 rwm"};

std::string DeviceRuleLine(const CgroupDeviceRule& rule) {
  auto num = [](const std::optional<int64_t>& v) {
    return v && *v >= 0 ? std::to_string(*v) : std::string("*");
  };
  if (rule.type == "a") return "a";
  return rule.type + " " + num(rule.major) + ":" + num(rule.minor) + " " + rule.access;
}

class V1Manager final : public CgroupBase {
 public:
  using CgroupBase::CgroupBase;

  base::Status Create() override {
    for (const std::string& dir : DistinctDirs()) {
      bool cpuset = dir == Dir("cpuset");
      RETURN_IF_ERROR_CTX(MakeDirs(dir, [&](const std::string& created) -> base::Status {
                            return cpuset ? CopyCpusetFromParent(created) : base::Status::Ok();
                          }),
                          "create cgroup");
    }
    return base::Status::Ok();
  }

  base::Status Apply(const CgroupResources& r) override {
    if (r.memory) RETURN_IF_ERROR(ApplyMemory(*r.memory));
    if (r.cpu) RETURN_IF_ERROR(ApplyCpu(*r.cpu));
    if (r.pids && r.pids->limit) {
      int64_t limit = *r.pids->limit;
      RETURN_IF_ERROR(SetField("linux.resources.pids.limit", Dir("pids"), "pids.max",
                               limit > 0 ? std::to_string(limit) : "max"));
    }
    if (r.block_io) RETURN_IF_ERROR(ApplyBlockIo(*r.block_io));
    for (const auto& h : r.hugetlb) {
      RETURN_IF_ERROR(SetField("linux.resources.hugepageLimits " + h.page_size, Dir("hugetlb"),
                               "hugetlb." + h.page_size + ".limit_in_bytes", std::to_string(h.limit)));
    }
    if (r.devices) RETURN_IF_ERROR(ApplyDevices(*r.devices));
    if (!r.unified.empty())
      return base::Unimplemented(
          "linux.resources.unified: needs cgroup v2 controllers; this host uses cgroup v1 (" +
          std::string(LayoutName(paths_.layout)) + ")");
    return base::Status::Ok();
  }

  base::Status Freeze() override { return SetFreezer("FROZEN"); }
  base::Status Thaw() override { return SetFreezer("THAWED"); }

  base::Result<bool> IsFrozen() override {
    if (Dir("freezer").empty()) return false;
    auto state = os_.Read(Dir("freezer") + "/freezer.state");
    if (!state.ok()) {
      if (state.status().code() == base::Code::kNotFound) return false;
      return state.status();
    }
    return Trim(*state) == "FROZEN";
  }

 private:
  std::string Dir(const std::string& ctrl) const {
    auto it = paths_.dirs.find(ctrl);
    return it == paths_.dirs.end() ? "" : it->second;
  }

  std::string PrimaryDir() const override {
    for (const char* ctrl : {"freezer", "pids", "memory", "cpu"})
      if (!Dir(ctrl).empty()) return Dir(ctrl);
    return paths_.dirs.begin()->second;
  }

  // A new v1 cpuset starts with empty cpus/mems and refuses tasks until they are set.
  base::Status CopyCpusetFromParent(const std::string& dir) {
    std::string parent = dir.substr(0, dir.rfind('/'));
    for (const char* file : {"cpuset.cpus", "cpuset.mems"}) {
      ASSIGN_OR_RETURN(std::string mine, os_.Read(dir + "/" + file));
      if (!Trim(mine).empty()) continue;
      ASSIGN_OR_RETURN(std::string value, os_.Read(parent + "/" + file));
      RETURN_IF_ERROR(os_.Write(dir + "/" + file, Trim(value)));
    }
    return base::Status::Ok();
  }

  base::Status ApplyMemory(const CgroupResources::Memory& m) {
    const std::string dir = Dir("memory");
    RETURN_IF_ERROR(ApplyMemoryLimits(m));
    if (m.reservation)
      RETURN_IF_ERROR(SetField("linux.resources.memory.reservation", dir,
                               "memory.soft_limit_in_bytes", std::to_string(*m.reservation)));
    if (m.kernel)
      RETURN_IF_ERROR(SetField("linux.resources.memory.kernel", dir, "memory.kmem.limit_in_bytes",
                               std::to_string(*m.kernel)));
    if (m.kernel_tcp)
      RETURN_IF_ERROR(SetField("linux.resources.memory.kernelTCP", dir,
                               "memory.kmem.tcp.limit_in_bytes", std::to_string(*m.kernel_tcp)));
    if (m.swappiness) {
      if (*m.swappiness > 100)
        return base::InvalidArgument("linux.resources.memory.swappiness: " +
                                     std::to_string(*m.swappiness) + " is above 100");
      RETURN_IF_ERROR(SetField("linux.resources.memory.swappiness", dir, "memory.swappiness",
                               std::to_string(*m.swappiness)));
    }
    if (m.disable_oom_killer)
      RETURN_IF_ERROR(SetField("linux.resources.memory.disableOOMKiller", dir,
                               "memory.oom_control", *m.disable_oom_killer ? "1" : "0"));
    return base::Status::Ok();
  }

  // memory.memsw.limit_in_bytes (OCI swap = memory+swap) must never drop below the memory limit,
  // so the order of the two writes depends on the direction of the change (as runc does).
  base::Status ApplyMemoryLimits(const CgroupResources::Memory& m) {
    const std::string dir = Dir("memory");
    auto set_limit = [&] {
      return m.limit ? SetField("linux.resources.memory.limit", dir, "memory.limit_in_bytes",
                                std::to_string(*m.limit))
                     : base::Status::Ok();
    };
    if (!m.swap) return set_limit();
    auto set_swap = [&] {
      return SetField("linux.resources.memory.swap", dir, "memory.memsw.limit_in_bytes",
                      std::to_string(*m.swap));
    };
    bool swap_first = *m.swap == -1;
    if (!swap_first) {
      auto current = os_.Read(dir + "/memory.memsw.limit_in_bytes");
      std::optional<int64_t> now = current.ok() ? ParseInt(*current) : std::nullopt;
      swap_first = now && *m.swap > *now;
    }
    if (swap_first) {
      RETURN_IF_ERROR(set_swap());
      return set_limit();
    }
    RETURN_IF_ERROR(set_limit());
    return set_swap();
  }

  base::Status ApplyCpu(const CgroupResources::Cpu& c) {
    const std::string cpu = Dir("cpu");
    if (c.shares)
      RETURN_IF_ERROR(SetField("linux.resources.cpu.shares", cpu, "cpu.shares",
                               std::to_string(*c.shares)));
    RETURN_IF_ERROR(ApplyCfs(c));
    if (c.burst)
      RETURN_IF_ERROR(SetField("linux.resources.cpu.burst", cpu, "cpu.cfs_burst_us",
                               std::to_string(*c.burst)));
    if (c.realtime_period)
      RETURN_IF_ERROR(SetField("linux.resources.cpu.realtimePeriod", cpu, "cpu.rt_period_us",
                               std::to_string(*c.realtime_period)));
    if (c.realtime_runtime)
      RETURN_IF_ERROR(SetField("linux.resources.cpu.realtimeRuntime", cpu, "cpu.rt_runtime_us",
                               std::to_string(*c.realtime_runtime)));
    if (c.idle)
      RETURN_IF_ERROR(SetField("linux.resources.cpu.idle", cpu, "cpu.idle",
                               std::to_string(*c.idle)));
    if (c.cpus)
      RETURN_IF_ERROR(SetField("linux.resources.cpu.cpus", Dir("cpuset"), "cpuset.cpus", *c.cpus));
    if (c.mems)
      RETURN_IF_ERROR(SetField("linux.resources.cpu.mems", Dir("cpuset"), "cpuset.mems", *c.mems));
    return base::Status::Ok();
  }

  // The kernel checks quota against the current period: if the first order is refused, try the
  // other one (a smaller new period with a larger quota and vice versa).
  base::Status ApplyCfs(const CgroupResources::Cpu& c) {
    const std::string cpu = Dir("cpu");
    auto period = [&] {
      return c.period ? SetField("linux.resources.cpu.period", cpu, "cpu.cfs_period_us",
                                 std::to_string(*c.period))
                      : base::Status::Ok();
    };
    auto quota = [&] {
      return c.quota ? SetField("linux.resources.cpu.quota", cpu, "cpu.cfs_quota_us",
                                std::to_string(*c.quota))
                     : base::Status::Ok();
    };
    base::Status st = period();
    if (st.ok()) return quota();
    if (st.os_error() != EINVAL || !c.quota) return st;
    RETURN_IF_ERROR(quota());
    return period();
  }

  base::Status ApplyBlockIo(const CgroupResources::BlockIo& b) {
    const std::string dir = Dir("blkio");
    // CFQ's blkio.weight is gone from modern kernels; BFQ's blkio.bfq.weight replaces it.
    std::string weight_file = os_.Exists(dir + "/blkio.weight") || !os_.Exists(dir + "/blkio.bfq.weight")
                                  ? "blkio.weight" : "blkio.bfq.weight";
    if (b.weight)
      RETURN_IF_ERROR(SetField("linux.resources.blockIO.weight", dir, weight_file,
                               std::to_string(*b.weight)));
    if (b.leaf_weight)
      RETURN_IF_ERROR(SetField("linux.resources.blockIO.leafWeight", dir, "blkio.leaf_weight",
                               std::to_string(*b.leaf_weight)));
    for (const CgroupWeightDevice& d : b.weight_device) {
      if (d.weight)
        RETURN_IF_ERROR(SetField("linux.resources.blockIO.weightDevice", dir,
                                 weight_file + "_device",
                                 DeviceLine(d.major, d.minor, std::to_string(*d.weight))));
    }
    for (const ThrottleList& t : ThrottleLists(b))
      for (const CgroupThrottleDevice& d : *t.devices)
        RETURN_IF_ERROR(SetField(t.field, dir, t.v1_file,
                                 DeviceLine(d.major, d.minor, std::to_string(d.rate))));
    return base::Status::Ok();
  }

  base::Status ApplyDevices(const std::vector<CgroupDeviceRule>& rules) {
    const std::string dir = Dir("devices");
    if (dir.empty()) return base::Status::Ok();  // no devices controller: nothing to enforce with
    const char* field = "linux.resources.devices";
    RETURN_IF_ERROR(SetField(field, dir, "devices.deny", "a"));
    for (const CgroupDeviceRule& rule : rules) {
      if (rule.type != "a" && rule.type != "c" && rule.type != "b")
        return base::InvalidArgument(std::string(field) + ": unknown device type \"" + rule.type + "\"");
      RETURN_IF_ERROR(SetField(field, dir, rule.allow ? "devices.allow" : "devices.deny",
                               DeviceRuleLine(rule)));
    }
    for (const char* line : kDefaultAllowedDevices)
      RETURN_IF_ERROR(SetField(field, dir, "devices.allow", line));
    return base::Status::Ok();
  }

  // Writes the wanted state and waits for freezer.state to report it: FREEZING is transient
  // (tasks still running toward the freezer); re-writing FROZEN nudges tasks that were forking.
  base::Status SetFreezer(const std::string& want) {
    const std::string dir = Dir("freezer");
    if (dir.empty()) return base::Unimplemented("this host has no freezer cgroup controller");
    const std::string file = dir + "/freezer.state";
    RETURN_IF_ERROR_CTX(os_.Write(file, want), "set " + file + " to " + want);
    int polls = 0;
    auto done = PollUntil(kFreezePolls, [&]() -> base::Result<bool> {
      ASSIGN_OR_RETURN(std::string state, os_.Read(file));
      if (Trim(state) == want) return true;
      if (++polls % 10 == 0) RETURN_IF_ERROR(os_.Write(file, want));
      return false;
    });
    if (!done.ok()) return done.status().Wrap("wait for " + file);
    if (*done) return base::Status::Ok();
    if (want == "FROZEN") os_.Write(file, "THAWED").IgnoreError();
    return base::Timeout(file + " did not reach " + want + " in time");
  }
};

}  // namespace

std::unique_ptr<CgroupManager> NewV1Manager(CgroupPaths paths, CgroupOs& os) {
  return std::make_unique<V1Manager>(std::move(paths), os);
}

}  // namespace ocirun::linux::internal
