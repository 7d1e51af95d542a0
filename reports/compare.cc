#include "reports/compare.h"

#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ocicert::reports {
namespace {

Verdict Judge(const CompareRow& row, const CompareOptions& o, std::string& note) {
  bool large = std::fabs(row.change) > o.threshold;
  if (row.base_n < 2 || row.new_n < 2) {
    if (large) note = "too few samples to test";
    return large ? Verdict::kNoisy : Verdict::kUnchanged;
  }
  bool significant = row.utest.valid && row.utest.p_value < o.alpha;
  if (large && significant) return row.change > 0 ? Verdict::kRegressed : Verdict::kImproved;
  if (large) note = fmt::format("p={:.3f} >= alpha {:.3f}", row.utest.p_value, o.alpha);
  return large ? Verdict::kNoisy : Verdict::kUnchanged;
}

CompareRow CompareCase(const BenchCase* b, const BenchCase* n, const CompareOptions& o) {
  CompareRow row;
  row.name = b ? b->name : n->name;
  if (!b || !n) {
    row.verdict = Verdict::kMissing;
    row.note = b ? "not in the new run" : "new in this run";
    return row;
  }
  if (b->status != "ok" || n->status != "ok") {
    row.verdict = Verdict::kMissing;
    row.note = b->status != "ok" ? "base " + b->status + ": " + b->message : "new " + n->status + ": " + n->message;
    return row;
  }
  Summary bs = Summarize(b->samples_ns), ns = Summarize(n->samples_ns);
  row.base_n = bs.n;
  row.new_n = ns.n;
  row.base_median = bs.median;
  row.new_median = ns.median;
  row.change = bs.median > 0 ? (ns.median - bs.median) / bs.median : 0;
  row.utest = MannWhitneyU(b->samples_ns, n->samples_ns);
  row.verdict = Judge(row, o, row.note);
  return row;
}

// The key of a case's reference: the same operation, variant and isolation for `runtime`, through
// its command line.
std::string ReferenceKey(const BenchCase& c) { return c.operation + "|" + c.variant + "|" + c.isolation; }

// Every non-reference case with its samples divided by the reference's median in the same run;
// a case without an ok reference becomes "skipped" with the reason.
BenchRun Normalize(const BenchRun& run, const std::string& ref) {
  std::map<std::string, double> ref_median;
  for (const BenchCase& c : run.cases)
    if (c.runtime == ref && c.layer == "cli" && c.status == "ok" && !c.samples_ns.empty())
      ref_median[ReferenceKey(c)] = Summarize(c.samples_ns).median;
  BenchRun out;
  for (const BenchCase& c : run.cases) {
    if (c.runtime == ref && c.layer == "cli") continue;
    BenchCase n = c;
    auto it = ref_median.find(ReferenceKey(c));
    if (c.status == "ok" && it != ref_median.end() && it->second > 0) {
      for (double& s : n.samples_ns) s /= it->second;
    } else if (c.status == "ok") {
      n.status = "skipped";
      n.message = "no ok " + ref + " case for it in this run";
      n.samples_ns.clear();
    }
    out.cases.push_back(std::move(n));
  }
  return out;
}

Comparison CompareCases(const BenchRun& base, const BenchRun& candidate, const CompareOptions& options) {
  Comparison c;
  c.options = options;
  std::set<std::string> seen;
  for (const BenchCase& b : base.cases) {
    seen.insert(b.name);
    c.rows.push_back(CompareCase(&b, candidate.Find(b.name), options));
  }
  for (const BenchCase& n : candidate.cases)
    if (!seen.count(n.name)) c.rows.push_back(CompareCase(nullptr, &n, options));
  return c;
}

std::string Duration(double ns) {
  if (ns >= 1e9) return fmt::format("{:.2f} s", ns / 1e9);
  if (ns >= 1e6) return fmt::format("{:.2f} ms", ns / 1e6);
  if (ns >= 1e3) return fmt::format("{:.1f} us", ns / 1e3);
  return fmt::format("{:.0f} ns", ns);
}

// A median as the table shows it: a duration, or a ratio to the reference.
std::string Value(const Comparison& c, double v) {
  return c.options.normalize_to.empty() ? Duration(v) : fmt::format("{:.3f}x", v);
}

std::string PValue(const CompareRow& r) {
  if (r.verdict == Verdict::kMissing || !r.utest.valid || r.base_n < 2 || r.new_n < 2) return "-";
  return fmt::format("{:.4f}", r.utest.p_value);
}

std::string Change(const CompareRow& r) {
  if (r.verdict == Verdict::kMissing) return "-";
  return fmt::format("{:+.1f}%", r.change * 100);
}

std::string Tally(const Comparison& c) {
  std::string basis = c.options.normalize_to.empty()
                          ? ""
                          : ", medians as ratios to " + c.options.normalize_to + " measured in the same run";
  return fmt::format("{} regressed, {} improved, {} unchanged, {} noisy, {} missing (threshold {:.1f}%, alpha {}{})",
                     c.Count(Verdict::kRegressed), c.Count(Verdict::kImproved), c.Count(Verdict::kUnchanged),
                     c.Count(Verdict::kNoisy), c.Count(Verdict::kMissing), c.options.threshold * 100,
                     c.options.alpha, basis);
}

}  // namespace

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kImproved: return "improved";
    case Verdict::kRegressed: return "regressed";
    case Verdict::kUnchanged: return "unchanged";
    case Verdict::kNoisy: return "noisy";
    case Verdict::kMissing: return "missing";
  }
  return "?";
}

int Comparison::Count(Verdict v) const {
  int n = 0;
  for (const CompareRow& r : rows) n += r.verdict == v;
  return n;
}

Comparison CompareRuns(const BenchRun& base, const BenchRun& candidate, const CompareOptions& options) {
  if (options.normalize_to.empty()) return CompareCases(base, candidate, options);
  return CompareCases(Normalize(base, options.normalize_to), Normalize(candidate, options.normalize_to), options);
}

base::Status CheckNormalizeTo(const BenchRun& run, const std::string& runtime, const std::string& which) {
  std::string seen;
  std::set<std::string> names;
  for (const BenchCase& c : run.cases) {
    if (c.runtime == runtime && c.layer == "cli" && c.status == "ok") return base::Status::Ok();
    if (!c.runtime.empty() && names.insert(c.runtime).second) seen += (seen.empty() ? "" : ", ") + c.runtime;
  }
  return base::InvalidArgument("--normalize-to " + runtime + ": " + which + " has no successful " + runtime +
                               " case (runtimes there: " + (seen.empty() ? "none" : seen) + ")");
}

std::string FormatComparisonText(const Comparison& c) {
  size_t width = 9;
  for (const CompareRow& r : c.rows) width = std::max(width, r.name.size());
  bool ratios = !c.options.normalize_to.empty();
  std::string out = fmt::format("{:<{}}  {:>10}  {:>10}  {:>8}  {:>7}  {:<9}  {}\n", "benchmark", width,
                                ratios ? "base ratio" : "base", ratios ? "new ratio" : "new", "change", "p",
                                "verdict", "note");
  for (const CompareRow& r : c.rows) {
    bool timed = r.verdict != Verdict::kMissing;
    out += fmt::format("{:<{}}  {:>10}  {:>10}  {:>8}  {:>7}  {:<9}  {}\n", r.name, width,
                       timed ? Value(c, r.base_median) : "-", timed ? Value(c, r.new_median) : "-",
                       Change(r), PValue(r), VerdictName(r.verdict), r.note);
  }
  return out + Tally(c) + "\n";
}

std::string FormatComparisonMarkdown(const Comparison& c) {
  std::string out = c.HasRegression() ? "### :x: Benchmark regression\n\n" : "### Benchmark comparison\n\n";
  std::string unit = c.options.normalize_to.empty() ? "median" : "median / " + c.options.normalize_to;
  out += Tally(c) + fmt::format("\n\n| benchmark | base ({0}) | new ({0}) | change | p (U test) | verdict |\n", unit) +
         "|---|---:|---:|---:|---:|---|\n";
  for (const CompareRow& r : c.rows) {
    bool timed = r.verdict != Verdict::kMissing;
    std::string verdict = VerdictName(r.verdict);
    if (r.verdict == Verdict::kRegressed || r.verdict == Verdict::kImproved) verdict = "**" + verdict + "**";
    if (!r.note.empty()) verdict += " (" + r.note + ")";
    out += fmt::format("| `{}` | {} | {} | {} | {} | {} |\n", r.name, timed ? Value(c, r.base_median) : "-",
                       timed ? Value(c, r.new_median) : "-", Change(r), PValue(r), verdict);
  }
  return out;
}

std::string FormatComparisonJson(const Comparison& c) {
  nlohmann::json j;
  j["schema"] = "ocicert.compare/v1";
  j["threshold"] = c.options.threshold;
  j["alpha"] = c.options.alpha;
  bool ratios = !c.options.normalize_to.empty();
  j["normalize_to"] = ratios ? nlohmann::json(c.options.normalize_to) : nlohmann::json(nullptr);
  j["regression"] = c.HasRegression();
  j["rows"] = nlohmann::json::array();
  for (const CompareRow& r : c.rows) {
    nlohmann::json row = {{"name", r.name},     {"verdict", VerdictName(r.verdict)}, {"note", r.note},
                          {"change", r.change}, {"base_n", r.base_n},  {"new_n", r.new_n}};
    row[ratios ? "base_ratio" : "base_median_ns"] = r.base_median;
    row[ratios ? "new_ratio" : "new_median_ns"] = r.new_median;
    row["p_value"] = r.utest.valid ? nlohmann::json(r.utest.p_value) : nlohmann::json(nullptr);
    row["u"] = r.utest.u;
    row["exact"] = r.utest.exact;
    j["rows"].push_back(row);
  }
  return j.dump(2) + "\n";
}

}  // namespace ocicert::reports
