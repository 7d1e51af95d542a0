// Privileged self-test: a small suite against runc (Debian's /usr/sbin/runc), run twice. The verdicts
// must be the expected ones, identical between runs, and nothing may be left behind.
#include <unistd.h>

#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "conformance/cgroups.h"
#include "conformance/paths.h"
#include "conformance/runner.h"

namespace conform {
namespace {

std::map<std::string, reports::Verdict> Verdicts(const reports::ConformResults& r) {
  std::map<std::string, reports::Verdict> out;
  for (const reports::CaseResult& c : r.cases) out[c.id] = c.results.at("runc").verdict;
  return out;
}

TEST(ConformSelfTest, SmallSuiteAgainstRuncIsDeterministic) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to create containers";
  auto runc = harness::ParseRuntime("runc");
  if (!runc.ok()) GTEST_SKIP() << "runc is not installed: " << runc.status().message();
  const cgroups::Layout layout = cgroups::HostLayout();
  if (layout.Kind() == "none") GTEST_SKIP() << "no cgroup hierarchy mounted (/proc/self/mountinfo)";
  ConformOptions o;
  o.runtimes = {*runc};
  o.cases = {"lifecycle.start", "lifecycle.delete", "operations.missing-id.state", "operations.create.duplicate-id",
             "process.pid-file", "config.process.identity", "hooks.order"};
  o.jobs = 2;
  o.probe = DefaultProbePath();
  o.make_rootfs = std::string(OCICERT_SOURCE_DIR) + "/scripts/make-rootfs.sh";
  auto first = RunConformance(o, nullptr);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = RunConformance(o, nullptr);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  auto v = Verdicts(*first);
  EXPECT_EQ(v, Verdicts(*second)) << "two runs gave different verdicts";
  EXPECT_EQ(v["lifecycle.start.created"], reports::Verdict::kPass) << first->cases[0].results.at("runc").message;
  EXPECT_EQ(v["lifecycle.start.running"], reports::Verdict::kPass);
  EXPECT_EQ(v["lifecycle.delete.stopped"], reports::Verdict::kPass);
  EXPECT_EQ(v["lifecycle.delete.created"], reports::Verdict::kWaived);  // runc CLI deletes created containers
  EXPECT_EQ(v["operations.missing-id.state"], reports::Verdict::kPass);
  EXPECT_EQ(v["operations.create.duplicate-id"], reports::Verdict::kPass);
  EXPECT_EQ(v["process.pid-file"], reports::Verdict::kPass);
  EXPECT_EQ(v["config.process.identity"], reports::Verdict::kPass);
  EXPECT_EQ(v["hooks.order"], reports::Verdict::kWaived);  // runc 1.1.5 runs poststart at create
  // Invocations are recorded with the runtime's full argv.
  const reports::RuntimeResult& start = first->cases[0].results.at("runc");
  ASSERT_FALSE(start.invocations.empty());
  EXPECT_EQ(start.invocations[0].argv[0], runc->path);
  // Nothing left: no oct-conform cgroup in any hierarchy (v1, v2, hybrid), no work folder.
  std::error_code ec;
  for (const cgroups::Hierarchy& h : layout.hierarchies)
    for (const auto& e : std::filesystem::directory_iterator(h.mount_point, ec))
      EXPECT_EQ(e.path().filename().string().find("oct-conform-"), std::string::npos) << e.path();
  for (const auto& e : std::filesystem::directory_iterator("/tmp", ec))
    EXPECT_NE(e.path().filename().string().rfind("oct-conform-" + std::to_string(::getpid()), 0), 0u) << e.path();
}

}  // namespace
}  // namespace conform
