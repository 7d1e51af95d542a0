// `ocicert report html`: one self-contained HTML file (inline CSS and SVG, no scripts, no external
// resources) with benchmark charts, the trend over several runs, and conformance results.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "reports/bench_result.h"
#include "reports/conform_results.h"

namespace ocicert::reports {

struct HtmlInputs {
  std::vector<std::string> bench_files;    // bench.json or Google Benchmark JSON; each gets a section
  std::string conform_file;                // results.json (ocicert.conform/v2 or v1), optional
  std::vector<std::string> history_files;  // older runs, oldest first; with bench_files they form the trend
};

struct HtmlData {
  std::vector<BenchRun> runs;           // one section each
  std::vector<std::string> run_labels;  // file names
  std::vector<BenchRun> trend;          // history then runs, oldest first
  std::vector<std::string> trend_labels;
  std::optional<::reports::ConformResults> conform;
};

// Loads the files (errors name the file) and renders.
base::Result<std::string> RenderHtmlReport(const HtmlInputs& inputs);

// Renders already loaded data.
std::string RenderHtml(const HtmlData& data);

}  // namespace ocicert::reports
