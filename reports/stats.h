// Statistics for benchmark samples: order statistics, dispersion, and the Mann-Whitney U test that
// Google Benchmark's tools/compare.py applies (scipy.stats.mannwhitneyu, two-sided, method "auto").
#pragma once

#include <cstddef>
#include <vector>

namespace ocicert::reports {

// Order and dispersion statistics of one sample set. All zero for an empty set.
struct Summary {
  size_t n = 0;
  double min = 0, max = 0, mean = 0;
  double median = 0, p25 = 0, p75 = 0, p90 = 0, p99 = 0;
  double stddev = 0;  // sample standard deviation (n - 1), 0 when n < 2
  double cv = 0;      // coefficient of variation: stddev / mean, 0 when the mean is 0
};

// The p-th percentile (0..100) of values sorted ascending, with linear interpolation between the
// closest ranks (numpy's default, "type 7"). 0 for an empty vector.
double PercentileSorted(const std::vector<double>& sorted, double p);

// Summarises samples in any order.
Summary Summarize(std::vector<double> samples);

struct UTestResult {
  double u = 0;        // U statistic of the first sample: R1 - n1(n1+1)/2
  double p_value = 1;  // two-sided
  bool exact = false;  // exact distribution (no ties and one side has at most 8 values) or normal approx.
  bool valid = false;  // false when either side is empty (p_value stays 1)
};

// Two-sided Mann-Whitney U test of x against y, as scipy.stats.mannwhitneyu(x, y,
// alternative="two-sided") with method "auto": the exact distribution when there are no ties and
// min(n1, n2) <= 8, else the normal approximation with tie correction and continuity correction.
// kExact / kAsymptotic force a method (scipy's method="exact" / "asymptotic").
enum class UMethod { kAuto, kExact, kAsymptotic };
UTestResult MannWhitneyU(const std::vector<double>& x, const std::vector<double>& y,
                         UMethod method = UMethod::kAuto);

}  // namespace ocicert::reports
