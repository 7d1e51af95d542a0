// ocicert report compare BASE.json NEW.json [--threshold PCT] [--alpha A] [--normalize-to RUNTIME]
//                       [--format text|markdown|json]
// ocicert report html [--bench FILE]... [--conform results.json] [--history FILE]... -o report.html
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "base/file.h"
#include "ocicert/commands.h"
#include "reports/compare.h"
#include "reports/html_report.h"

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
  html->add_option("--conform", inputs.conform_file, "conformance results.json (ocicert.conform/v1)");
  html->add_option("--history", inputs.history_files, "older bench.json files, oldest first, for the trend");
  html->add_option("-o,--out", out_path, "output HTML file")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (compare->parsed()) {
    options.threshold = threshold_pct / 100.0;
    return RunCompare(base_path, new_path, options, format);
  }
  if (inputs.bench_files.empty() && inputs.conform_file.empty() && inputs.history_files.empty()) {
    std::fprintf(stderr, "ocicert report html: give at least one of --bench, --conform, --history\n");
    return 2;
  }
  return RunHtml(inputs, out_path);
}

}  // namespace ocicert
