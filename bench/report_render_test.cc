// Renders an HTML report in headless Chromium and checks, in the DOM the browser built, that the charts
// and their series are there. Label slow: a browser start takes seconds.
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "base/file.h"
#include "base/subprocess.h"
#include "reports/html_report.h"

namespace ocicert::reports {
namespace {

constexpr char kChromium[] = "/usr/bin/chromium";

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

BenchRun SyntheticRun() {
  BenchRun run;
  run.reference = "ocirun";
  run.runtimes = {{"ocirun", "/x/ocirun", "0.1"}, {"runc", "/usr/sbin/runc", "1.1.5"}, {"crun", "/usr/bin/crun", "1.8.1"}};
  double base = 10;
  for (const char* op : {"create", "start", "delete"}) {
    for (const char* rt : {"ocirun", "runc", "crun"}) {
      BenchCase c;
      c.operation = op;
      c.runtime = rt;
      c.name = std::string(op) + "/" + rt;
      for (int i = 0; i < 12; ++i) c.samples_ns.push_back((base + i % 5) * 1e6);
      run.cases.push_back(c);
      base += 3;
    }
  }
  FinishRun(run);
  return run;
}

// Runs chromium headless with a fresh profile; returns its stdout.
std::string Chromium(const std::vector<std::string>& extra, const std::string& url) {
  char profile[] = "/tmp/oct-bench-chromium-XXXXXX";
  if (::mkdtemp(profile) == nullptr) return "";
  base::SubprocessOptions o;
  o.argv = {kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            std::string("--user-data-dir=") + profile};
  o.argv.insert(o.argv.end(), extra.begin(), extra.end());
  o.argv.push_back(url);
  o.timeout = std::chrono::seconds(120);
  auto r = base::RunSubprocess(o);
  std::filesystem::remove_all(profile);
  return r.ok() ? r->out : "";
}

TEST(ReportRenderTest, ChromiumBuildsTheCharts) {
  if (::access(kChromium, X_OK) != 0) GTEST_SKIP() << kChromium << " is not installed";
  char dir[] = "/tmp/oct-bench-render-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  std::string html_path = std::string(dir) + "/report.html";
  HtmlData data;
  data.runs = {SyntheticRun()};
  data.run_labels = {"synthetic"};
  data.trend = {SyntheticRun(), SyntheticRun()};
  data.trend_labels = {"a", "b"};
  ASSERT_TRUE(base::WriteFile(html_path, RenderHtml(data)).ok());

  std::string dom = Chromium({"--dump-dom"}, "file://" + html_path);
  ASSERT_FALSE(dom.empty()) << "chromium printed no DOM";
  EXPECT_EQ(Count(dom, "<svg class=\"chart latency\""), 3u);
  EXPECT_EQ(Count(dom, "<svg class=\"chart ratio\""), 1u);
  EXPECT_EQ(Count(dom, "<svg class=\"chart trend\""), 3u);
  for (const char* rt : {"ocirun", "runc", "crun"})
    EXPECT_EQ(Count(dom, std::string("<g class=\"series\" data-runtime=\"") + rt + "\""), 6u) << rt;  // 3 latency + 3 trend
  EXPECT_EQ(Count(dom, "<circle class=\"sample\""), 9u * 12u);  // every sample drawn

  std::string png = std::string(dir) + "/report.png";
  Chromium({"--window-size=1000,1400", "--screenshot=" + png}, "file://" + html_path);
  auto shot = base::ReadFile(png);
  ASSERT_TRUE(shot.ok()) << "no screenshot";
  EXPECT_EQ(shot->substr(1, 3), "PNG");
  EXPECT_GT(shot->size(), 20000u);  // a blank page compresses to a few KB; charts do not
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ocicert::reports
