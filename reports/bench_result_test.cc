#include "reports/bench_result.h"

#include <gtest/gtest.h>

namespace ocicert::reports {
namespace {

BenchCase Case(const std::string& op, const std::string& runtime, std::vector<double> samples) {
  BenchCase c;
  c.name = op + "/" + runtime;
  c.operation = op;
  c.runtime = runtime;
  c.samples_ns = std::move(samples);
  return c;
}

BenchRun SampleRun() {
  BenchRun run;
  run.created = "2026-11-28T12:00:00Z";
  run.host = {{"hostname", "h"}, {"machine_kind", "linux-x86_64-2cpu"}};
  run.settings.repetitions = 3;
  run.settings.min_time_s = 0.5;
  run.reference = "ocirun";
  run.runtimes = {{"ocirun", "/bin/ocirun", "ocirun 0.1"}, {"runc", "/usr/sbin/runc", "runc 1.1.5"}};
  run.cases.push_back(Case("create", "ocirun", {100, 110, 120}));
  run.cases.push_back(Case("create", "runc", {200, 220, 240}));
  BenchCase noisy = Case("state", "runc", {10, 100, 1000});
  noisy.counters["peak_rss_kb"] = 12345;
  run.cases.push_back(noisy);
  BenchCase skipped = Case("create", "runc", {});
  skipped.name = "create/runc/hyperv";
  skipped.isolation = "hyperv";
  skipped.status = "skipped";
  skipped.message = "no backend offers hyperv";
  run.cases.push_back(skipped);
  FinishRun(run);
  return run;
}

TEST(BenchResultTest, FinishComputesRatiosAndNoise) {
  BenchRun run = SampleRun();
  ASSERT_TRUE(run.cases[1].ratio_to_reference.has_value());
  EXPECT_DOUBLE_EQ(*run.cases[1].ratio_to_reference, 2.0);  // 220 / 110
  EXPECT_DOUBLE_EQ(*run.cases[0].ratio_to_reference, 1.0);
  EXPECT_FALSE(run.cases[2].ratio_to_reference.has_value());  // no ocirun state case
  EXPECT_TRUE(run.cases[2].noisy);
  EXPECT_FALSE(run.cases[0].noisy);
  EXPECT_FALSE(run.cases[3].ratio_to_reference.has_value());
  ASSERT_EQ(run.warnings.size(), 1u);
  EXPECT_NE(run.warnings[0].find("noisy run: 1 benchmark"), std::string::npos);
}

TEST(BenchResultTest, RoundTrip) {
  BenchRun run = SampleRun();
  std::string text = BenchRunToJson(run);
  auto parsed = ParseBenchJson(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(BenchRunToJson(*parsed), text);
  EXPECT_EQ(parsed->reference, "ocirun");
  ASSERT_EQ(parsed->cases.size(), 4u);
  EXPECT_EQ(parsed->cases[2].counters.at("peak_rss_kb"), 12345);
  EXPECT_EQ(parsed->cases[3].status, "skipped");
  EXPECT_EQ(parsed->cases[3].isolation, "hyperv");
  EXPECT_EQ(parsed->runtimes[1].version, "runc 1.1.5");
  EXPECT_DOUBLE_EQ(parsed->cases[1].summary.median, 220);
}

TEST(BenchResultTest, IdentityRoundTripsAndV1IsReadWithoutIt) {
  BenchRun run = SampleRun();
  run.identity.host.hostname = "ws2022";
  run.identity.host.cgroup = "n/a";
  run.identity.suite_version = "0.1.0";
  auto parsed = ParseBenchJson(BenchRunToJson(run));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_TRUE(parsed->identity.present);
  EXPECT_EQ(parsed->identity.host.hostname, "ws2022");
  EXPECT_EQ(parsed->identity.suite_version, "0.1.0");
  std::string v1 = BenchRunToJson(SampleRun());
  v1.replace(v1.find("ocicert.bench/v2"), 16, "ocicert.bench/v1");
  auto old = ParseBenchJson(v1);
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  EXPECT_FALSE(old->identity.present);
  std::string no_identity = R"({"schema":"ocicert.bench/v2","benchmarks":[]})";
  auto missing = ParseBenchJson(no_identity);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("identity"), std::string::npos);
}

TEST(BenchResultTest, ErrorsNameTheField) {
  auto wrong_schema = ParseBenchJson(R"({"schema":"other/v9","benchmarks":[]})");
  ASSERT_FALSE(wrong_schema.ok());
  EXPECT_NE(wrong_schema.status().message().find("schema"), std::string::npos);
  auto bad_samples = ParseBenchJson(
      R"({"schema":"ocicert.bench/v1","benchmarks":[{"name":"a","samples":"fast"}]})");
  ASSERT_FALSE(bad_samples.ok());
  EXPECT_NE(bad_samples.status().message().find("benchmarks[0].samples"), std::string::npos);
  auto no_name = ParseBenchJson(R"({"schema":"ocicert.bench/v1","benchmarks":[{}]})");
  ASSERT_FALSE(no_name.ok());
  EXPECT_NE(no_name.status().message().find("benchmarks[0].name"), std::string::npos);
  EXPECT_FALSE(ParseBenchJson("{not json").ok());
  EXPECT_FALSE(LoadBenchFile("/nonexistent/bench.json").ok());
}

TEST(BenchResultTest, ReadsGoogleBenchmarkJson) {
  const char* gb = R"({
    "context": {"date": "2026-11-28T12:00:00+00:00", "host_name": "h", "num_cpus": 2},
    "benchmarks": [
      {"name": "create/runc/manual_time", "run_name": "create/runc/manual_time", "run_type": "iteration",
       "repetitions": 2, "repetition_index": 0, "iterations": 5, "real_time": 1.5, "time_unit": "ms"},
      {"name": "create/runc/manual_time", "run_name": "create/runc/manual_time", "run_type": "iteration",
       "repetitions": 2, "repetition_index": 1, "iterations": 5, "real_time": 2.5, "time_unit": "ms"},
      {"name": "create/runc/manual_time_mean", "run_name": "create/runc/manual_time", "run_type": "aggregate",
       "aggregate_name": "mean", "real_time": 2.0, "time_unit": "ms"}
    ]})";
  auto run = ParseBenchJson(gb);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  ASSERT_EQ(run->cases.size(), 1u);
  EXPECT_EQ(run->cases[0].operation, "create");
  EXPECT_EQ(run->cases[0].runtime, "runc");  // from the name, for report compare --normalize-to
  EXPECT_EQ(run->cases[0].variant, "");
  EXPECT_EQ(run->cases[0].samples_ns, (std::vector<double>{1.5e6, 2.5e6}));
}

}  // namespace
}  // namespace ocicert::reports
