// Privileged smoke run: one benchmark (state, plus create) against runc through the whole pipeline,
// checking the samples, the Google Benchmark JSON and that no container is left behind.
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "bench/runner.h"

namespace ocicert::bench {
namespace {

TEST(BenchSmokeTest, RuncStateAndCreate) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to create containers";
  if (::access("/usr/sbin/runc", X_OK) != 0) GTEST_SKIP() << "runc is not installed at /usr/sbin/runc";
  if (::access("/bin/busybox", X_OK) != 0) GTEST_SKIP() << "busybox-static is not installed";
  char dir[] = "/tmp/oct-bench-smoke-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  BenchOptions o;
  o.runtimes = {{"runc", "/usr/sbin/runc"}};
  o.operations = {"state", "create"};
  o.repetitions = 2;
  o.iterations = 2;
  o.others = {};
  o.threads = {};
  o.out_dir = dir;
  o.work_dir = dir;
  o.progress = nullptr;
  auto run = RunBenchmarks(o);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  ASSERT_EQ(run->cases.size(), 2u);
  for (const reports::BenchCase& c : run->cases) {
    EXPECT_EQ(c.status, "ok") << c.name << ": " << c.message;
    EXPECT_GE(c.samples_ns.size(), 4u) << c.name;  // 2 repetitions x 2 iterations
    EXPECT_GT(c.summary.median, 0);
    ASSERT_TRUE(c.ratio_to_reference.has_value());
    EXPECT_DOUBLE_EQ(*c.ratio_to_reference, 1.0);  // runc is its own reference
    EXPECT_GT(c.counters.at("runtime_peak_rss_kb"), 1000);  // runc is a Go binary: megabytes
  }
  auto gb = nlohmann::json::parse(base::ReadFile(std::string(dir) + "/gbench.json").value());
  int iteration_entries = 0;
  for (const auto& b : gb["benchmarks"]) iteration_entries += b["run_type"] == "iteration";
  EXPECT_EQ(iteration_entries, 4);  // 2 cases x 2 repetitions
  // Nothing left: no container in the (removed) work directory, only our outputs.
  std::vector<std::string> left;
  for (const auto& e : std::filesystem::directory_iterator(dir)) left.push_back(e.path().filename());
  EXPECT_EQ(left, std::vector<std::string>{"gbench.json"});
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ocicert::bench
