// ocicert report compare BASE.json NEW.json [--threshold PCT] [--alpha A] [--normalize-to RUNTIME]
//                       [--format text|markdown|json]
// ocicert report html [--bench FILE]... [--conform results.json] [--history FILE]... -o report.html
// ocicert report merge RESULTS... -o DIR [--expect hosts.json] [--allow-mixed-suites]
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "base/file.h"
#include "ocicert/commands.h"
#include "reports/compare.h"
#include "reports/html_report.h"
#include "reports/merge.h"

namespace ocicert {
namespace {

int Fail(const base::Status& s) {
  std::fprintf(stderr, "ocicert report: %s\n", s.message().c_str());
  return 2;
}

// Exit 0 without a significant regression, 1 with one, 2 on bad input.
int RunCompare(const std::string& base_path, const std::string& new_path, const reports::CompareOptions& options,
               const std::string& format) {
  auto base = reports::LoadBenchFile(base_path);
  if (!base.ok()) return Fail(base.status());
  auto candidate = reports::LoadBenchFile(new_path);
  if (!candidate.ok()) return Fail(candidate.status());
  if (!options.normalize_to.empty()) {
    base::Status s = reports::CheckNormalizeTo(*base, options.normalize_to, base_path);
    if (s.ok()) s = reports::CheckNormalizeTo(*candidate, options.normalize_to, new_path);
    if (!s.ok()) return Fail(s);
  }
  reports::Comparison c = reports::CompareRuns(*base, *candidate, options);
  std::string out = format == "markdown" ? reports::FormatComparisonMarkdown(c)
                    : format == "json"   ? reports::FormatComparisonJson(c)
                                         : reports::FormatComparisonText(c);
  std::fputs(out.c_str(), stdout);
  return c.HasRegression() ? 1 : 0;
}

int RunHtml(const reports::HtmlInputs& inputs, const std::string& out_path) {
  auto html = reports::RenderHtmlReport(inputs);
  if (!html.ok()) return Fail(html.status());
  base::Status s = base::WriteFileAtomic(out_path, *html);
  if (!s.ok()) return Fail(s.Wrap("write " + out_path));
  std::printf("wrote %s\n", out_path.c_str());
  return 0;
}

// Exit 0 merged, 1 merged but an expected host is missing, 2 on bad input (nothing written).
int RunMerge(const std::vector<std::string>& paths, const std::string& expect_path, bool allow_mixed,
             const std::string& out_dir) {
  ::reports::MergeOptions options;
  options.allow_mixed_suites = allow_mixed;
  if (!expect_path.empty()) {
    auto expect = ::reports::LoadExpectedHosts(expect_path);
    if (!expect.ok()) return Fail(expect.status().Wrap("--expect"));
    options.expect = std::move(*expect);
  }
  auto files = ::reports::ExpandResultPaths(paths);
  if (!files.ok()) return Fail(files.status());
  std::vector<::reports::LoadedResult> inputs;
  for (const std::string& f : *files) {
    auto loaded = ::reports::LoadResultFile(f);
    if (!loaded.ok()) return Fail(loaded.status());
    inputs.push_back(std::move(*loaded));
  }
  auto merged = ::reports::MergeResults(inputs, options);
  if (!merged.ok()) return Fail(merged.status());
  for (const std::string& w : merged->warnings) std::fprintf(stderr, "ocicert report merge: warning: %s\n", w.c_str());
  if (base::Status s = ::reports::WriteMergedReports(out_dir, *merged); !s.ok()) return Fail(s.Wrap("write " + out_dir));
  std::printf("merged %zu files from %zu hosts: %zu cases, %d differ between hosts; wrote %s/report.html, "
              "summary.md, junit.xml, merged.json\n",
              inputs.size(), merged->hosts.size(), merged->cases.size(), merged->differing, out_dir.c_str());
  for (const std::string& h : merged->missing_hosts)
    std::fprintf(stderr, "ocicert report merge: expected host \"%s\" is missing (no results match it)\n", h.c_str());
  return merged->missing_hosts.empty() ? 0 : 1;
}

}  // namespace

int RunReport(int argc, char** argv) {
  CLI::App app{"Compare benchmark results and render reports", "ocicert report"};
  app.require_subcommand(1);

  CLI::App* compare = app.add_subcommand("compare", "compare two bench.json (or Google Benchmark JSON) files; "
                                         "exit 1 on a significant regression");
  std::string base_path, new_path, format = "text";
  double threshold_pct = 5;
  reports::CompareOptions options;
  compare->add_option("BASE", base_path, "baseline result file")->required();
  compare->add_option("NEW", new_path, "new result file")->required();
  compare->add_option("--threshold", threshold_pct, "relative change of the median that matters, in percent")
      ->check(CLI::Range(0.0, 1000.0));
  compare->add_option("--alpha", options.alpha, "significance level of the Mann-Whitney U test")
      ->check(CLI::Range(0.0, 1.0));
  compare->add_option("--format", format, "text, markdown or json")
      ->check(CLI::IsMember({"text", "markdown", "json"}));
  compare->add_option("--normalize-to", options.normalize_to,
                      "compare each runtime's ratio to this runtime measured in the same run (both files carry "
                      "it), so a baseline from another machine still gates");

  CLI::App* html = app.add_subcommand("html", "render one self-contained HTML report with SVG charts");
  reports::HtmlInputs inputs;
  std::string out_path;
  html->add_option("--bench", inputs.bench_files, "bench.json files (one run each, shown side by side)");
  html->add_option("--conform", inputs.conform_file, "conformance results.json (ocicert.conform/v2 or v1)");
  html->add_option("--history", inputs.history_files, "older bench.json files, oldest first, for the trend");
  html->add_option("-o,--out", out_path, "output HTML file")->required();

  CLI::App* merge = app.add_subcommand("merge", "merge results.json and bench.json files of many hosts into one "
                                       "report (HTML, Markdown, JUnit, JSON); exit 1 when an expected host is missing");
  std::vector<std::string> merge_paths;
  std::string expect_path, merge_out;
  bool allow_mixed = false;
  merge->add_option("RESULTS", merge_paths, "results.json / bench.json files, or folders holding them")->required();
  merge->add_option("--expect", expect_path, "hosts.json: the hosts that must be present (docs/fleet.md)");
  merge->add_flag("--allow-mixed-suites", allow_mixed, "merge results of different ocicert suite versions");
  merge->add_option("-o,--out", merge_out, "output folder")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (compare->parsed()) {
    options.threshold = threshold_pct / 100.0;
    return RunCompare(base_path, new_path, options, format);
  }
  if (merge->parsed()) return RunMerge(merge_paths, expect_path, allow_mixed, merge_out);
  if (inputs.bench_files.empty() && inputs.conform_file.empty() && inputs.history_files.empty()) {
    std::fprintf(stderr, "ocicert report html: give at least one of --bench, --conform, --history\n");
    return 2;
  }
  return RunHtml(inputs, out_path);
}

}  // namespace ocicert
