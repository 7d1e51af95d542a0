#include "harness/clock.h"

#include <gtest/gtest.h>

#include <regex>

namespace harness {
namespace {

TEST(ClockTest, OneFormatForTimestampsAndFolders) {
  EXPECT_TRUE(std::regex_match(Rfc3339Now(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"))) << Rfc3339Now();
  std::string conform = DefaultOutputFolder("conform");
  EXPECT_TRUE(std::regex_match(conform, std::regex(R"(ocicert-results/conform-\d{8}T\d{6}Z)"))) << conform;
  std::string bench = DefaultOutputFolder("bench");
  EXPECT_EQ(bench.substr(0, 22), "ocicert-results/bench-");
  EXPECT_EQ(bench.size(), conform.size() - 2);  // "bench" is two letters shorter than "conform"
}

}  // namespace
}  // namespace harness
