#include "conformance/cgroups.h"

#include <gtest/gtest.h>

namespace conform::cgroups {
namespace {

// Debian 12 / Ubuntu 22.04 default: one cgroup2 mount, with nsdelegate.
constexpr const char* kPureV2Mountinfo =
    "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
    "25 22 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
    "26 25 0:24 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:8 - cgroup2 cgroup2 "
    "rw,nsdelegate,memory_recursiveprot\n";
constexpr const char* kPureV2Proc = "0::/oct-conform-ab12-cgroups-1\n";

// systemd's hybrid layout: v1 controllers (cpu and cpuacct co-mounted) plus cgroup2 at unified.
constexpr const char* kHybridMountinfo =
    "31 23 0:28 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate\n"
    "33 31 0:30 / /sys/fs/cgroup/systemd rw,nosuid shared:11 - cgroup cgroup rw,xattr,name=systemd\n"
    "35 31 0:32 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:13 - cgroup cgroup rw,cpu,cpuacct\n"
    "36 31 0:33 / /sys/fs/cgroup/memory rw,nosuid shared:14 - cgroup cgroup rw,memory\n"
    "37 31 0:34 / /sys/fs/cgroup/pids rw,nosuid shared:15 - cgroup cgroup rw,pids\n"
    "38 31 0:35 / /sys/fs/cgroup/devices rw,nosuid shared:16 - cgroup cgroup rw,devices\n";
constexpr const char* kHybridProc =
    "7:devices:/oct-c1\n6:pids:/oct-c1\n5:memory:/oct-c1\n3:cpu,cpuacct:/oct-c1\n1:name=systemd:/user.slice\n0::/oct-c1\n";

// Pure v1 in a container whose cgroup mounts are binds of its own cgroup (root is not "/").
constexpr const char* kV1BoundMountinfo =
    "40 30 0:40 /docker/abc /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory\n"
    "41 30 0:41 /docker/abc /sys/fs/cgroup/pids ro,nosuid - cgroup cgroup rw,pids\n"
    "42 30 0:42 /docker/abc /sys/fs/cgroup/cpu\\040set ro,nosuid - cgroup cgroup rw,cpuset\n";
constexpr const char* kV1BoundProc = "4:pids:/docker/abc/inner\n3:memory:/docker/abc/inner\n2:cpuset:/other\n";

TEST(CgroupLayout, PureV2) {
  Layout l = ParseMountInfo(kPureV2Mountinfo);
  ASSERT_EQ(l.hierarchies.size(), 1u);
  EXPECT_EQ(l.Kind(), "v2");
  EXPECT_EQ(l.V2()->mount_point, "/sys/fs/cgroup");
  EXPECT_EQ(l.V1For("memory"), nullptr);
  Location mem = Locate(l, ParseProcCgroup(kPureV2Proc), "memory");
  EXPECT_TRUE(mem.v2);
  EXPECT_EQ(mem.path, "/oct-conform-ab12-cgroups-1");
  EXPECT_EQ(mem.dir, "/sys/fs/cgroup/oct-conform-ab12-cgroups-1");
  EXPECT_EQ(Locate(l, ParseProcCgroup(kPureV2Proc), "pids").dir, mem.dir);
  EXPECT_EQ(Candidates(l, "/oct-x"), std::vector<std::string>{"/sys/fs/cgroup/oct-x"});
}

TEST(CgroupLayout, HybridPrefersTheV1Controller) {
  Layout l = ParseMountInfo(kHybridMountinfo);
  EXPECT_EQ(l.Kind(), "hybrid");
  ASSERT_NE(l.V1For("cpu"), nullptr);
  EXPECT_EQ(l.V1For("cpuacct")->mount_point, "/sys/fs/cgroup/cpu,cpuacct");
  EXPECT_EQ(l.V1For("name=systemd")->mount_point, "/sys/fs/cgroup/systemd");
  auto m = ParseProcCgroup(kHybridProc);
  EXPECT_EQ(Locate(l, m, "cpu").dir, "/sys/fs/cgroup/cpu,cpuacct/oct-c1");
  EXPECT_EQ(Locate(l, m, "memory").dir, "/sys/fs/cgroup/memory/oct-c1");
  EXPECT_FALSE(Locate(l, m, "memory").v2);
  // No v1 freezer here: the v2 hierarchy serves it.
  Location fr = Locate(l, m, "freezer");
  EXPECT_TRUE(fr.v2);
  EXPECT_EQ(fr.dir, "/sys/fs/cgroup/unified/oct-c1");
  // Every hierarchy is a candidate, the unified one included.
  auto c = Candidates(l, "/oct-c1");
  EXPECT_EQ(c.size(), 6u);
  EXPECT_NE(std::find(c.begin(), c.end(), "/sys/fs/cgroup/unified/oct-c1"), c.end());
  EXPECT_NE(std::find(c.begin(), c.end(), "/sys/fs/cgroup/systemd/oct-c1"), c.end());
}

TEST(CgroupLayout, V1MountRootAndEscapes) {
  Layout l = ParseMountInfo(kV1BoundMountinfo);
  EXPECT_EQ(l.Kind(), "v1");
  ASSERT_NE(l.V1For("cpuset"), nullptr);
  EXPECT_EQ(l.V1For("cpuset")->mount_point, "/sys/fs/cgroup/cpu set");  // \040 unescaped
  auto m = ParseProcCgroup(kV1BoundProc);
  EXPECT_EQ(Locate(l, m, "memory").dir, "/sys/fs/cgroup/memory/inner");
  EXPECT_EQ(Locate(l, m, "memory").path, "/docker/abc/inner");
  EXPECT_FALSE(Locate(l, m, "cpuset").found());  // outside the mount's root: not visible here
  EXPECT_FALSE(Locate(l, m, "devices").found());  // not mounted
  EXPECT_FALSE(Locate(l, {}, "memory").found());  // a process that is gone
}

TEST(CgroupLayout, EscapingPathsLandOutsideTheMounts) {
  Layout l = ParseMountInfo(kHybridMountinfo);
  auto c = Candidates(l, "/../../oct-escape");
  // The cleaned path inside each hierarchy, and the naive join outside all of them.
  EXPECT_NE(std::find(c.begin(), c.end(), "/sys/fs/cgroup/memory/oct-escape"), c.end());
  EXPECT_NE(std::find(c.begin(), c.end(), "/sys/fs/oct-escape"), c.end());
  EXPECT_TRUE(InsideHierarchy(l, "/sys/fs/cgroup/memory/oct-escape"));
  EXPECT_FALSE(InsideHierarchy(l, "/sys/fs/oct-escape"));
  EXPECT_FALSE(InsideHierarchy(l, "/sys/fs/cgroup/memoryx"));
  EXPECT_FALSE(InsideHierarchy(l, "/sys/fs/cgroup"));  // the tmpfs holding the mounts is not a hierarchy
  EXPECT_EQ(CleanPath("/../../a/./b/"), "/a/b");
  EXPECT_EQ(CleanPath("a"), "/a");
  EXPECT_EQ(CleanPath("//a"), "/a");
}

TEST(CgroupLayout, NoCgroupsMountedAndGarbage) {
  Layout l = ParseMountInfo("garbage\n1 2 3\n22 1 8:1 / / rw - ext4 /dev/sda1 rw\n");
  EXPECT_EQ(l.Kind(), "none");
  EXPECT_TRUE(Candidates(l, "/x").empty());
  EXPECT_FALSE(Locate(l, ParseProcCgroup("0::/x\n"), "memory").found());
  EXPECT_TRUE(ParseProcCgroup("no colons\n").empty());
}

TEST(CgroupLayout, CpuWeightConversion) {
  EXPECT_EQ(CpuWeightsForShares(1024), std::vector<long long>{39});
  EXPECT_EQ(CpuWeightsForShares(512), std::vector<long long>{20});
  EXPECT_EQ(CpuWeightsForShares(2), std::vector<long long>{1});
}

}  // namespace
}  // namespace conform::cgroups
