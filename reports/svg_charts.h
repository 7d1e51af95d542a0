// Inline SVG charts for the HTML report. Every chart is one <svg class="chart KIND"> whose series carry
// data-* attributes (runtime, operation, values), so tests and scripts can read them back.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reports/stats.h"

namespace ocicert::reports {

// A colour per runtime, stable by position.
std::string SeriesColor(size_t index);

// Escapes text for HTML/SVG content and attribute values.
std::string HtmlEscape(const std::string& text);

struct LatencySeries {
  std::string runtime;
  size_t color = 0;
  std::vector<double> samples_ns;
};

// Box plot (p25-p75, median, whiskers min-p99) with every sample as a dot, one row per runtime.
std::string LatencyChart(const std::string& operation, const std::vector<LatencySeries>& series);

struct RatioBar {
  std::string operation;
  std::string runtime;
  size_t color = 0;
  double ratio = 1;
};

// Horizontal bars of median ratios to the reference, grouped by operation, with a line at 1.0.
std::string RatioChart(const std::string& reference, const std::vector<RatioBar>& bars);

struct LineSeries {
  std::string runtime;
  size_t color = 0;
  std::vector<std::optional<double>> values;  // one per x label; nullopt: no point
};

// Lines over categorical x labels (history runs, scaling levels). `kind` becomes the svg class
// ("trend", "scaling"); `title` labels the chart; `unit` the y axis.
std::string LineChart(const std::string& kind, const std::string& title, const std::string& unit,
                      const std::vector<std::string>& x_labels, const std::vector<LineSeries>& series);

}  // namespace ocicert::reports
