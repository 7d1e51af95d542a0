// Compares two benchmark runs case by case: the change of the median, a two-sided Mann-Whitney U test
// on the samples, and a verdict a CI can gate on.
#pragma once

#include <string>
#include <vector>

#include "reports/bench_result.h"

namespace ocicert::reports {

struct CompareOptions {
  double threshold = 0.05;  // relative change of the median that matters (0.05 = 5%)
  double alpha = 0.05;      // significance level of the U test
  // Non-empty: compare each case's ratio to this runtime's same case measured in the same run
  // (every sample divided by the reference's median of that run), so that a baseline recorded on
  // another machine still gates. The reference's own cases are left out.
  std::string normalize_to;
};

enum class Verdict { kImproved, kRegressed, kUnchanged, kNoisy, kMissing };
const char* VerdictName(Verdict v);

struct CompareRow {
  std::string name;
  // Medians in ns, or ratios to the reference runtime with CompareOptions::normalize_to.
  double base_median = 0, new_median = 0;
  double change = 0;  // (new - base) / base; positive is slower
  UTestResult utest;
  size_t base_n = 0, new_n = 0;
  Verdict verdict = Verdict::kUnchanged;
  std::string note;  // why noisy or missing
};

struct Comparison {
  CompareOptions options;
  std::vector<CompareRow> rows;  // base order, then cases only in the new run
  int Count(Verdict v) const;
  bool HasRegression() const { return Count(Verdict::kRegressed) > 0; }
};

// Verdict rules (per case present and ok in both runs):
//   p < alpha and |change| > threshold  -> improved (faster) or regressed (slower)
//   p >= alpha and |change| > threshold -> noisy (a large change the samples cannot confirm)
//   otherwise                           -> unchanged
// Fewer than 2 samples on a side cannot be tested: a large change is then noisy.
// With normalize_to, a case whose reference case is absent or failed in a run is missing.
Comparison CompareRuns(const BenchRun& base, const BenchRun& candidate, const CompareOptions& options);

// kInvalidArgument naming --normalize-to when `run` (called `which`) has no ok case of `runtime`.
base::Status CheckNormalizeTo(const BenchRun& run, const std::string& runtime, const std::string& which);

std::string FormatComparisonText(const Comparison& c);
std::string FormatComparisonMarkdown(const Comparison& c);  // for a pull request comment
std::string FormatComparisonJson(const Comparison& c);

}  // namespace ocicert::reports
