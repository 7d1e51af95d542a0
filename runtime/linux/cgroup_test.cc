// Unit tests of the cgroup manager against FakeCgroupOs: layout detection, path resolution, the
// files each resource lands in, freeze waiting, pids, kill and destroy. No root needed.
#include "runtime/linux/cgroup.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>

#include "runtime/linux/cgroup_fake_os.h"

namespace ocirun::linux {
namespace {

using Calls = std::vector<std::string>;

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
bool Contains(const Calls& calls, const std::string& call) {
  return std::find(calls.begin(), calls.end(), call) != calls.end();
}

// This machine's hybrid layout (cpu and cpuacct mounted separately).
constexpr const char* kHybridMountinfo =
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
    "34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices\n"
    "37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer\n"
    "38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio\n"
    "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";

constexpr const char* kV2Mountinfo =
    "25 21 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 "
    "rw,nsdelegate,memory_recursiveprot\n";

constexpr const char* kHybridProcCgroup =
    "9:name=systemd:/\n8:pids:/\n7:blkio:/\n6:freezer:/\n5:devices:/\n"
    "4:memory:/sess/abc\n3:cpuset:/\n2:cpuacct:/\n1:cpu:/\n0::/\n";

const char* const kV1Files[][2] = {
    {"cpu", "cpu.shares"}, {"cpu", "cpu.cfs_quota_us"}, {"cpu", "cpu.cfs_period_us"},
    {"cpu", "cpu.rt_period_us"}, {"cpu", "cpu.rt_runtime_us"}, {"cpuset", "cpuset.cpus"},
    {"cpuset", "cpuset.mems"}, {"memory", "memory.limit_in_bytes"},
    {"memory", "memory.soft_limit_in_bytes"}, {"memory", "memory.memsw.limit_in_bytes"},
    {"memory", "memory.swappiness"}, {"pids", "pids.max"}, {"freezer", "freezer.state"},
    {"devices", "devices.allow"}, {"devices", "devices.deny"},
    {"blkio", "blkio.throttle.read_bps_device"}, {"blkio", "blkio.throttle.write_iops_device"}};

// A fake host shaped like this machine: hierarchy roots with their control files.
void SetUpHybridHost(FakeCgroupOs& os) {
  os.AddFile("/proc/self/mountinfo", kHybridMountinfo);
  os.AddFile("/proc/self/cgroup", kHybridProcCgroup);
  for (const char* ctrl : {"cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids"})
    os.AddFile(std::string("/sys/fs/cgroup/") + ctrl + "/cgroup.procs");
  for (const auto& f : kV1Files) os.AddFile(std::string("/sys/fs/cgroup/") + f[0] + "/" + f[1]);
  os.files["/sys/fs/cgroup/cpuset/cpuset.cpus"] = "0-1\n";
  os.files["/sys/fs/cgroup/cpuset/cpuset.mems"] = "0\n";
  os.AddDir("/sys/fs/cgroup/memory/sess/abc");
  os.AddFile("/sys/fs/cgroup/memory/sess/abc/cgroup.procs");
  os.AddFile("/sys/fs/cgroup/memory/sess/abc/memory.limit_in_bytes");
  os.AddFile("/sys/fs/cgroup/memory/sess/abc/memory.memsw.limit_in_bytes");
}

void SetUpV2Host(FakeCgroupOs& os) {
  os.AddFile("/proc/self/mountinfo", kV2Mountinfo);
  os.AddFile("/proc/self/cgroup", "0::/user.slice\n");
  for (const char* f : {"cgroup.procs", "cgroup.controllers", "cgroup.subtree_control",
                        "cgroup.freeze", "cgroup.events", "memory.max", "memory.low",
                        "memory.swap.max", "cpu.weight", "cpu.max", "pids.max", "io.max",
                        "cpuset.cpus"})
    os.AddFile(std::string("/sys/fs/cgroup/") + f);
  os.files["/sys/fs/cgroup/cgroup.controllers"] = "cpuset cpu io memory pids\n";
  os.files["/sys/fs/cgroup/cpu.max"] = "max 100000\n";
}

std::unique_ptr<CgroupManager> MustManager(FakeCgroupOs& os, std::optional<std::string> path,
                                           std::string id = "c1") {
  auto m = NewCgroupManager({std::move(path), std::move(id)}, os);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? std::move(m).value() : nullptr;
}

TEST(CgroupLayoutTest, DetectsHybridV1AndV2) {
  auto hybrid = ParseCgroupMounts(kHybridMountinfo);
  ASSERT_TRUE(hybrid.ok());
  EXPECT_EQ(hybrid->layout, CgroupLayout::kHybrid);
  EXPECT_EQ(hybrid->unified, "/sys/fs/cgroup/unified");
  EXPECT_EQ(hybrid->v1.at("freezer"), "/sys/fs/cgroup/freezer");
  EXPECT_EQ(hybrid->v1.count("systemd"), 0u);
  EXPECT_EQ(hybrid->v1.count("name=systemd"), 0u);

  auto v2 = ParseCgroupMounts(kV2Mountinfo);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->layout, CgroupLayout::kV2);
  EXPECT_EQ(v2->unified, "/sys/fs/cgroup");

  auto v1 = ParseCgroupMounts(
      "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n");
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(v1->layout, CgroupLayout::kV1);
  EXPECT_EQ(v1->v1.at("cpu"), "/sys/fs/cgroup/cpu,cpuacct");
  EXPECT_EQ(v1->v1.at("cpuacct"), "/sys/fs/cgroup/cpu,cpuacct");

  EXPECT_EQ(ParseCgroupMounts("1 0 0:1 / / rw - ext4 /dev/sda rw\n").status().code(),
            base::Code::kNotFound);
}

TEST(CgroupLayoutTest, UnescapesMountPoints) {
  auto m = ParseCgroupMounts("1 0 0:1 / /sys/fs/my\\040cg rw - cgroup2 cgroup2 rw\n");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->unified, "/sys/fs/my cg");
}

TEST(CgroupLayoutTest, ParsesProcCgroup) {
  auto own = ParseProcCgroup("4:memory:/a/b\n2:cpu,cpuacct:/x\n1:name=systemd:/s\n0::/u\n");
  EXPECT_EQ(own.at("memory"), "/a/b");
  EXPECT_EQ(own.at("cpu"), "/x");
  EXPECT_EQ(own.at("cpuacct"), "/x");
  EXPECT_EQ(own.at("name=systemd"), "/s");
  EXPECT_EQ(own.at(""), "/u");
}

TEST(CgroupPathsTest, AbsolutePathIsUnderEachHierarchyRoot) {
  FakeCgroupOs os;
  SetUpHybridHost(os);
  auto paths = ResolveCgroupPaths({"/oct/x", "c1"}, os);
  ASSERT_TRUE(paths.ok()) << paths.status().ToString();
  EXPECT_EQ(paths->layout, CgroupLayout::kHybrid);
  EXPECT_EQ(paths->dirs.at("memory"), "/sys/fs/cgroup/memory/oct/x");
  EXPECT_EQ(paths->dirs.at("freezer"), "/sys/fs/cgroup/freezer/oct/x");
  EXPECT_EQ(paths->dirs.size(), 8u);  // the v1 controllers; hybrid leaves unified alone
}

TEST(CgroupPathsTest, DefaultAndRelativePathsAreUnderOwnCgroup) {
  FakeCgroupOs os;
  SetUpHybridHost(os);
  auto def = ResolveCgroupPaths({std::nullopt, "c1"}, os);
  ASSERT_TRUE(def.ok());
  EXPECT_EQ(def->dirs.at("memory"), "/sys/fs/cgroup/memory/sess/abc/c1");
  EXPECT_EQ(def->dirs.at("cpu"), "/sys/fs/cgroup/cpu/c1");
  auto rel = ResolveCgroupPaths({"grp/c2", "c1"}, os);
  ASSERT_TRUE(rel.ok());
  EXPECT_EQ(rel->dirs.at("memory"), "/sys/fs/cgroup/memory/sess/abc/grp/c2");
}

TEST(CgroupPathsTest, RefusesEscapesAndSystemdForm) {
  FakeCgroupOs os;
  SetUpHybridHost(os);
  auto dotdot = ResolveCgroupPaths({"/a/../../etc", "c1"}, os);
  EXPECT_EQ(dotdot.status().code(), base::Code::kInvalidArgument);
  EXPECT_TRUE(Has(dotdot.status().message(), "linux.cgroupsPath")) << dotdot.status().message();
  auto systemd = ResolveCgroupPaths({"system.slice:ocirun:c1", "c1"}, os);
  EXPECT_EQ(systemd.status().code(), base::Code::kInvalidArgument);
  EXPECT_TRUE(Has(systemd.status().message(), "systemd")) << systemd.status().message();
  EXPECT_EQ(ResolveCgroupPaths({std::nullopt, ".."}, os).status().code(),
            base::Code::kInvalidArgument);
}

TEST(CgroupPathsTest, SerializeRoundTrips) {
  CgroupPaths p{CgroupLayout::kHybrid, {{"memory", "/sys/fs/cgroup/memory/x"}}};
  auto back = CgroupPaths::Parse(p.Serialize());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->layout, CgroupLayout::kHybrid);
  EXPECT_EQ(back->dirs, p.dirs);
  EXPECT_FALSE(CgroupPaths::Parse("{\"layout\":\"v9\",\"dirs\":{\"a\":\"/b\"}}").ok());
  EXPECT_FALSE(CgroupPaths::Parse("not json").ok());
}

TEST(CgroupV1Test, CreateMakesEveryHierarchyAndSeedsCpuset) {
  FakeCgroupOs os;
  SetUpHybridHost(os);
  auto m = MustManager(os, "/oct/x");
  ASSERT_TRUE(m->Create().ok());
  EXPECT_TRUE(os.dirs.count("/sys/fs/cgroup/freezer/oct/x"));
  EXPECT_TRUE(os.dirs.count("/sys/fs/cgroup/memory/oct/x"));
  // Each new cpuset level inherits cpus/mems, or the kernel would refuse tasks.
  EXPECT_EQ(os.files["/sys/fs/cgroup/cpuset/oct/cpuset.cpus"], "0-1");
  EXPECT_EQ(os.files["/sys/fs/cgroup/cpuset/oct/x/cpuset.mems"], "0");
  EXPECT_TRUE(m->Exists());
  // Creating again reuses what exists.
  os.calls.clear();
  ASSERT_TRUE(m->Create().ok());
  EXPECT_TRUE(os.CallsStarting("mkdir").empty());
}

TEST(CgroupV1Test, ApplyWritesV1Files) {
  FakeCgroupOs os;
  SetUpHybridHost(os);
  auto m = MustManager(os, "/x");
  ASSERT_TRUE(m->Create().ok());
  CgroupResources r;
  r.memory = CgroupResources::Memory{};
  r.memory->limit = 64 << 20;
  r.memory->reservation = 32 << 20;
  r.cpu = CgroupResources::Cpu{};
  r.cpu->shares = 512;
  r.cpu->quota = 50000;
  r.cpu->period = 100000;
  r.cpu->cpus = "0";
  r.pids = CgroupResources::Pids{};
  r.pids->limit = 20;
  r.block_io = CgroupResources::BlockIo{};
  r.block_io->throttle_read_bps.push_back({8, 0, 1048576});
  ASSERT_TRUE(m->Apply(r).ok());
  EXPECT_EQ(os.files["/sys/fs/cgroup/memory/x/memory.limit_in_bytes"], "67108864");
  EXPECT_EQ(os.files["/sys/fs/cgroup/memory/x/memory.soft_limit_in_bytes"], "33554432");
  EXPECT_EQ(os.files["/sys/fs/cgroup/cpu/x/cpu.shares"], "512");
  EXPECT_EQ(os.files["/sys/fs/cgroup/cpu/x/cpu.cfs_quota_us"], "50000");
  EXPECT_EQ(os.files["/sys/fs/cgroup/cpu/x/cpu.cfs_period_us"], "100000");
  EXPECT_EQ(os.files["/sys/fs/cgroup/cpuset/x/cpuset.cpus"], "0");
  EXPECT_EQ(os.files["/sys/fs/cgroup/pids/x/pids.max"], "20");
  EXPECT_EQ(os.files["/sys/fs/cgroup/blkio/x/blkio.throttle.read_bps_device"], "8:0 1048576");
}

TEST(CgroupV1Test, UnlimitedPidsIsMax) {
  FakeCgroupOs os;
  SetUpHybridHost(os);
  auto m = MustManager(os, "/x");
  ASSERT_TRUE(m->Create().ok());
  CgroupResources r;
  r.pids = CgroupResources::Pids{-1};
  ASSERT_TRUE(m->Apply(r).ok());
  EXPECT_EQ(os.files["/sys/fs/cgroup/pids/x/pids.max"], "max");
}

TEST(CgroupV1Test, SwapIsWrittenBeforeALargerLimit) {
  FakeCgroupOs os;
  SetUpHybridHost(os);
  auto m = MustManager(os, "/x");
  ASSERT_TRUE(m->Create().ok());
  os.files["/sys/fs/cgroup/memory/x/memory.memsw.limit_in_bytes"] = "1000\n";
  CgroupResources r;
  r.memory = CgroupResources::Memory{};
  r.memory->limit = 2000;
  r.memory->swap = 4000;
  os.calls.clear();
  ASSERT_TRUE(m->Apply(r).ok());
  EXPECT_EQ(os.calls, (Calls{"write /sys/fs/cgroup/memory/x/memory.memsw.limit_in_bytes 4000",
                                    "write /sys/fs/cgroup/memory/x/memory.limit_in_bytes 2000"}));
  // Shrinking: the limit first, then swap.
  r.memory->limit = 500;
  r.memory->swap = 600;
  os.calls.clear();
  ASSERT_TRUE(m->Apply(r).ok());
  EXPECT_EQ(os.calls, (Calls{"write /sys/fs/cgroup/memory/x/memory.limit_in_bytes 500",
                                    "write /sys/fs/cgroup/memory/x/memory.memsw.limit_in_bytes 600"}));
}

TEST(CgroupV1Test, CfsRetriesInTheOtherOrderOnEinval) {
  FakeCgroupOs os;
  SetUpHybridHost(os);
  auto m = MustManager(os, "/x");
  ASSERT_TRUE(m->Create().ok());
  os.write_errno["/sys/fs/cgroup/cpu/x/cpu.cfs_period_us"] = EINVAL;
  CgroupResources r;
  r.cpu = CgroupResources::Cpu{};
  r.cpu->quota = 1000;
  r.cpu->period = 2000;
  os.calls.clear();
  base::Status st = m->Apply(r);
  // The fake keeps refusing the period, so the error names that field after quota was tried.
  EXPECT_TRUE(Has(st.message(), "linux.resources.cpu.period")) << st.message();
  EXPECT_EQ(os.calls.size(), 3u);
  EXPECT_EQ(os.calls[1], "write /sys/fs/cgroup/cpu/x/cpu.cfs_quota_us 1000");
}

TEST(CgroupV1Test, UnsupportedFieldIsAClearError) {
  FakeCgroupOs os;
  SetUpHybridHost(os);
  auto m = MustManager(os, "/x");
  ASSERT_TRUE(m->Create().ok());
  CgroupResources r;
  r.block_io = CgroupResources::BlockIo{};
  r.block_io->weight = 500;  // no blkio.weight on this host
  base::Status st = m->Apply(r);
  EXPECT_EQ(st.code(), base::Code::kUnimplemented);
  EXPECT_TRUE(Has(st.message(), "linux.resources.blockIO.weight")) << st.message();
  CgroupResources u;
  u.unified["memory.high"] = "1G";
  EXPECT_TRUE(Has(m->Apply(u).message(), "linux.resources.unified")) << m->Apply(u).message();
  CgroupResources s;
  s.memory = CgroupResources::Memory{};
  s.memory->swappiness = 101;
  EXPECT_EQ(m->Apply(s).code(), base::Code::kInvalidArgument);
}

TEST(CgroupV1Test, DevicesDenyAllThenRulesThenDefaults) {
  FakeCgroupOs os;
  SetUpHybridHost(os);
  auto m = MustManager(os, "/x");
  ASSERT_TRUE(m->Create().ok());
  CgroupResources r;
  r.devices = std::vector<CgroupDeviceRule>{{false, "a", std::nullopt, std::nullopt, "rwm"},
                                            {true, "c", 10, std::nullopt, "rw"}};
  os.calls.clear();
  ASSERT_TRUE(m->Apply(r).ok());
  ASSERT_GE(os.calls.size(), 5u);
  EXPECT_EQ(os.calls[0], "write /sys/fs/cgroup/devices/x/devices.deny a");
  EXPECT_EQ(os.calls[1], "write /sys/fs/cgroup/devices/x/devices.deny a");
  EXPECT_EQ(os.calls[2], "write /sys/fs/cgroup/devices/x/devices.allow c 10:* rw");
  EXPECT_TRUE(Contains(os.calls, "write /sys/fs/cgroup/devices/x/devices.allow c 1:3 rwm"));
}

TEST(CgroupV1Test, FreezeWaitsForFrozen) {
  FakeCgroupOs os;
  SetUpHybridHost(os);
  auto m = MustManager(os, "/x");
  ASSERT_TRUE(m->Create().ok());
  os.scripted["/sys/fs/cgroup/freezer/x/freezer.state"] = {"FREEZING\n", "FREEZING\n", "FROZEN\n"};
  ASSERT_TRUE(m->Freeze().ok());
  EXPECT_EQ(os.sleeps, 2);
  EXPECT_TRUE(*m->IsFrozen());
  os.scripted.clear();
  os.files["/sys/fs/cgroup/freezer/x/freezer.state"] = "FROZEN\n";
  ASSERT_TRUE(m->Thaw().ok());
  EXPECT_FALSE(*m->IsFrozen());
}

TEST(CgroupV1Test, FreezeTimesOutAndThawsBack) {
  FakeCgroupOs os;
  SetUpHybridHost(os);
  auto m = MustManager(os, "/x");
  ASSERT_TRUE(m->Create().ok());
  os.scripted["/sys/fs/cgroup/freezer/x/freezer.state"] = {"FREEZING\n"};
  base::Status st = m->Freeze();
  EXPECT_EQ(st.code(), base::Code::kTimeout);
  EXPECT_EQ(os.calls.back(), "write /sys/fs/cgroup/freezer/x/freezer.state THAWED");
  // It nudged the freezer while waiting.
  EXPECT_GT(os.CallsStarting("write /sys/fs/cgroup/freezer/x/freezer.state FROZEN").size(), 2u);
}

TEST(CgroupV1Test, PidsAreRecursiveSortedUnique) {
  FakeCgroupOs os;
  SetUpHybridHost(os);
  auto m = MustManager(os, "/x");
  ASSERT_TRUE(m->Create().ok());
  os.files["/sys/fs/cgroup/freezer/x/cgroup.procs"] = "30\n10\n";
  os.AddFile("/sys/fs/cgroup/freezer/x/sub/cgroup.procs", "20\n10\n");
  auto pids = m->Pids();
  ASSERT_TRUE(pids.ok());
  EXPECT_EQ(*pids, (std::vector<pid_t>{10, 20, 30}));
}

TEST(CgroupV1Test, KillAllFreezesSignalsThaws) {
  FakeCgroupOs os;
  SetUpHybridHost(os);
  auto m = MustManager(os, "/x");
  ASSERT_TRUE(m->Create().ok());
  os.files["/sys/fs/cgroup/freezer/x/cgroup.procs"] = "7\n8\n";
  os.calls.clear();
  ASSERT_TRUE(m->KillAll(SIGKILL).ok());
  EXPECT_EQ(os.calls, (Calls{"write /sys/fs/cgroup/freezer/x/freezer.state FROZEN",
                                    "kill 7 9", "kill 8 9",
                                    "write /sys/fs/cgroup/freezer/x/freezer.state THAWED"}));
}

TEST(CgroupV1Test, DestroyRemovesDescendantsAndRetriesBusy) {
  FakeCgroupOs os;
  SetUpHybridHost(os);
  auto m = MustManager(os, "/oct/x");
  ASSERT_TRUE(m->Create().ok());
  os.AddDir("/sys/fs/cgroup/memory/oct/x/child");
  os.busy["/sys/fs/cgroup/pids/oct/x"] = 3;
  ASSERT_TRUE(m->Destroy().ok());
  EXPECT_FALSE(os.dirs.count("/sys/fs/cgroup/memory/oct/x"));
  EXPECT_FALSE(os.dirs.count("/sys/fs/cgroup/memory/oct/x/child"));
  EXPECT_FALSE(os.dirs.count("/sys/fs/cgroup/pids/oct/x"));
  EXPECT_TRUE(os.dirs.count("/sys/fs/cgroup/pids/oct"));  // parents stay, as with runc
  EXPECT_EQ(os.sleeps, 3);
  EXPECT_FALSE(m->Exists());
  EXPECT_TRUE(m->Destroy().ok());  // already gone is fine
}

TEST(CgroupV1Test, DestroyGivesUpWhileTasksRemain) {
  FakeCgroupOs os;
  SetUpHybridHost(os);
  auto m = MustManager(os, "/x");
  ASSERT_TRUE(m->Create().ok());
  os.busy["/sys/fs/cgroup/cpu/x"] = 1000000;
  base::Status st = m->Destroy();
  EXPECT_EQ(st.code(), base::Code::kTimeout);
  EXPECT_TRUE(Has(st.message(), "/sys/fs/cgroup/cpu/x")) << st.message();
  EXPECT_FALSE(os.dirs.count("/sys/fs/cgroup/memory/x"));  // the others were still removed
}

TEST(CgroupV1Test, AddProcessWritesEveryHierarchyOnce) {
  FakeCgroupOs os;
  SetUpHybridHost(os);
  auto m = MustManager(os, "/x");
  ASSERT_TRUE(m->Create().ok());
  os.calls.clear();
  ASSERT_TRUE(m->AddProcess(42).ok());
  EXPECT_EQ(os.calls.size(), 8u);
  EXPECT_EQ(os.files["/sys/fs/cgroup/freezer/x/cgroup.procs"], "42");
}

TEST(CgroupV2Test, CreateEnablesControllersAndAppliesConverted) {
  FakeCgroupOs os;
  SetUpV2Host(os);
  auto m = MustManager(os, "/oct/x");
  EXPECT_EQ(m->Paths().dirs.at("unified"), "/sys/fs/cgroup/oct/x");
  ASSERT_TRUE(m->Create().ok());
  EXPECT_TRUE(Contains(os.calls, "write /sys/fs/cgroup/cgroup.subtree_control +memory"));
  CgroupResources r;
  r.memory = CgroupResources::Memory{};
  r.memory->limit = 1000;
  r.memory->swap = 3000;
  r.cpu = CgroupResources::Cpu{};
  r.cpu->shares = 1024;
  r.cpu->quota = 20000;
  r.pids = CgroupResources::Pids{5};
  r.unified["pids.max"] = "6";
  ASSERT_TRUE(m->Apply(r).ok()) << m->Apply(r).ToString();
  EXPECT_EQ(os.files["/sys/fs/cgroup/oct/x/memory.max"], "1000");
  EXPECT_EQ(os.files["/sys/fs/cgroup/oct/x/memory.swap.max"], "2000");
  EXPECT_EQ(os.files["/sys/fs/cgroup/oct/x/cpu.weight"], "39");
  EXPECT_EQ(os.files["/sys/fs/cgroup/oct/x/pids.max"], "6");
  CgroupResources rt;
  rt.cpu = CgroupResources::Cpu{};
  rt.cpu->realtime_runtime = 1;
  EXPECT_TRUE(Has(m->Apply(rt).message(), "realtimeRuntime")) << m->Apply(rt).message();
}

TEST(CgroupV2Test, HugepageLimitsGoToHugetlbMax) {
  FakeCgroupOs os;
  SetUpV2Host(os);
  os.AddFile("/sys/fs/cgroup/hugetlb.2MB.max");
  auto m = MustManager(os, "/oct/x");
  ASSERT_TRUE(m->Create().ok());
  os.AddFile("/sys/fs/cgroup/oct/x/hugetlb.2MB.max");
  CgroupResources r;
  r.hugetlb.push_back({"2MB", 8388608});
  ASSERT_TRUE(m->Apply(r).ok()) << m->Apply(r).ToString();
  EXPECT_EQ(os.files["/sys/fs/cgroup/oct/x/hugetlb.2MB.max"], "8388608");
  r.hugetlb = {{"1GB", 0}};  // no such page size on this host: a clear error naming the field
  base::Status st = m->Apply(r);
  EXPECT_EQ(st.code(), base::Code::kUnimplemented);
  EXPECT_TRUE(Has(st.message(), "linux.resources.hugepageLimits 1GB")) << st.message();
}

TEST(CgroupV1Test, HugepageLimitsNeedTheHugetlbController) {
  FakeCgroupOs os;
  SetUpHybridHost(os);  // like this machine: no hugetlb hierarchy mounted
  auto m = MustManager(os, "/x");
  ASSERT_TRUE(m->Create().ok());
  CgroupResources r;
  r.hugetlb.push_back({"2MB", 8388608});
  base::Status st = m->Apply(r);
  EXPECT_EQ(st.code(), base::Code::kUnimplemented);
  EXPECT_TRUE(Has(st.message(), "linux.resources.hugepageLimits 2MB")) << st.message();
}

TEST(CgroupV2Test, FreezeWaitsForEvents) {
  FakeCgroupOs os;
  SetUpV2Host(os);
  auto m = MustManager(os, "/x");
  ASSERT_TRUE(m->Create().ok());
  os.scripted["/sys/fs/cgroup/x/cgroup.events"] = {"populated 1\nfrozen 0\n",
                                                   "populated 1\nfrozen 1\n"};
  ASSERT_TRUE(m->Freeze().ok());
  EXPECT_EQ(os.files["/sys/fs/cgroup/x/cgroup.freeze"], "1");
  EXPECT_EQ(os.sleeps, 1);
  EXPECT_TRUE(*m->IsFrozen());
}

}  // namespace
}  // namespace ocirun::linux
