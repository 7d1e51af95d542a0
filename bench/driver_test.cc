// Tests of the portable bench pieces: our own repetition loop (loop_driver.h), the Google Benchmark
// JSON it writes (gbench_json.h, read back by reports/), and the Windows bundles against a fake
// layer API. They run natively and, in the mingw build, under wine.
#include <filesystem>
#include <map>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "bench/gbench_json.h"
#include "bench/loop_driver.h"
#include "bench/runner.h"
#include "bench/windows_bundle.h"
#include "harness/host.h"
#include "reports/bench_result.h"
#include "runtime/hcs/fake_wclayer.h"

namespace ocicert::bench {
namespace {

// Cases whose iterations take a fixed time each; one of them can fail at a given iteration.
class FakeSource final : public CaseSource {
 public:
  struct Call {
    size_t index;
    int iterations;
  };

  FakeSource(std::vector<std::string> names, std::vector<double> ns) : names_(std::move(names)), ns_(std::move(ns)) {}

  void FailAt(size_t index, int iteration) { fail_index_ = index, fail_iteration_ = iteration; }
  const std::vector<Call>& begins() const { return begins_; }
  int ends() const { return ends_; }
  int iterations_run(size_t index) { return run_[index]; }

  const std::string& Name(size_t index) const override { return names_[index]; }
  base::Result<std::unique_ptr<Repetition>> Begin(size_t index, int iterations) override {
    begins_.push_back({index, iterations});
    if (failed_.count(index)) return base::Internal("already failed");
    return std::unique_ptr<Repetition>(new Rep(*this, index));
  }
  void End(size_t) override { ++ends_; }

 private:
  class Rep final : public Repetition {
   public:
    Rep(FakeSource& s, size_t index) : s_(s), index_(index) {}
    base::Result<double> Next() override {
      int n = ++s_.run_[index_];
      if (index_ == s_.fail_index_ && n == s_.fail_iteration_) {
        s_.failed_.insert(index_);
        return base::Internal("boom");
      }
      return s_.ns_[index_];
    }
    std::map<std::string, double> Counters() const override {
      return {{"runtime_peak_rss_kb", 1000.0 + static_cast<double>(index_)}};
    }

   private:
    FakeSource& s_;
    size_t index_;
  };

  std::vector<std::string> names_;
  std::vector<double> ns_;
  size_t fail_index_ = 99;
  int fail_iteration_ = 0;
  std::vector<Call> begins_;
  std::map<size_t, int> run_;
  std::set<size_t> failed_;
  int ends_ = 0;
};

std::string TempFile(const std::string& name) {
  return harness::host::TempDir() + "/oct-bench-test-" + std::to_string(harness::host::SelfPid()) + "-" + name;
}

nlohmann::json ReadJson(const std::string& path) { return nlohmann::json::parse(base::ReadFile(path).value()); }

TEST(LoopDriverTest, FixedIterationsEveryRepetitionAndFailures) {
  std::string path = TempFile("fixed.json");
  FakeSource source({"a/x", "b/x", "c/x"}, {2e6, 4e6, 8e6});
  source.FailAt(1, 3);  // b fails in its second repetition
  auto driver = MakeLoopDriver({3, 2, 0.5}, path, 7);
  ASSERT_TRUE(driver.ok()) << driver.status().ToString();
  (*driver)->RunPhase(source, {0, 1, 2});
  ASSERT_TRUE((*driver)->Finish().ok());

  std::map<size_t, int> reps;
  for (const auto& call : source.begins()) {
    EXPECT_EQ(call.iterations, 2);
    ++reps[call.index];
  }
  EXPECT_EQ(reps[0], 3);
  EXPECT_EQ(reps[2], 3);
  EXPECT_EQ(reps[1], 2);  // nothing after the failure
  EXPECT_EQ(source.iterations_run(0), 6);

  auto run = reports::LoadBenchFile(path);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  const reports::BenchCase* a = run->Find("a/x/iterations:2/repeats:3/manual_time");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->samples_ns, (std::vector<double>{2e6, 2e6, 2e6}));  // one sample per repetition
  const reports::BenchCase* b = run->Find("b/x/iterations:2/repeats:3/manual_time");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->status, "error");
  EXPECT_EQ(b->message, "boom");

  nlohmann::json doc = ReadJson(path);
  EXPECT_EQ(doc["context"]["driver"], kLoopDriverName);
  std::map<std::string, int> aggregates;
  for (const auto& e : doc["benchmarks"]) {
    if (e["run_type"] == "aggregate") ++aggregates[e["run_name"].get<std::string>()];
    if (e["run_type"] == "iteration" && !e.contains("error_occurred")) {
      EXPECT_EQ(e["time_unit"], "ms");
      EXPECT_EQ(e["iterations"], 2);
      EXPECT_TRUE(e.contains("cpu_time"));
      EXPECT_TRUE(e.contains("runtime_peak_rss_kb"));
    }
  }
  EXPECT_EQ(aggregates["a/x/iterations:2/repeats:3/manual_time"], 4);
  EXPECT_EQ(aggregates["c/x/iterations:2/repeats:3/manual_time"], 4);
  EXPECT_EQ(aggregates.count("b/x/iterations:2/repeats:3/manual_time"), 0u);  // one good repetition
  std::filesystem::remove(path);
}

TEST(LoopDriverTest, RepetitionsAreInterleavedAtRandom) {
  // Grouped order (all of a, then all of b, ...) for every seed would mean no interleaving.
  std::string path = TempFile("order.json");
  std::set<std::vector<size_t>> orders;
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    FakeSource source({"a", "b", "c"}, {1e6, 1e6, 1e6});
    auto driver = MakeLoopDriver({4, 1, 0.5}, path, seed);
    ASSERT_TRUE(driver.ok());
    (*driver)->RunPhase(source, {0, 1, 2});
    std::vector<size_t> order;
    for (const auto& call : source.begins()) order.push_back(call.index);
    EXPECT_EQ(order.size(), 12u);
    orders.insert(order);
  }
  std::vector<size_t> grouped = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2};
  orders.erase(grouped);
  EXPECT_GE(orders.size(), 4u);
  std::filesystem::remove(path);
}

TEST(LoopDriverTest, MinTimeGrowsTheIterationsOnceThenKeepsThem) {
  std::string path = TempFile("mintime.json");
  FakeSource source({"a"}, {10e6});  // 10 ms per iteration
  auto driver = MakeLoopDriver({3, 0, 0.05}, path, 1);
  ASSERT_TRUE(driver.ok());
  (*driver)->RunPhase(source, {0});
  ASSERT_TRUE((*driver)->Finish().ok());
  // 1 iteration (10 ms) is short: Google Benchmark's prediction 0.05 * 1.4 / 0.01 = 7 iterations.
  std::vector<int> counts;
  for (const auto& call : source.begins()) counts.push_back(call.iterations);
  EXPECT_EQ(counts, (std::vector<int>{1, 7, 7, 7}));
  int reported = 0;
  nlohmann::json doc = ReadJson(path);
  for (const auto& e : doc["benchmarks"]) {
    if (e["run_type"] != "iteration") continue;
    ++reported;
    EXPECT_EQ(e["iterations"], 7);
    EXPECT_DOUBLE_EQ(e["real_time"].get<double>(), 10.0);
    EXPECT_EQ(e["run_name"], "a/min_time:0.050/repeats:3/manual_time");
  }
  EXPECT_EQ(reported, 3);
  std::filesystem::remove(path);
}

TEST(LoopDriverTest, UnwritableOutputFailsAtOnce) {
  EXPECT_FALSE(MakeLoopDriver({1, 1, 0.5}, TempFile("no-such-dir") + "/x/gbench.json", 1).ok());
}

TEST(GbenchJsonTest, AggregatesAsGoogleBenchmarkComputesThem) {
  RepetitionRecord r1, r2, bad;
  r1.run_name = r2.run_name = bad.run_name = "op/rt/iterations:3/repeats:3/manual_time";
  r1.repetitions = r2.repetitions = bad.repetitions = 3;
  r1.real_time_ms = 1, r2.real_time_ms = 3;
  r1.counters["k"] = 10, r2.counters["k"] = 10;
  bad.error = true;
  auto entries = GbenchAggregateEntries({r1, bad, r2});
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0]["name"], r1.run_name + "_mean");
  EXPECT_DOUBLE_EQ(entries[0]["real_time"].get<double>(), 2.0);
  EXPECT_EQ(entries[1]["aggregate_name"], "median");
  EXPECT_NEAR(entries[2]["real_time"].get<double>(), 1.41421356, 1e-6);  // sample stddev (n - 1)
  EXPECT_EQ(entries[3]["aggregate_unit"], "percentage");
  EXPECT_NEAR(entries[3]["real_time"].get<double>(), 0.70710678, 1e-6);  // cv = stddev / mean
  EXPECT_DOUBLE_EQ(entries[2]["k"].get<double>(), 0.0);
  EXPECT_EQ(entries[0]["iterations"], 2);  // as Google Benchmark: the repetitions aggregated
  EXPECT_TRUE(GbenchAggregateEntries({r1}).empty());
  EXPECT_EQ(GbenchRunName("x/y", 0, 0.5, 5), "x/y/min_time:0.500/repeats:5/manual_time");
}

TEST(WindowsBundleTest, EachContainerGetsItsOwnScratchLayer) {
  std::string dir = TempFile("bundles");
  ocirun::hcs::wclayer::FakeLayerApi api;
  WindowsBundles bundles(api, dir, {"C:\\layers\\top", "C:\\layers\\base"});
  auto sleep = bundles.Prepare("c1", Program::kSleep);
  ASSERT_TRUE(sleep.ok()) << sleep.status().ToString();
  auto config = nlohmann::json::parse(base::ReadFile(*sleep + "/config.json").value());
  std::string scratch = harness::host::NativePath(dir + "/c1-scratch");
  EXPECT_EQ(config["windows"]["layerFolders"],
            nlohmann::json({"C:\\layers\\top", "C:\\layers\\base", scratch}));
  EXPECT_EQ(config["process"]["commandLine"], "cmd /S /C \"ping -n 3601 127.0.0.1 >NUL\"");
  EXPECT_EQ(api.sandboxes().count(scratch), 1u);

  auto other = bundles.Prepare("c2", Program::kTrue);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(*other, *sleep);
  config = nlohmann::json::parse(base::ReadFile(*other + "/config.json").value());
  EXPECT_EQ(config["process"]["commandLine"], "cmd /S /C \"exit 0\"");
  EXPECT_EQ(bundles.ExecArgs(), (std::vector<std::string>{"cmd", "/c", "exit 0"}));

  bundles.Release("c1");
  EXPECT_FALSE(std::filesystem::exists(*sleep));
  EXPECT_FALSE(std::filesystem::exists(scratch));
  bundles.Release("c2");
  std::filesystem::remove_all(dir);
}

TEST(WindowsBundleTest, ScratchLayerFailureLeavesNothing) {
  std::string dir = TempFile("bundles-fail");
  ocirun::hcs::wclayer::FakeLayerApi api;
  api.FailNext("CreateSandboxLayer", 0x80070005);  // E_ACCESSDENIED
  WindowsBundles bundles(api, dir, {"C:\\layers\\base"});
  auto b = bundles.Prepare("c1", Program::kSleep);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("bundle for c1"), std::string::npos) << b.status().message();
  EXPECT_FALSE(std::filesystem::exists(dir + "/c1"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/c1-scratch"));
  std::filesystem::remove_all(dir);
}

TEST(OptionsTest, WindowsLayersExactlyForWindowsContainers) {
  BenchOptions o;
  o.out_dir = TempFile("out");
  o.runtimes = {harness::RuntimeUnderTest{"self", harness::host::SelfExecutable()}};
  if (harness::host::WindowsContainers()) {
    EXPECT_NE(ValidateOptions(o).message().find("--windows-layers is required"), std::string::npos);
    o.windows_layers = {"C:\\layers\\base"};
    EXPECT_TRUE(ValidateOptions(o).ok()) << ValidateOptions(o).message();
    o.library_helper = harness::host::SelfExecutable();
    EXPECT_NE(ValidateOptions(o).message().find("--library-helper"), std::string::npos);
  } else {
    EXPECT_TRUE(ValidateOptions(o).ok()) << ValidateOptions(o).message();
    o.windows_layers = {"/layers/base"};
    EXPECT_NE(ValidateOptions(o).message().find("--windows-layers"), std::string::npos);
  }
}

}  // namespace
}  // namespace ocicert::bench
