#include "runtime/container/update.h"

#include <gtest/gtest.h>

namespace ocirun {
namespace {

TEST(UpdateTest, ByteSizes) {
  EXPECT_EQ(*ParseByteSize("--memory", "1024"), 1024);
  EXPECT_EQ(*ParseByteSize("--memory", "64m"), 64 << 20);
  EXPECT_EQ(*ParseByteSize("--memory", "64MB"), 64 << 20);
  EXPECT_EQ(*ParseByteSize("--memory", "2GiB"), int64_t{2} << 30);
  EXPECT_EQ(*ParseByteSize("--memory", "512k"), 512 << 10);
  EXPECT_EQ(*ParseByteSize("--memory", "-1"), -1);
  auto bad = ParseByteSize("--memory-swap", "12q");
  EXPECT_EQ(bad.status().code(), base::Code::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("--memory-swap"), std::string::npos);
  EXPECT_FALSE(ParseByteSize("--memory", "").ok());
  EXPECT_FALSE(ParseByteSize("--memory", "m").ok());
  EXPECT_FALSE(ParseByteSize("--memory", "99999999999t").ok());
}

TEST(UpdateTest, FlagsBuildLinuxResources) {
  UpdateFlags f;
  EXPECT_FALSE(f.any());
  EXPECT_EQ(*ResourcesFromFlags(f), nlohmann::json::object());
  f.memory = "32m";
  f.cpu_shares = "512";
  f.cpu_quota = "-1";
  f.cpuset_cpus = "0";
  f.pids_limit = "10";
  EXPECT_TRUE(f.any());
  auto r = ResourcesFromFlags(f);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, nlohmann::json::parse(R"({"memory":{"limit":33554432},
      "cpu":{"shares":512,"quota":-1,"cpus":"0"},"pids":{"limit":10}})"));
  f.cpu_shares = "-5";
  auto neg = ResourcesFromFlags(f);
  EXPECT_NE(neg.status().message().find("--cpu-shares"), std::string::npos);
  f.cpu_shares.reset();
  f.pids_limit = "ten";
  EXPECT_NE(ResourcesFromFlags(f).status().message().find("--pids-limit"), std::string::npos);
}

TEST(UpdateTest, ResourcesDocument) {
  EXPECT_TRUE(ParseResourcesDocument("-r x", R"({"pids":{"limit":3}})").ok());
  auto bad = ParseResourcesDocument("--resources x.json", "{nope");
  EXPECT_EQ(bad.status().code(), base::Code::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("x.json"), std::string::npos);
  EXPECT_FALSE(ParseResourcesDocument("-r -", "[1]").ok());
}

TEST(UpdateTest, MergeResourcesKeepsEarlierValues) {
  nlohmann::json config = nlohmann::json::parse(R"({"ociVersion":"1.0.2","linux":{"resources":{
      "devices":[{"allow":false,"access":"rwm"}],"cpu":{"shares":512,"cpus":"0-1"},"memory":{"limit":1048576}}}})");
  // A flags update (only pids), then a document update with a null member and a device rule.
  UpdateFlags pids;
  pids.pids_limit = "20";
  config = MergeResources(config, *ResourcesFromFlags(pids));
  config = MergeResources(config, nlohmann::json::parse(R"({"cpu":{"shares":256,"quota":null},
      "memory":{"limit":33554432,"swap":-1},"devices":[{"allow":true,"access":"rwm"}]})"));
  EXPECT_EQ(config["linux"]["resources"], nlohmann::json::parse(R"({
      "devices":[{"allow":false,"access":"rwm"}],"cpu":{"shares":256,"cpus":"0-1"},
      "memory":{"limit":33554432,"swap":-1},"pids":{"limit":20}})"));
  EXPECT_EQ(config["ociVersion"], "1.0.2");
}

TEST(UpdateTest, MergeResourcesAddsTheSection) {
  nlohmann::json linux_config = MergeResources(nlohmann::json::object(), {{"pids", {{"limit", 3}}}});
  EXPECT_EQ(linux_config, nlohmann::json::parse(R"({"linux":{"resources":{"pids":{"limit":3}}}})"));
  nlohmann::json windows_config = MergeResources({{"windows", {{"layerFolders", {"C:\\l"}}}}},
                                                 {{"cpu", {{"count", 2}}}});
  EXPECT_EQ(windows_config["windows"]["resources"], nlohmann::json::parse(R"({"cpu":{"count":2}})"));
  EXPECT_FALSE(windows_config.contains("linux"));
  EXPECT_EQ(MergeResources(nlohmann::json::array(), {{"pids", 1}}), nlohmann::json::array());
}

}  // namespace
}  // namespace ocirun
