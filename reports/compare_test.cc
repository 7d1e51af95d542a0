#include "reports/compare.h"

#include <random>

#include <gtest/gtest.h>

namespace ocicert::reports {
namespace {

// Synthetic samples: `n` values around `median_ns` with +-`spread` relative uniform noise.
std::vector<double> Samples(double median_ns, double spread, int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> d(1 - spread, 1 + spread);
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(median_ns * d(rng));
  return v;
}

BenchRun MakeRun(std::vector<std::pair<std::string, std::vector<double>>> cases) {
  BenchRun run;
  for (auto& [name, samples] : cases) {
    BenchCase c;
    c.name = name;
    c.operation = name.substr(0, name.find('/'));
    c.samples_ns = samples;
    run.cases.push_back(c);
  }
  FinishRun(run);
  return run;
}

const CompareRow& Row(const Comparison& c, const std::string& name) {
  for (const CompareRow& r : c.rows)
    if (r.name == name) return r;
  static CompareRow none;
  ADD_FAILURE() << "no row " << name;
  return none;
}

TEST(CompareTest, VerdictsOnSyntheticData) {
  BenchRun base = MakeRun({{"create/runc", Samples(10e6, 0.02, 20, 1)},
                       {"start/runc", Samples(10e6, 0.02, 20, 2)},
                       {"state/runc", Samples(10e6, 0.02, 20, 3)},
                       {"kill/runc", Samples(10e6, 0.60, 3, 4)},
                       {"delete/runc", Samples(10e6, 0.02, 20, 5)}});
  BenchRun next = MakeRun({{"create/runc", Samples(13e6, 0.02, 20, 6)},   // 30% slower
                       {"start/runc", Samples(7e6, 0.02, 20, 7)},     // 30% faster
                       {"state/runc", Samples(10e6, 0.02, 20, 8)},    // same
                       {"kill/runc", Samples(14e6, 0.60, 3, 9)},      // slower but wild and few
                       {"pause/runc", Samples(10e6, 0.02, 20, 10)}}); // new
  Comparison c = CompareRuns(base, next, CompareOptions{});
  EXPECT_EQ(Row(c, "create/runc").verdict, Verdict::kRegressed);
  EXPECT_LT(Row(c, "create/runc").utest.p_value, 0.001);
  EXPECT_NEAR(Row(c, "create/runc").change, 0.30, 0.03);
  EXPECT_EQ(Row(c, "start/runc").verdict, Verdict::kImproved);
  EXPECT_EQ(Row(c, "state/runc").verdict, Verdict::kUnchanged);
  EXPECT_EQ(Row(c, "kill/runc").verdict, Verdict::kNoisy);
  EXPECT_EQ(Row(c, "delete/runc").verdict, Verdict::kMissing);
  EXPECT_EQ(Row(c, "pause/runc").verdict, Verdict::kMissing);
  EXPECT_TRUE(c.HasRegression());
  EXPECT_EQ(c.Count(Verdict::kRegressed), 1);
}

TEST(CompareTest, IdenticalRunsHaveNoRegression) {
  BenchRun base = MakeRun({{"create/runc", Samples(10e6, 0.05, 15, 1)}});
  Comparison c = CompareRuns(base, base, CompareOptions{});
  EXPECT_FALSE(c.HasRegression());
  EXPECT_EQ(c.rows[0].verdict, Verdict::kUnchanged);
  EXPECT_DOUBLE_EQ(c.rows[0].change, 0);
}

TEST(CompareTest, ThresholdHidesSmallSignificantChanges) {
  BenchRun base = MakeRun({{"state/runc", Samples(10e6, 0.001, 30, 1)}});
  BenchRun next = MakeRun({{"state/runc", Samples(10.3e6, 0.001, 30, 2)}});  // +3%, clearly significant
  CompareOptions loose;
  loose.threshold = 0.05;
  EXPECT_EQ(CompareRuns(base, next, loose).rows[0].verdict, Verdict::kUnchanged);
  CompareOptions tight;
  tight.threshold = 0.01;
  EXPECT_EQ(CompareRuns(base, next, tight).rows[0].verdict, Verdict::kRegressed);
}

TEST(CompareTest, SkippedCasesAreMissingNotRegressed) {
  BenchRun base = MakeRun({{"create/x", Samples(10e6, 0.01, 10, 1)}});
  BenchRun next = MakeRun({{"create/x", {}}});
  next.cases[0].status = "error";
  next.cases[0].message = "runtime failed";
  Comparison c = CompareRuns(base, next, CompareOptions{});
  EXPECT_EQ(c.rows[0].verdict, Verdict::kMissing);
  EXPECT_NE(c.rows[0].note.find("runtime failed"), std::string::npos);
}

TEST(CompareTest, FormatsCarryVerdicts) {
  BenchRun base = MakeRun({{"create/runc", Samples(10e6, 0.02, 20, 1)}});
  BenchRun next = MakeRun({{"create/runc", Samples(13e6, 0.02, 20, 2)}});
  Comparison c = CompareRuns(base, next, CompareOptions{});
  std::string text = FormatComparisonText(c);
  EXPECT_NE(text.find("regressed"), std::string::npos);
  EXPECT_NE(text.find("1 regressed"), std::string::npos);
  std::string md = FormatComparisonMarkdown(c);
  EXPECT_NE(md.find("| `create/runc` |"), std::string::npos);
  EXPECT_NE(md.find("**regressed**"), std::string::npos);
  EXPECT_NE(md.find(":x:"), std::string::npos);
  std::string json = FormatComparisonJson(c);
  EXPECT_NE(json.find("\"regression\": true"), std::string::npos);
}

}  // namespace
}  // namespace ocicert::reports
