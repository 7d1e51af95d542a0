#include "runtime/pod/windows_builds.h"

#include <gtest/gtest.h>

namespace ocirun::pod {
namespace {

TEST(WindowsBuilds, TableIsOrderedAndNamed) {
  auto builds = KnownBuilds();
  ASSERT_EQ(builds.size(), 10u);
  for (size_t i = 1; i < builds.size(); ++i) EXPECT_LT(builds[i - 1].build, builds[i].build);
  EXPECT_EQ(FindBuild(17763)->name, "RS5");
  EXPECT_EQ(FindBuild(20348)->product, "Windows Server 2022");
  EXPECT_TRUE(FindBuild(26100)->ltsc);
  EXPECT_FALSE(FindBuild(16299)->ltsc);
  EXPECT_FALSE(FindBuild(12345).has_value());
}

TEST(WindowsBuilds, Describe) {
  EXPECT_EQ(DescribeBuild(kLTSC2025), "LTSC2025 (26100)");
  EXPECT_EQ(DescribeBuild(17700), "build 17700");
}

TEST(WindowsBuilds, LtscAnchorAndSchema) {
  EXPECT_EQ(LtscAnchor(kRS5), 0u);
  EXPECT_EQ(LtscAnchor(kLTSC2022), kLTSC2022);
  EXPECT_EQ(LtscAnchor(kLTSC2025), kLTSC2022);
  EXPECT_FALSE(SupportsSchemaV2(kRS4));
  EXPECT_TRUE(SupportsSchemaV2(kRS5));
}

}  // namespace
}  // namespace ocirun::pod
