#include "reports/html_report.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "reports/svg_charts.h"

namespace ocicert::reports {
namespace {

const char kStyle[] = R"(<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}th{background:#f4f4f4}
.warn{background:#fff4d6;border:1px solid #e0c060;padding:6px 10px}.muted{color:#777}
svg{display:block;margin:8px 0}svg text{font:12px system-ui,sans-serif;fill:#333}svg .title{font-weight:600}
svg .grid{stroke:#e6e6e6}svg .box{fill:#fff;fill-opacity:.5;stroke-width:1.5}svg .median{stroke:#000;stroke-width:2}
svg .whisker{stroke-width:1.5}svg .sample{fill-opacity:.45}svg .reference{stroke:#000;stroke-dasharray:4 3}
.pass{background:#d8f5d8}.fail,.error{background:#f8d0d0}.skip{background:#eee}.waived{background:#fff0c0}
.charts{display:flex;flex-wrap:wrap;gap:8px}
</style>)";

std::string Ms(double ns) { return fmt::format("{:.3f}", ns / 1e6); }

// Runtime name -> colour index, in the order the run lists its runtimes.
std::map<std::string, size_t> Colors(const BenchRun& run) {
  std::map<std::string, size_t> colors;
  for (const BenchRuntime& r : run.runtimes) colors.emplace(r.name, colors.size());
  for (const BenchCase& c : run.cases) colors.emplace(c.runtime, colors.size());
  return colors;
}

std::string SeriesLabel(const BenchCase& c) { return c.layer == "cli" ? c.runtime : c.runtime + " (" + c.layer + ")"; }

std::string RunHeader(const BenchRun& run, const std::string& label) {
  std::string out = fmt::format("<p class=\"muted\">{} &middot; created {} &middot; host {} ({}, {} cpus, kernel {})"
                                " &middot; {} repetitions, interleaved</p>",
                                HtmlEscape(label), HtmlEscape(run.created), HtmlEscape(run.host.count("hostname") ? run.host.at("hostname") : "?"),
                                HtmlEscape(run.host.count("machine_kind") ? run.host.at("machine_kind") : "?"),
                                HtmlEscape(run.host.count("cpus") ? run.host.at("cpus") : "?"),
                                HtmlEscape(run.host.count("kernel") ? run.host.at("kernel") : "?"),
                                run.settings.repetitions);
  if (!run.runtimes.empty()) {
    out += "<table class=\"runtimes\"><tr><th>runtime</th><th>path</th><th>version</th></tr>";
    for (const BenchRuntime& r : run.runtimes)
      out += fmt::format("<tr><td>{}{}</td><td>{}</td><td>{}</td></tr>", HtmlEscape(r.name),
                         r.name == run.reference ? " (reference)" : "", HtmlEscape(r.path), HtmlEscape(r.version));
    out += "</table>";
  }
  for (const std::string& w : run.warnings) out += "<p class=\"warn\">" + HtmlEscape(w) + "</p>";
  return out;
}

std::string SummaryTable(const BenchRun& run) {
  std::string out = fmt::format(
      "<table class=\"summary\"><tr><th>benchmark</th><th>n</th><th>median ms</th><th>p90 ms</th><th>p99 ms</th>"
      "<th>min ms</th><th>CV</th><th>x {}</th><th>runtime peak RSS KiB</th><th>status</th></tr>",
      HtmlEscape(run.reference));
  for (const BenchCase& c : run.cases) {
    const Summary& s = c.summary;
    std::string ratio = c.ratio_to_reference ? fmt::format("{:.2f}", *c.ratio_to_reference) : "-";
    auto rss = c.counters.find("runtime_peak_rss_kb");
    std::string status = c.status == "ok" ? (c.noisy ? "noisy" : "ok") : c.status + ": " + c.message;
    out += fmt::format("<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                       "<td>{:.1f}%</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                       c.status == "ok" ? "ok" : "skip", HtmlEscape(c.name), s.n, Ms(s.median), Ms(s.p90), Ms(s.p99),
                       Ms(s.min), s.cv * 100, ratio, rss == c.counters.end() ? "-" : fmt::format("{:.0f}", rss->second),
                       HtmlEscape(status));
  }
  return out + "</table>";
}

// Main-variant cases grouped by operation, one latency chart each, in the run's order.
std::string LatencyCharts(const BenchRun& run) {
  auto colors = Colors(run);
  std::vector<std::string> ops;
  std::map<std::string, std::vector<LatencySeries>> by_op;
  for (const BenchCase& c : run.cases) {
    if (!c.variant.empty() || c.status != "ok" || c.samples_ns.empty()) continue;
    if (!by_op.count(c.operation)) ops.push_back(c.operation);
    by_op[c.operation].push_back({SeriesLabel(c), colors[c.runtime] + (c.layer == "cli" ? 0 : 3), c.samples_ns});
  }
  std::string out = "<div class=\"charts\">";
  for (const std::string& op : ops) out += LatencyChart(op, by_op[op]);
  return out + "</div>";
}

std::string Ratios(const BenchRun& run) {
  auto colors = Colors(run);
  std::vector<RatioBar> bars;
  for (const BenchCase& c : run.cases)
    if (c.variant.empty() && c.ratio_to_reference)
      bars.push_back({c.operation, SeriesLabel(c), colors[c.runtime] + (c.layer == "cli" ? 0 : 3), *c.ratio_to_reference});
  if (bars.empty()) return "<p class=\"muted\">No ratios: the reference runtime has no results.</p>";
  return RatioChart(run.reference, bars);
}

// One line per runtime over the values of a variant prefix ("threads:", "others:") of one operation.
std::string ScalingChart(const BenchRun& run, const std::string& op, const std::string& prefix, bool throughput) {
  auto colors = Colors(run);
  std::set<int> levels;
  for (const BenchCase& c : run.cases)
    if (c.operation == op && c.variant.rfind(prefix, 0) == 0 && c.status == "ok")
      levels.insert(std::stoi(c.variant.substr(prefix.size())));
  if (levels.empty()) return "";
  std::vector<std::string> labels;
  for (int l : levels) labels.push_back(std::to_string(l));
  std::map<std::string, LineSeries> series;
  for (const BenchCase& c : run.cases) {
    if (c.operation != op || c.variant.rfind(prefix, 0) != 0 || c.status != "ok" || c.summary.n == 0) continue;
    int level = std::stoi(c.variant.substr(prefix.size()));
    LineSeries& s = series[c.runtime];
    s.runtime = c.runtime;
    s.color = colors[c.runtime];
    s.values.resize(labels.size());
    size_t at = static_cast<size_t>(std::distance(levels.begin(), levels.find(level)));
    s.values[at] = throughput ? level / (c.summary.median / 1e9) : c.summary.median / 1e6;
  }
  std::vector<LineSeries> lines;
  for (auto& [name, s] : series) lines.push_back(s);
  std::string title = throughput ? "lifecycles per second with N running concurrently"
                                 : op + " latency with N other containers present";
  return LineChart("scaling", title, throughput ? "lifecycles/s" : "median ms", labels, lines);
}

std::string MemoryTable(const BenchRun& run) {
  std::string rows;
  for (const BenchCase& c : run.cases) {
    auto cg = c.counters.find("container_cgroup_memory_kb"), rss = c.counters.find("container_init_rss_kb");
    if (cg == c.counters.end() && rss == c.counters.end()) continue;
    rows += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>", HtmlEscape(c.runtime),
                        cg == c.counters.end() ? "-" : fmt::format("{:.0f}", cg->second),
                        rss == c.counters.end() ? "-" : fmt::format("{:.0f}", rss->second));
  }
  if (rows.empty()) return "";
  return "<h3>Per-container memory (median over the background containers)</h3><table class=\"memory\"><tr>"
         "<th>runtime</th><th>memory cgroup usage KiB</th><th>init RSS KiB</th></tr>" + rows + "</table>";
}

std::string RunSection(const BenchRun& run, const std::string& label) {
  std::string out = "<section class=\"bench\"><h2>Benchmarks: " + HtmlEscape(label) + "</h2>" + RunHeader(run, label);
  out += "<h3>Ratio to the reference</h3>" + Ratios(run);
  out += "<h3>Latency distribution per operation</h3><p class=\"muted\">Box: p25 to p75; bar: median; "
         "whiskers: min to p99; dots: every measured iteration.</p>" + LatencyCharts(run);
  std::string scaling = ScalingChart(run, "lifecycle", "threads:", true) + ScalingChart(run, "state", "others:", false) +
                        ScalingChart(run, "lifecycle", "others:", false);
  if (!scaling.empty()) out += "<h3>Scaling</h3><div class=\"charts\">" + scaling + "</div>";
  out += MemoryTable(run);
  out += "<h3>All results</h3>" + SummaryTable(run);
  return out + "</section>";
}

// Median per operation and runtime (main variant, cli) across runs, one chart per operation.
std::string TrendSection(const std::vector<BenchRun>& runs, const std::vector<std::string>& labels) {
  std::vector<std::string> ops;
  std::map<std::string, std::map<std::string, LineSeries>> lines;  // op -> runtime -> line
  std::map<std::string, size_t> colors;
  for (size_t i = 0; i < runs.size(); ++i) {
    for (const BenchCase& c : runs[i].cases) {
      if (!c.variant.empty() || c.layer != "cli" || c.status != "ok" || c.samples_ns.empty()) continue;
      if (!lines.count(c.operation)) ops.push_back(c.operation);
      colors.emplace(c.runtime, colors.size());
      LineSeries& s = lines[c.operation][c.runtime];
      s.runtime = c.runtime;
      s.color = colors[c.runtime];
      s.values.resize(runs.size());
      s.values[i] = Summarize(c.samples_ns).median / 1e6;
    }
  }
  std::string out = "<section class=\"trend\"><h2>Trend over " + std::to_string(runs.size()) + " runs</h2>"
                    "<p class=\"muted\">Median per run, oldest first.</p><div class=\"charts\">";
  for (const std::string& op : ops) {
    std::vector<LineSeries> series;
    for (auto& [rt, s] : lines[op]) {
      s.values.resize(runs.size());
      series.push_back(s);
    }
    out += LineChart("trend", op + ": median over runs", "ms", labels, series);
  }
  return out + "</div></section>";
}

std::string ConformSection(const ::reports::ConformResults& r) {
  std::string out = "<section class=\"conform\"><h2>Conformance</h2>";
  out += fmt::format("<p>Requirement coverage: {} of {} requirements passed (a requirement counts only where a "
                     "case naming it passed and none failed or was waived).</p>",
                     r.coverage.covered, r.coverage.total);
  out += "<table class=\"conform-summary\"><tr><th>runtime</th><th>version</th><th>verdict</th><th>pass</th>"
         "<th>fail</th><th>skip</th><th>waived</th><th>error</th><th>time s</th><th>failed requirements</th>"
         "<th>waived requirements</th><th>uncovered requirements</th></tr>";
  auto ids = [](const std::vector<std::string>& v) {
    std::string s;
    for (const std::string& id : v) s += (s.empty() ? "" : ", ") + id;
    return HtmlEscape(s);
  };
  for (const ::reports::RuntimeInfo& rt : r.runtimes) {
    auto it = r.summary.find(rt.name);
    ::reports::RuntimeSummary s = it == r.summary.end() ? ::reports::RuntimeSummary{} : it->second;
    std::string verdict = s.verdict;
    for (const std::string& why : s.reasons) verdict += "; " + why;
    for (const std::string& w : s.stale_waivers) verdict += "; stale waiver " + w;
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                       "<td>{:.1f}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                       HtmlEscape(rt.name), HtmlEscape(rt.version), HtmlEscape(verdict), s.pass, s.fail, s.skip,
                       s.waived, s.error, s.duration_s, ids(s.reqs_failed), ids(s.reqs_waived), ids(s.reqs_uncovered));
  }
  out += "</table><table class=\"conform-cases\"><tr><th>case</th><th>requirements</th>";
  for (const ::reports::RuntimeInfo& rt : r.runtimes) out += "<th>" + HtmlEscape(rt.name) + "</th>";
  out += "</tr>";
  for (const ::reports::CaseResult& c : r.cases) {
    std::string reqs;
    for (const std::string& q : c.requirements) reqs += (reqs.empty() ? "" : ", ") + q;
    out += fmt::format("<tr><td title=\"{}\">{}</td><td>{}</td>", HtmlEscape(c.title), HtmlEscape(c.id),
                       HtmlEscape(reqs));
    for (const ::reports::RuntimeInfo& rt : r.runtimes) {
      auto it = c.results.find(rt.name);
      if (it == c.results.end()) {
        out += "<td>-</td>";
        continue;
      }
      std::string v = ::reports::VerdictName(it->second.verdict);
      out += fmt::format("<td class=\"{0}\" title=\"{1}\">{0}</td>", v, HtmlEscape(it->second.message));
    }
    out += "</tr>";
  }
  return out + "</table></section>";
}

}  // namespace

std::string RenderHtml(const HtmlData& data) {
  std::string out = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>ocicert report</title>";
  out += kStyle;
  out += "</head><body><h1>ocicert report</h1>";
  for (size_t i = 0; i < data.runs.size(); ++i) out += RunSection(data.runs[i], data.run_labels[i]);
  if (data.trend.size() >= 2) out += TrendSection(data.trend, data.trend_labels);
  if (data.conform) out += ConformSection(*data.conform);
  return out + "</body></html>\n";
}

base::Result<std::string> RenderHtmlReport(const HtmlInputs& inputs) {
  HtmlData data;
  auto label = [](const std::string& path) {
    size_t slash = path.find_last_of('/');
    std::string dir = slash == std::string::npos ? "" : path.substr(0, slash);
    size_t dslash = dir.find_last_of('/');
    return dir.empty() ? path : dir.substr(dslash == std::string::npos ? 0 : dslash + 1) + "/" + path.substr(slash + 1);
  };
  for (const std::string& f : inputs.history_files) {
    ASSIGN_OR_RETURN(BenchRun run, LoadBenchFile(f));
    data.trend.push_back(std::move(run));
    data.trend_labels.push_back(label(f));
  }
  for (const std::string& f : inputs.bench_files) {
    ASSIGN_OR_RETURN(BenchRun run, LoadBenchFile(f));
    data.trend.push_back(run);
    data.trend_labels.push_back(label(f));
    data.runs.push_back(std::move(run));
    data.run_labels.push_back(label(f));
  }
  if (!inputs.conform_file.empty()) {
    ASSIGN_OR_RETURN_CTX(data.conform, ::reports::LoadConformResults(inputs.conform_file), inputs.conform_file);
  }
  return RenderHtml(data);
}

}  // namespace ocicert::reports
