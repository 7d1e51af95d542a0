#include "runtime/linux/cgroup_spec.h"

#include <gtest/gtest.h>

namespace ocirun::linux {
namespace {

TEST(CgroupSpecTest, ConvertsEveryAppliedGroup) {
  ocispec::LinuxResources spec;
  spec.memory.emplace();
  spec.memory->limit = 100;
  spec.memory->swap = 200;
  spec.cpu.emplace();
  spec.cpu->shares = 3;
  spec.cpu->cpus = "0-1";
  spec.pids = ocispec::LinuxPids{};
  spec.pids->limit = 9;
  spec.block_io.emplace();
  spec.block_io->throttle_write_iops_device.push_back({8, 16, 77, {}});
  spec.devices.push_back({});
  spec.devices.back().allow = true;
  spec.devices.back().type = "c";
  spec.devices.back().major = 1;
  auto r = ResourcesFromSpec(spec);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->memory->limit, 100);
  EXPECT_EQ(r->memory->swap, 200);
  EXPECT_EQ(r->cpu->shares, 3u);
  EXPECT_EQ(*r->cpu->cpus, "0-1");
  EXPECT_EQ(r->pids->limit, 9);
  ASSERT_EQ(r->block_io->throttle_write_iops.size(), 1u);
  EXPECT_EQ(r->block_io->throttle_write_iops[0].rate, 77u);
  ASSERT_TRUE(r->devices.has_value());
  EXPECT_EQ((*r->devices)[0].type, "c");
  EXPECT_EQ((*r->devices)[0].access, "rwm");
  EXPECT_FALSE(ResourcesFromSpec(spec, DeviceRules::kLeave)->devices.has_value());
}

TEST(CgroupSpecTest, HugepageLimitsAreConvertedAndPageSizesChecked) {
  ocispec::LinuxResources spec;
  spec.hugepage_limits.push_back({"2MB", 4194304, {}});
  spec.hugepage_limits.push_back({"1GB", 0, {}});
  auto r = ResourcesFromSpec(spec);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->hugetlb.size(), 2u);
  EXPECT_EQ(r->hugetlb[0].page_size, "2MB");
  EXPECT_EQ(r->hugetlb[0].limit, 4194304u);
  for (const char* bad : {"", "2M", "MB", "2MB/../x", "2mb", "2TB"}) {
    ocispec::LinuxResources s;
    s.hugepage_limits.push_back({bad, 1, {}});
    auto b = ResourcesFromSpec(s);
    EXPECT_EQ(b.status().code(), base::Code::kInvalidArgument) << bad;
    EXPECT_NE(b.status().message().find("linux.resources.hugepageLimits"), std::string::npos);
  }
}

TEST(CgroupSpecTest, RefusesWhatOcirunCannotApply) {
  ocispec::LinuxResources spec;
  spec.rdma["mlx4_0"] = {};
  auto r = ResourcesFromSpec(spec);
  EXPECT_EQ(r.status().code(), base::Code::kUnimplemented);
  EXPECT_NE(r.status().message().find("linux.resources.rdma"), std::string::npos);
  ocispec::LinuxResources bad;
  bad.devices.push_back({});
  bad.devices.back().type = "x";
  EXPECT_EQ(ResourcesFromSpec(bad).status().code(), base::Code::kInvalidArgument);
}

}  // namespace
}  // namespace ocirun::linux
