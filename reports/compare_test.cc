#include "reports/compare.h"

#include <cstdio>
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

// A run as `ocicert bench` writes it: cases named "<op>[/<variant>]/<runtime>[/library]" with their
// fields, medians in ns, each case `spread` noisy around its median.
BenchRun MakeBenchRun(const std::vector<std::pair<std::string, double>>& medians, double spread, unsigned seed) {
  BenchRun run;
  for (const auto& [name, median] : medians) {
    BenchCase c;
    c.name = name;
    std::vector<std::string> parts;
    for (size_t start = 0, slash = 0; slash != std::string::npos; start = slash + 1) {
      slash = name.find('/', start);
      parts.push_back(name.substr(start, slash - start));
    }
    c.operation = parts[0];
    size_t i = parts[1].find(':') != std::string::npos ? 2 : 1;
    if (i == 2) c.variant = parts[1];
    c.runtime = parts[i];
    if (parts.size() > i + 1) c.layer = parts[i + 1];
    c.samples_ns = Samples(median, spread, 15, seed++);
    run.cases.push_back(c);
  }
  FinishRun(run);
  return run;
}

// The same three runtimes on two machines; `slow` multiplies every median of the new one.
std::vector<std::pair<std::string, double>> Machine(double slow, double ocirun_create = 1.0) {
  return {{"create/ocirun", 30e6 * slow * ocirun_create}, {"create/crun", 20e6 * slow},
          {"create/runc", 40e6 * slow},                   {"create/ocirun/library", 15e6 * slow},
          {"state/others:10/ocirun", 8e6 * slow},         {"state/others:10/crun", 6e6 * slow},
          {"state/ocirun", 5e6 * slow},                   {"state/crun", 4e6 * slow}};
}

TEST(CompareNormalizedTest, AUniformlySlowerMachineIsNoRegression) {
  BenchRun base = MakeBenchRun(Machine(1.0), 0.03, 1);
  BenchRun next = MakeBenchRun(Machine(1.6), 0.03, 100);
  // Raw medians: everything "regressed" because the machine changed.
  EXPECT_GE(CompareRuns(base, next, CompareOptions{}).Count(Verdict::kRegressed), 8);
  CompareOptions o;
  o.normalize_to = "crun";
  Comparison c = CompareRuns(base, next, o);
  EXPECT_FALSE(c.HasRegression()) << FormatComparisonText(c);
  EXPECT_EQ(c.Count(Verdict::kImproved), 0) << FormatComparisonText(c);
  for (const CompareRow& r : c.rows) EXPECT_EQ(r.name.find("crun"), std::string::npos) << "reference row " << r.name;
  EXPECT_EQ(c.rows.size(), 5u);  // 8 cases, 3 of them crun's
  EXPECT_NEAR(Row(c, "create/ocirun").base_median, 1.5, 0.1);
  EXPECT_NEAR(Row(c, "create/runc").new_median, 2.0, 0.15);
  EXPECT_NEAR(Row(c, "state/others:10/ocirun").base_median, 8.0 / 6.0, 0.1);  // same variant's reference
  EXPECT_NEAR(Row(c, "create/ocirun/library").base_median, 0.75, 0.05);      // the CLI reference
}

TEST(CompareNormalizedTest, OnlyOcirunSlowerIsARegressionOnAnyMachine) {
  BenchRun base = MakeBenchRun(Machine(1.0), 0.03, 1);
  BenchRun next = MakeBenchRun(Machine(0.7, 1.4), 0.03, 100);  // a faster machine, ocirun create 40% slower
  CompareOptions o;
  o.normalize_to = "crun";
  Comparison c = CompareRuns(base, next, o);
  EXPECT_EQ(Row(c, "create/ocirun").verdict, Verdict::kRegressed) << FormatComparisonText(c);
  EXPECT_NEAR(Row(c, "create/ocirun").change, 0.4, 0.08);
  EXPECT_EQ(Row(c, "create/runc").verdict, Verdict::kUnchanged);
  EXPECT_EQ(Row(c, "state/ocirun").verdict, Verdict::kUnchanged);
  EXPECT_EQ(c.Count(Verdict::kRegressed), 1);
  // Raw medians call it an improvement (the machine is 30% faster, ocirun 2% slower).
  EXPECT_NE(CompareRuns(base, next, CompareOptions{}).rows[0].verdict, Verdict::kRegressed);
  std::string text = FormatComparisonText(c);
  char ratio[32];
  std::snprintf(ratio, sizeof ratio, "%.3fx", Row(c, "create/ocirun").base_median);
  EXPECT_NE(text.find(ratio), std::string::npos) << text;
  EXPECT_NE(text.find("ratios to crun"), std::string::npos) << text;
  EXPECT_NE(FormatComparisonJson(c).find("\"normalize_to\": \"crun\""), std::string::npos);
  EXPECT_NE(FormatComparisonMarkdown(c).find("median / crun"), std::string::npos);
}

TEST(CompareNormalizedTest, AFailedReferenceMakesItsCasesMissing) {
  BenchRun base = MakeBenchRun(Machine(1.0), 0.03, 1);
  BenchRun next = MakeBenchRun(Machine(1.0, 2.0), 0.03, 100);
  for (BenchCase& c : next.cases)
    if (c.name == "create/crun") c.status = "error", c.samples_ns.clear();
  CompareOptions o;
  o.normalize_to = "crun";
  Comparison c = CompareRuns(base, next, o);
  EXPECT_EQ(Row(c, "create/ocirun").verdict, Verdict::kMissing);
  EXPECT_NE(Row(c, "create/ocirun").note.find("no ok crun case"), std::string::npos) << Row(c, "create/ocirun").note;
  EXPECT_EQ(Row(c, "state/ocirun").verdict, Verdict::kUnchanged);
}

TEST(CompareNormalizedTest, TheReferenceMustBeInTheRun) {
  BenchRun run = MakeBenchRun(Machine(1.0), 0.03, 1);
  EXPECT_TRUE(CheckNormalizeTo(run, "crun", "base.json").ok());
  base::Status s = CheckNormalizeTo(run, "youki", "base.json");
  EXPECT_EQ(s.code(), base::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("--normalize-to youki: base.json"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("ocirun, crun, runc"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace ocicert::reports
