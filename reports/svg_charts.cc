#include "reports/svg_charts.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace ocicert::reports {
namespace {

constexpr double kWidth = 760, kLeft = 110, kRight = 24;

// A round axis step giving about `ticks` intervals up to `max`.
double NiceStep(double max, int ticks) {
  if (max <= 0) return 1;
  double raw = max / ticks, mag = std::pow(10, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (raw <= m * mag) return m * mag;
  return 10 * mag;
}

std::string Number(double v) {
  if (v == 0) return "0";
  if (std::fabs(v) >= 100) return fmt::format("{:.0f}", v);
  if (std::fabs(v) >= 10) return fmt::format("{:.1f}", v);
  return fmt::format("{:.2f}", v);
}

// A horizontal value axis at y with gridlines up to `top`; returns the axis maximum.
std::string XAxis(double max, double y, double top, const std::string& unit, double* axis_max) {
  double step = NiceStep(max, 5);
  *axis_max = std::max(step, std::ceil(max / step) * step);
  std::string out;
  for (double v = 0; v <= *axis_max + step / 2; v += step) {
    double x = kLeft + v / *axis_max * (kWidth - kLeft - kRight);
    out += fmt::format("<line class=\"grid\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\"/>"
                       "<text class=\"tick\" x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4}</text>",
                       x, top, y, y + 14, Number(v));
  }
  out += fmt::format("<text class=\"unit\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>", kWidth - kRight,
                     y + 28, HtmlEscape(unit));
  return out;
}

double X(double v, double axis_max) { return kLeft + v / axis_max * (kWidth - kLeft - kRight); }

}  // namespace

std::string SeriesColor(size_t index) {
  static const char* kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"};
  return kPalette[index % (sizeof kPalette / sizeof kPalette[0])];
}

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string LatencyChart(const std::string& operation, const std::vector<LatencySeries>& series) {
  constexpr double kRow = 36, kTop = 28;
  double height = kTop + kRow * static_cast<double>(series.size()) + 40;
  double max_ms = 0;
  for (const LatencySeries& s : series)
    for (double v : s.samples_ns) max_ms = std::max(max_ms, v / 1e6);
  double axis_y = kTop + kRow * static_cast<double>(series.size()) + 4, axis_max = 1;
  std::string axis = XAxis(max_ms, axis_y, kTop - 4, "ms", &axis_max);
  std::string out = fmt::format(
      "<svg class=\"chart latency\" data-operation=\"{0}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{1}\" "
      "height=\"{2:.0f}\" viewBox=\"0 0 {1} {2:.0f}\" role=\"img\" aria-label=\"{0} latency\">"
      "<text class=\"title\" x=\"{3}\" y=\"16\">{0}: latency per iteration</text>{4}",
      HtmlEscape(operation), kWidth, height, kLeft, axis);
  for (size_t i = 0; i < series.size(); ++i) {
    const LatencySeries& s = series[i];
    Summary sum = Summarize(s.samples_ns);
    double cy = kTop + kRow * static_cast<double>(i) + kRow / 2;
    std::string color = SeriesColor(s.color);
    out += fmt::format("<g class=\"series\" data-runtime=\"{}\" data-median-ns=\"{:.0f}\" data-samples=\"{}\">",
                       HtmlEscape(s.runtime), sum.median, sum.n);
    out += fmt::format("<text class=\"label\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>", kLeft - 8,
                       cy + 4, HtmlEscape(s.runtime));
    for (size_t k = 0; k < s.samples_ns.size(); ++k) {
      double jitter = (static_cast<double>((k * 7919) % 13) - 6) * 1.2;  // deterministic spread
      out += fmt::format("<circle class=\"sample\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2\" fill=\"{}\"/>",
                         X(s.samples_ns[k] / 1e6, axis_max), cy + jitter, color);
    }
    if (sum.n > 0) {
      double x25 = X(sum.p25 / 1e6, axis_max), x75 = X(sum.p75 / 1e6, axis_max);
      out += fmt::format(
          "<line class=\"whisker\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\"/>"
          "<rect class=\"box\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"18\" stroke=\"{}\"/>"
          "<line class=\"median\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\"/>",
          X(sum.min / 1e6, axis_max), X(sum.p99 / 1e6, axis_max), cy, cy, color, x25, cy - 9,
          std::max(1.0, x75 - x25), color, X(sum.median / 1e6, axis_max), X(sum.median / 1e6, axis_max), cy - 11,
          cy + 11);
      out += fmt::format("<title>{}: median {:.3f} ms, p90 {:.3f} ms, p99 {:.3f} ms, n={}</title>",
                         HtmlEscape(s.runtime), sum.median / 1e6, sum.p90 / 1e6, sum.p99 / 1e6, sum.n);
    }
    out += "</g>";
  }
  return out + "</svg>";
}

std::string RatioChart(const std::string& reference, const std::vector<RatioBar>& bars) {
  constexpr double kBar = 14, kTop = 28;
  std::vector<std::string> ops;
  for (const RatioBar& b : bars)
    if (std::find(ops.begin(), ops.end(), b.operation) == ops.end()) ops.push_back(b.operation);
  double max = 1;
  for (const RatioBar& b : bars) max = std::max(max, b.ratio);
  double rows = static_cast<double>(bars.size()) + static_cast<double>(ops.size()) * 0.6;
  double axis_y = kTop + rows * kBar + 6, axis_max = 1;
  std::string axis = XAxis(max, axis_y, kTop - 4, "x " + reference + " (median)", &axis_max);
  std::string out = fmt::format(
      "<svg class=\"chart ratio\" data-reference=\"{0}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{1}\" "
      "height=\"{2:.0f}\" viewBox=\"0 0 {1} {2:.0f}\" role=\"img\" aria-label=\"ratios to {0}\">"
      "<text class=\"title\" x=\"{3}\" y=\"16\">median time relative to {0} (lower is faster)</text>{4}",
      HtmlEscape(reference), kWidth, axis_y + 44, kLeft, axis);
  double y = kTop;
  for (const std::string& op : ops) {
    out += fmt::format("<text class=\"label\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>", kLeft - 8,
                       y + kBar - 2, HtmlEscape(op));
    for (const RatioBar& b : bars) {
      if (b.operation != op) continue;
      out += fmt::format(
          "<rect class=\"bar\" data-operation=\"{}\" data-runtime=\"{}\" data-ratio=\"{:.4f}\" x=\"{}\" y=\"{:.1f}\" "
          "width=\"{:.1f}\" height=\"{:.0f}\" fill=\"{}\"><title>{} {}: {:.2f}x</title></rect>",
          HtmlEscape(b.operation), HtmlEscape(b.runtime), b.ratio, kLeft, y, X(b.ratio, axis_max) - kLeft, kBar - 3,
          SeriesColor(b.color), HtmlEscape(b.runtime), HtmlEscape(b.operation), b.ratio);
      y += kBar;
    }
    y += kBar * 0.6;
  }
  out += fmt::format("<line class=\"reference\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2:.1f}\"/>",
                     X(1, axis_max), kTop - 4, axis_y);
  std::vector<std::string> legend;  // one entry per runtime, in first-seen order
  for (const RatioBar& b : bars) {
    if (std::find(legend.begin(), legend.end(), b.runtime) != legend.end()) continue;
    double x = kLeft + 110.0 * static_cast<double>(legend.size());
    out += fmt::format("<g class=\"legend\"><rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"10\" height=\"10\" fill=\"{}\"/>"
                       "<text x=\"{:.0f}\" y=\"{:.0f}\">{}</text></g>",
                       x, axis_y + 24, SeriesColor(b.color), x + 14, axis_y + 33, HtmlEscape(b.runtime));
    legend.push_back(b.runtime);
  }
  return out + "</svg>";
}

std::string LineChart(const std::string& kind, const std::string& title, const std::string& unit,
                      const std::vector<std::string>& x_labels, const std::vector<LineSeries>& series) {
  constexpr double kTop = 28, kPlot = 180;
  double max = 0;
  for (const LineSeries& s : series)
    for (const auto& v : s.values)
      if (v) max = std::max(max, *v);
  double step = NiceStep(max, 4), axis_max = std::max(step, std::ceil(max / step) * step);
  double bottom = kTop + kPlot, width = kWidth - kLeft - kRight;
  auto px = [&](size_t i) {
    return x_labels.size() <= 1 ? kLeft + width / 2
                                : kLeft + width * static_cast<double>(i) / static_cast<double>(x_labels.size() - 1);
  };
  auto py = [&](double v) { return bottom - v / axis_max * kPlot; };
  std::string out = fmt::format(
      "<svg class=\"chart {0}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{1}\" height=\"{2:.0f}\" "
      "viewBox=\"0 0 {1} {2:.0f}\" role=\"img\" aria-label=\"{3}\"><text class=\"title\" x=\"{4}\" y=\"16\">{3}</text>",
      HtmlEscape(kind), kWidth, bottom + 56, HtmlEscape(title), kLeft);
  for (double v = 0; v <= axis_max + step / 2; v += step)
    out += fmt::format("<line class=\"grid\" x1=\"{0}\" x2=\"{1}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\"/><text class=\"tick\" "
                       "x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>",
                       kLeft, kWidth - kRight, py(v), kLeft - 6, py(v) + 4, Number(v));
  out += fmt::format("<text class=\"unit\" x=\"{}\" y=\"{}\">{}</text>", 8, kTop - 6, HtmlEscape(unit));
  for (size_t i = 0; i < x_labels.size(); ++i)
    out += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>", px(i),
                       bottom + 16, HtmlEscape(x_labels[i]));
  for (size_t k = 0; k < series.size(); ++k) {
    const LineSeries& s = series[k];
    std::string points, dots;
    for (size_t i = 0; i < s.values.size() && i < x_labels.size(); ++i) {
      if (!s.values[i]) continue;
      points += fmt::format("{:.1f},{:.1f} ", px(i), py(*s.values[i]));
      dots += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"><title>{} {}: {}</title></circle>",
                          px(i), py(*s.values[i]), SeriesColor(s.color), HtmlEscape(s.runtime),
                          HtmlEscape(x_labels[i]), Number(*s.values[i]));
    }
    double legend_x = kLeft + 110.0 * static_cast<double>(k);
    out += fmt::format("<g class=\"series\" data-runtime=\"{0}\"><polyline points=\"{1}\" fill=\"none\" "
                       "stroke=\"{2}\" stroke-width=\"2\"/>{3}<rect x=\"{4:.0f}\" y=\"{5:.0f}\" width=\"10\" "
                       "height=\"10\" fill=\"{2}\"/><text class=\"legend\" x=\"{6:.0f}\" y=\"{7:.0f}\">{0}</text></g>",
                       HtmlEscape(s.runtime), points, SeriesColor(s.color), dots, legend_x, bottom + 30,
                       legend_x + 14, bottom + 39);
  }
  return out + "</svg>";
}

}  // namespace ocicert::reports
