#include "reports/html_report.h"

#include <gtest/gtest.h>

namespace ocicert::reports {
namespace {

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

BenchCase Case(const std::string& op, const std::string& variant, const std::string& rt, double ms) {
  BenchCase c;
  c.operation = op;
  c.variant = variant;
  c.runtime = rt;
  c.name = op + (variant.empty() ? "" : "/" + variant) + "/" + rt;
  for (int i = 0; i < 9; ++i) c.samples_ns.push_back((ms + 0.1 * i) * 1e6);
  return c;
}

BenchRun SampleRun(double scale) {
  BenchRun run;
  run.created = "2026-11-28T12:00:00Z";
  run.reference = "ocirun";
  run.settings.repetitions = 3;
  run.runtimes = {{"ocirun", "/b/ocirun", "0.1"}, {"runc", "/usr/sbin/runc", "1.1.5"}, {"crun", "/usr/bin/crun", "1.8.1"}};
  for (const char* op : {"create", "start", "state"})
    for (const char* rt : {"ocirun", "runc", "crun"}) run.cases.push_back(Case(op, "", rt, 10 * scale));
  for (const char* rt : {"ocirun", "runc"}) {
    run.cases.push_back(Case("lifecycle", "threads:1", rt, 50));
    run.cases.push_back(Case("lifecycle", "threads:4", rt, 120));
    run.cases.push_back(Case("state", "others:0", rt, 5));
    run.cases.push_back(Case("state", "others:10", rt, 6));
  }
  run.cases.back().counters["container_cgroup_memory_kb"] = 512;
  BenchCase skipped = Case("create", "", "runc", 0);
  skipped.name = "create/runc/hyperv";
  skipped.isolation = "hyperv";
  skipped.samples_ns.clear();
  skipped.status = "skipped";
  skipped.message = "runc offers no <hyperv> isolation";
  run.cases.push_back(skipped);
  FinishRun(run);
  return run;
}

::reports::ConformResults SampleConform() {
  ::reports::ConformResults r;
  r.runtimes = {{"ocirun", "/b/ocirun", "0.1"}, {"runc", "/usr/sbin/runc", "1.1.5"}};
  r.coverage = {40, 120, {}};
  ::reports::CaseResult c;
  c.id = "lifecycle.start.created";
  c.suite = "lifecycle";
  c.title = "start runs the process";
  c.requirements = {"StartNotCreatedHaveNoEffect"};
  c.results["ocirun"].verdict = ::reports::Verdict::kPass;
  c.results["runc"].verdict = ::reports::Verdict::kFail;
  c.results["runc"].message = "exit 1";
  r.cases.push_back(c);
  ::reports::Summarize(r);
  return r;
}

TEST(HtmlReportTest, HasLatencyRatioScalingCharts) {
  HtmlData data;
  data.runs = {SampleRun(1)};
  data.run_labels = {"run/bench.json"};
  std::string html = RenderHtml(data);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(Count(html, "<svg class=\"chart latency\""), 3u);  // create, start, state
  EXPECT_NE(html.find("data-operation=\"create\""), std::string::npos);
  // Three runtimes in each latency chart.
  EXPECT_EQ(Count(html, "<g class=\"series\" data-runtime=\"crun\""), 3u);
  EXPECT_EQ(Count(html, "<svg class=\"chart ratio\""), 1u);
  EXPECT_EQ(Count(html, "<rect class=\"bar\""), 9u);
  EXPECT_EQ(Count(html, "<svg class=\"chart scaling\""), 2u);  // threads and state/others
  EXPECT_NE(html.find("<td>runc</td><td>512</td>"), std::string::npos);  // memory table
  EXPECT_NE(html.find("runc offers no &lt;hyperv&gt; isolation"), std::string::npos);  // escaped
  EXPECT_EQ(html.find("<svg class=\"chart trend\""), std::string::npos);                // one run: no trend
  EXPECT_EQ(html.find("<script"), std::string::npos);                                   // self-contained, static
  EXPECT_EQ(Count(html, "http"), Count(html, "http://www.w3.org/2000/svg"));  // no external resources
}

TEST(HtmlReportTest, TrendAndConformance) {
  HtmlData data;
  data.trend = {SampleRun(1), SampleRun(1.2), SampleRun(0.9)};
  data.trend_labels = {"a", "b", "c"};
  data.conform = SampleConform();
  std::string html = RenderHtml(data);
  EXPECT_EQ(Count(html, "<svg class=\"chart trend\""), 3u);  // create, start, state
  EXPECT_NE(html.find("Trend over 3 runs"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"fail\" title=\"exit 1\">fail</td>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"pass\""), std::string::npos);
  EXPECT_NE(html.find("40 of 120 requirements"), std::string::npos);
}

TEST(HtmlReportTest, MissingFilesAreNamed) {
  HtmlInputs in;
  in.bench_files = {"/nonexistent/bench.json"};
  auto r = RenderHtmlReport(in);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("/nonexistent/bench.json"), std::string::npos);
}

}  // namespace
}  // namespace ocicert::reports
