#include "reports/stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <gtest/gtest.h>

namespace ocicert::reports {
namespace {

TEST(PercentileTest, LinearInterpolationLikeNumpy) {
  std::vector<double> v = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(PercentileSorted(v, 0), 1);
  EXPECT_DOUBLE_EQ(PercentileSorted(v, 50), 2.5);   // numpy.percentile([1,2,3,4], 50)
  EXPECT_DOUBLE_EQ(PercentileSorted(v, 90), 3.7);   // numpy.percentile([1,2,3,4], 90)
  EXPECT_DOUBLE_EQ(PercentileSorted(v, 100), 4);
  EXPECT_DOUBLE_EQ(PercentileSorted({7}, 99), 7);
  EXPECT_DOUBLE_EQ(PercentileSorted({}, 50), 0);
}

TEST(SummarizeTest, OrderStatisticsAndDispersion) {
  std::vector<double> v(100);
  std::iota(v.begin(), v.end(), 1.0);  // 1..100
  std::reverse(v.begin(), v.end());    // order must not matter
  Summary s = Summarize(v);
  EXPECT_EQ(s.n, 100u);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.max, 100);
  EXPECT_DOUBLE_EQ(s.mean, 50.5);
  EXPECT_DOUBLE_EQ(s.median, 50.5);
  EXPECT_NEAR(s.p90, 90.1, 1e-9);
  EXPECT_NEAR(s.p99, 99.01, 1e-9);
  EXPECT_NEAR(s.stddev, 29.011491975882016, 1e-9);  // numpy.std(range(1,101), ddof=1)
  EXPECT_NEAR(s.cv, 29.011491975882016 / 50.5, 1e-12);
}

TEST(SummarizeTest, DegenerateInputs) {
  Summary empty = Summarize({});
  EXPECT_EQ(empty.n, 0u);
  EXPECT_EQ(empty.cv, 0);
  Summary one = Summarize({5});
  EXPECT_EQ(one.stddev, 0);
  EXPECT_EQ(one.median, 5);
  Summary zeros = Summarize({0, 0});
  EXPECT_EQ(zeros.cv, 0);
}

// scipy.stats.mannwhitneyu documentation example (Conover): males vs females.
const std::vector<double> kMales = {19, 22, 16, 29, 24};
const std::vector<double> kFemales = {20, 11, 17, 12};

TEST(MannWhitneyUTest, ScipyDocExampleExact) {
  UTestResult r = MannWhitneyU(kMales, kFemales);
  EXPECT_TRUE(r.valid);
  EXPECT_TRUE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 17);
  EXPECT_NEAR(r.p_value, 0.1111111111111111, 1e-12);  // scipy: method="exact"
  UTestResult swapped = MannWhitneyU(kFemales, kMales);
  EXPECT_DOUBLE_EQ(swapped.u, 3);
  EXPECT_NEAR(swapped.p_value, r.p_value, 1e-15);
}

TEST(MannWhitneyUTest, ScipyDocExampleAsymptotic) {
  UTestResult r = MannWhitneyU(kMales, kFemales, UMethod::kAsymptotic);
  EXPECT_FALSE(r.exact);
  EXPECT_NEAR(r.p_value, 0.11134688653314041, 1e-12);  // scipy doc: method="asymptotic"
}

TEST(MannWhitneyUTest, AsymptoticWhenBothSidesExceedEight) {
  std::vector<double> x, y;
  for (int i = 1; i <= 20; ++i) {
    x.push_back(i);
    y.push_back(i + 5.5);
  }
  UTestResult r = MannWhitneyU(x, y);
  EXPECT_FALSE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 105);
  EXPECT_NEAR(r.p_value, 0.010581211443165657, 1e-12);  // scipy: mannwhitneyu(x, y) (asymptotic)
}

TEST(MannWhitneyUTest, TieCorrectionUsesNormalApproximation) {
  std::vector<double> x = {1, 2, 2, 3, 3, 3, 4, 5, 9, 10};
  std::vector<double> y = {3, 4, 4, 5, 6, 7, 8, 8, 9, 11, 12};
  UTestResult r = MannWhitneyU(x, y);
  EXPECT_FALSE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 24.5);
  EXPECT_NEAR(r.p_value, 0.03358730919724174, 1e-12);  // scipy: mannwhitneyu(x, y) (ties: asymptotic)
}

TEST(MannWhitneyUTest, SmallSamplesWithTiesAreAsymptotic) {
  // The doc example's values with one tie: scipy falls back to the normal approximation.
  UTestResult r = MannWhitneyU({19, 22, 16, 29, 24}, {20, 11, 17, 12, 19});
  EXPECT_FALSE(r.exact);
}

// Brute force: enumerate every way to split the pooled ranks and count U >= observed.
double BruteForceTwoSided(size_t m, size_t n, double u_obs) {
  std::vector<int> pick(m + n, 0);
  std::fill(pick.begin(), pick.begin() + static_cast<long>(m), 1);
  std::sort(pick.begin(), pick.end());
  double u_max = std::max(u_obs, static_cast<double>(m * n) - u_obs);
  long total = 0, extreme = 0;
  do {
    double r1 = 0;
    for (size_t i = 0; i < pick.size(); ++i) if (pick[i]) r1 += static_cast<double>(i + 1);
    double u = r1 - static_cast<double>(m * (m + 1)) / 2;
    ++total;
    if (u >= u_max) ++extreme;
  } while (std::next_permutation(pick.begin(), pick.end()));
  return std::min(1.0, 2.0 * static_cast<double>(extreme) / static_cast<double>(total));
}

TEST(MannWhitneyUTest, ExactMatchesEnumeration) {
  std::vector<double> x = {1.5, 3.5, 4.5, 8.5, 9.5, 12.5};
  std::vector<double> y = {2, 5, 6, 7, 10, 11, 13, 14};
  UTestResult r = MannWhitneyU(x, y);
  ASSERT_TRUE(r.exact);
  EXPECT_NEAR(r.p_value, BruteForceTwoSided(x.size(), y.size(), r.u), 1e-12);
  UTestResult separated = MannWhitneyU({1, 2, 3}, {4, 5, 6});
  EXPECT_NEAR(separated.p_value, 0.1, 1e-12);  // 2 / C(6,3)
}

TEST(MannWhitneyUTest, IdenticalOrEmptyInputs) {
  UTestResult same = MannWhitneyU({5, 5, 5}, {5, 5, 5});
  EXPECT_DOUBLE_EQ(same.p_value, 1);
  UTestResult empty = MannWhitneyU({}, {1, 2});
  EXPECT_FALSE(empty.valid);
  EXPECT_DOUBLE_EQ(empty.p_value, 1);
}

}  // namespace
}  // namespace ocicert::reports
