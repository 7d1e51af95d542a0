#include "reports/stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ocicert::reports {
namespace {

// Average ranks (1-based) of the pooled values, and the tie term sum(t^3 - t) over tie groups.
struct Ranks {
  std::vector<double> rank;  // in the pooled order: x first, then y
  double tie_term = 0;
};

Ranks RankPooled(const std::vector<double>& pooled) {
  std::vector<size_t> order(pooled.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return pooled[a] < pooled[b]; });
  Ranks r;
  r.rank.assign(pooled.size(), 0);
  size_t i = 0;
  while (i < order.size()) {
    size_t j = i;
    while (j + 1 < order.size() && pooled[order[j + 1]] == pooled[order[i]]) ++j;
    double avg = (static_cast<double>(i + 1) + static_cast<double>(j + 1)) / 2.0;
    for (size_t k = i; k <= j; ++k) r.rank[order[k]] = avg;
    double t = static_cast<double>(j - i + 1);
    r.tie_term += t * t * t - t;
    i = j + 1;
  }
  return r;
}

// P(U >= k) under the null hypothesis for sample sizes m and n. The counts of U are the coefficients
// of the Gaussian binomial [m+n choose m]_q = prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i).
double ExactSurvival(size_t m, size_t n, size_t k) {
  if (m > n) std::swap(m, n);
  std::vector<long double> c(m * n + 1, 0.0L);
  c[0] = 1.0L;
  for (size_t i = 1; i <= m; ++i) {
    size_t up = n + i;
    for (size_t d = c.size(); d-- > up;) c[d] -= c[d - up];   // multiply by (1 - q^(n+i))
    for (size_t d = i; d < c.size(); ++d) c[d] += c[d - i];   // divide by (1 - q^i)
  }
  long double total = 0, tail = 0;
  for (size_t d = 0; d < c.size(); ++d) {
    total += c[d];
    if (d >= k) tail += c[d];
  }
  return static_cast<double>(tail / total);
}

double NormalSurvival(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

}  // namespace

double PercentileSorted(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  double pos = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(sorted.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, sorted.size() - 1);
  double frac = pos - static_cast<double>(lo);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

Summary Summarize(std::vector<double> samples) {
  Summary s;
  if (samples.empty()) return s;
  std::sort(samples.begin(), samples.end());
  s.n = samples.size();
  s.min = samples.front();
  s.max = samples.back();
  s.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(s.n);
  s.median = PercentileSorted(samples, 50);
  s.p25 = PercentileSorted(samples, 25);
  s.p75 = PercentileSorted(samples, 75);
  s.p90 = PercentileSorted(samples, 90);
  s.p99 = PercentileSorted(samples, 99);
  if (s.n >= 2) {
    double sq = 0;
    for (double v : samples) sq += (v - s.mean) * (v - s.mean);
    s.stddev = std::sqrt(sq / static_cast<double>(s.n - 1));
  }
  s.cv = s.mean != 0 ? s.stddev / s.mean : 0;
  return s;
}

UTestResult MannWhitneyU(const std::vector<double>& x, const std::vector<double>& y, UMethod method) {
  UTestResult r;
  if (x.empty() || y.empty()) return r;
  r.valid = true;
  std::vector<double> pooled(x);
  pooled.insert(pooled.end(), y.begin(), y.end());
  Ranks ranks = RankPooled(pooled);
  double n1 = static_cast<double>(x.size()), n2 = static_cast<double>(y.size());
  double r1 = std::accumulate(ranks.rank.begin(), ranks.rank.begin() + static_cast<long>(x.size()), 0.0);
  r.u = r1 - n1 * (n1 + 1) / 2;
  double u_max = std::max(r.u, n1 * n2 - r.u);
  bool ties = ranks.tie_term > 0;
  r.exact = method == UMethod::kExact ||
            (method == UMethod::kAuto && !ties && std::min(x.size(), y.size()) <= 8);
  double one_sided;
  if (r.exact) {
    one_sided = ExactSurvival(x.size(), y.size(), static_cast<size_t>(std::llround(u_max)));
  } else {
    double n = n1 + n2;
    double var = n1 * n2 / 12.0 * ((n + 1) - ranks.tie_term / (n * (n - 1)));
    if (var <= 0) return r;  // every value tied: no evidence of a difference
    one_sided = NormalSurvival((u_max - n1 * n2 / 2 - 0.5) / std::sqrt(var));
  }
  r.p_value = std::clamp(2 * one_sided, 0.0, 1.0);
  return r;
}

}  // namespace ocicert::reports
