// Unit tests of the bench pieces that need no root: bundle config, cgroup parsing, error explanations.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bench/bundle.h"
#include "bench/memory.h"
#include "bench/operations.h"
#include "bench/runner.h"
#include "bench/runtime_cli.h"
#include "harness/host.h"

namespace ocicert::bench {
namespace {

TEST(BundleTest, ConfigIsOci102WithRuncSpecNamespaces) {
  auto c = nlohmann::json::parse(BenchConfigJson("/r/rootfs", {"sleep", "3600"}));
  EXPECT_EQ(c["ociVersion"], "1.0.2");  // crun 1.8 rejects 1.3.0
  EXPECT_EQ(c["root"]["path"], "/r/rootfs");
  EXPECT_TRUE(c["root"]["readonly"].get<bool>());  // one rootfs shared by every container
  EXPECT_EQ(c["process"]["args"], nlohmann::json({"sleep", "3600"}));
  EXPECT_FALSE(c["process"]["terminal"].get<bool>());
  std::vector<std::string> ns;
  for (const auto& n : c["linux"]["namespaces"]) ns.push_back(n["type"]);
  EXPECT_EQ(ns, (std::vector<std::string>{"pid", "network", "ipc", "uts", "mount"}));
}

TEST(MemoryTest, FindsTheMemoryCgroup) {
  bool v2 = true;
  EXPECT_EQ(MemoryCgroupPath("10:hugetlb:/x\n4:memory:/oct-bench-1\n0::/oct-bench-1\n", &v2), "/oct-bench-1");
  EXPECT_FALSE(v2);
  EXPECT_EQ(MemoryCgroupPath("4:cpu,memory:/a/b\n", &v2), "/a/b");
  EXPECT_EQ(MemoryCgroupPath("0::/system.slice/x.scope\n", &v2), "/system.slice/x.scope");
  EXPECT_TRUE(v2);
  EXPECT_EQ(MemoryCgroupPath("garbage\n", &v2), "");
}

TEST(MemoryTest, MeasuresOurOwnProcess) {
  auto m = MeasureProcessMemory(static_cast<int>(::getpid()));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_GT(m->init_rss_kb, 0);
  EXPECT_FALSE(MeasureProcessMemory(0x7ffffff0).ok());  // no such process
}

TEST(RuntimeCliTest, ExplainsCrunHybridCgroups) {
  std::string msg = ExplainRuntimeError("crun", "cgroups in hybrid mode not supported, drop all controllers from cgroupv2\n");
  EXPECT_NE(msg.find("hybrid"), std::string::npos);
  EXPECT_NE(msg.find("mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb"), std::string::npos);
  EXPECT_EQ(ExplainRuntimeError("runc", "  container not running\n"), "container not running");
}

TEST(RuntimeCliTest, FailingRuntimeReportsStatusAndStderr) {
  RuntimeCli rt({"false", "/bin/false"}, "/nonexistent-root", "/tmp");
  auto r = rt.State("x");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("false state x: exit status 1"), std::string::npos) << r.status().message();
  RuntimeCli missing({"gone", "/nonexistent/runtime"}, "/tmp", "/tmp");
  EXPECT_FALSE(missing.State("x").ok());
}

TEST(OperationsTest, TableHasEveryVerb) {
  std::vector<std::string> names;
  for (const Operation& op : AllOperations()) names.push_back(op.name);
  EXPECT_EQ(names, (std::vector<std::string>{"create", "start", "state", "exec_detached", "exec_foreground", "kill",
                                             "delete", "pause", "resume", "ps", "run_true", "lifecycle"}));
  EXPECT_EQ(FindOperation("nope"), nullptr);
}

TEST(OptionsTest, ErrorsNameTheFlag) {
  BenchOptions o;
  o.out_dir = "/tmp/x";
  EXPECT_NE(ValidateOptions(o).message().find("--runtime"), std::string::npos);
  o.runtimes = {{"a", "/bin/true"}, {"a", "/bin/true"}};
  EXPECT_NE(ValidateOptions(o).message().find("given twice"), std::string::npos);
  o.runtimes = {{"a", "/nonexistent"}};
  EXPECT_NE(ValidateOptions(o).message().find("not an executable"), std::string::npos);
  o.runtimes = {{"a", "/bin/true"}};
  o.operations = {"fly"};
  EXPECT_NE(ValidateOptions(o).message().find("--ops"), std::string::npos);
  o.operations = {};
  o.isolations = {"vm"};
  EXPECT_NE(ValidateOptions(o).message().find("--isolation"), std::string::npos);
  o.isolations = {"process"};
  o.reference = "b";
  EXPECT_NE(ValidateOptions(o).message().find("--reference"), std::string::npos);
  o.reference = "a";
  EXPECT_TRUE(ValidateOptions(o).ok());
  EXPECT_EQ(harness::host::MachineKind().rfind("linux-", 0), 0u);
}

}  // namespace
}  // namespace ocicert::bench
