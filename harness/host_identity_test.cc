#include "harness/host_identity.h"

#include <gtest/gtest.h>

#include "base/file.h"
#include "harness/sha256.h"

namespace harness::host {
namespace {

constexpr char kV2[] =
    "25 30 0:22 / /sys rw,nosuid - sysfs sysfs rw\n"
    "31 25 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";
constexpr char kHybrid[] =
    "31 25 0:26 / /sys/fs/cgroup ro shared:4 - tmpfs tmpfs ro,mode=755\n"
    "32 31 0:27 / /sys/fs/cgroup/unified rw shared:5 - cgroup2 cgroup2 rw,nsdelegate\n"
    "33 31 0:28 / /sys/fs/cgroup/memory rw shared:6 - cgroup cgroup rw,memory\n";
constexpr char kV1[] =
    "33 31 0:28 / /sys/fs/cgroup/memory rw shared:6 - cgroup cgroup rw,memory\n"
    "34 31 0:29 / /sys/fs/cgroup/pids rw shared:7 - cgroup cgroup rw,pids\n";

TEST(HostIdentityTest, CgroupLayoutFromTheMountTable) {
  EXPECT_EQ(CgroupLayoutFromMountinfo(kV2), "v2");
  EXPECT_EQ(CgroupLayoutFromMountinfo(kHybrid), "hybrid");
  EXPECT_EQ(CgroupLayoutFromMountinfo(kV1), "v1");
  EXPECT_EQ(CgroupLayoutFromMountinfo("25 30 0:22 / /sys rw - sysfs sysfs rw\n"), "none");
  // A mount point named like a cgroup type is not one: only the field after " - " counts.
  EXPECT_EQ(CgroupLayoutFromMountinfo("40 25 0:40 / /mnt/cgroup2 rw - ext4 /dev/sda1 rw\n"), "none");
}

TEST(HostIdentityTest, CpuMemoryAndOsRelease) {
  const char* cpuinfo =
      "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n"
      "flags\t\t: fpu vme hypervisor lahf_lm\n";
  EXPECT_EQ(CpuModelFromCpuinfo(cpuinfo), "Intel(R) Xeon(R) CPU @ 2.20GHz");
  EXPECT_TRUE(CpuinfoHasHypervisorFlag(cpuinfo));
  EXPECT_FALSE(CpuinfoHasHypervisorFlag("flags\t: fpu vme hypervisorx\n"));
  EXPECT_EQ(CpuModelFromCpuinfo("processor : 0\nCPU part : 0xd0c\n"), "0xd0c");
  EXPECT_EQ(MemTotalFromMeminfo("MemTotal:       16318412 kB\nMemFree: 1 kB\n"), 16318412ull * 1024);
  EXPECT_EQ(MemTotalFromMeminfo("MemFree: 1 kB\n"), 0u);
  const char* os = "NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nPRETTY_NAME='Debian GNU/Linux 12 (bookworm)'\nID=debian\n";
  EXPECT_EQ(OsReleaseValue(os, "PRETTY_NAME"), "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(OsReleaseValue(os, "VERSION_ID"), "12");
  EXPECT_EQ(OsReleaseValue(os, "ID"), "debian");
  EXPECT_EQ(OsReleaseValue(os, "VARIANT_ID"), "");
}

TEST(HostIdentityTest, VirtualizationFromFirmwareStrings) {
  EXPECT_EQ(VirtualizationFromDmi("QEMU", "Standard PC (Q35 + ICH9, 2009)"), "qemu");
  EXPECT_EQ(VirtualizationFromDmi("Microsoft Corporation", "Virtual Machine"), "hyperv");
  EXPECT_EQ(VirtualizationFromDmi("VMware, Inc.", "VMware7,1"), "vmware");
  EXPECT_EQ(VirtualizationFromDmi("Amazon EC2", "m5.large"), "amazon");
  EXPECT_EQ(VirtualizationFromDmi("Google", "Google Compute Engine"), "google");
  EXPECT_EQ(VirtualizationFromDmi("Dell Inc.", "PowerEdge R740"), "");
  EXPECT_EQ(VirtualizationFromDmi("Microsoft Corporation", "Surface Pro"), "");  // hardware, not Hyper-V
}

TEST(HostIdentityTest, CollectRecordsArgvSuiteAndDigests) {
  std::string path = testing::TempDir() + "/host_identity_runtime";
  ASSERT_TRUE(base::WriteFile(path, "#!/bin/sh\n").ok());
  reports::HostIdentity id = CollectIdentity({{"fake", path, "fake 1"}, {"gone", path + ".absent", ""}}, "9.9.9",
                                             {"ocicert", "conform", "--suite", "lifecycle"});
  EXPECT_TRUE(id.present);
  EXPECT_EQ(id.suite_version, "9.9.9");
  EXPECT_EQ(id.command_line, (std::vector<std::string>{"ocicert", "conform", "--suite", "lifecycle"}));
  ASSERT_EQ(id.runtimes.size(), 2u);
  EXPECT_EQ(id.runtimes[0].sha256, Sha256Hex("#!/bin/sh\n"));
  EXPECT_EQ(id.runtimes[1].sha256, "");
  EXPECT_NE(id.runtimes[1].digest_error.find("host_identity_runtime.absent"), std::string::npos);
  // This host's own facts: whatever they are, the family and CPU count are always known.
  EXPECT_FALSE(id.host.os_family.empty());
  EXPECT_GT(id.host.cpus, 0);
  EXPECT_FALSE(id.host.cgroup.empty());
  EXPECT_FALSE(id.host.virtualization.empty());
}

}  // namespace
}  // namespace harness::host
