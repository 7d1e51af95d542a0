#include "reports/conform_results.h"

#include <gtest/gtest.h>

#include "reports/conform_writers.h"

namespace reports {
namespace {

ConformResults Sample() {
  ConformResults r;
  r.started = "2026-11-28T12:00:00Z";
  r.duration_s = 12.5;
  r.host = {{"hostname", "h1"}, {"kernel", "6.1"}};
  r.runtimes = {{"runc", "/usr/sbin/runc", "runc version 1.1.5", "1.0.2 (features ociVersionMax 1.0.2-dev)"},
                {"crun", "/usr/bin/crun", "crun 1.8.1", ""}};
  r.coverage = {2, 3, {"runtime.kill.signal"}};
  CaseResult c;
  c.id = "lifecycle.start.created";
  c.suite = "lifecycle";
  c.title = "start & <created>";
  c.requirements = {"runtime.start.process", "runtime.lifecycle.env"};
  RuntimeResult pass{Verdict::kPass, "", 0.25, {{{"runc", "start", "x"}, 0, false, "", "", 0.01}}};
  RuntimeResult fail{Verdict::kFail, "exit 1, want 0", 0.5, {{{"crun", "start", "x"}, 1, false, "", "boom\x01", 0.02}}};
  c.results = {{"runc", pass}, {"crun", fail}};
  r.cases.push_back(c);
  CaseResult d = c;
  d.id = "lifecycle.kill.stopped";
  d.results = {{"runc", {Verdict::kWaived, "runc returns 0 (runtime.md kill)", 0.1, {}}},
               {"crun", {Verdict::kSkip, "needs hyperv", 0, {}}}};
  r.cases.push_back(d);
  Summarize(r);
  r.gate = {"runc"};
  RuntimeSummary& runc = r.summary["runc"];
  runc.verdict = "pass";
  runc.reqs_passed = {"runtime.start.process", "runtime.lifecycle.env"};
  runc.reqs_uncovered = {"runtime.kill.signal"};
  runc.stale_waivers = {"lifecycle.kill.stopped for runc 1.1.0..<1.2.0: its case passes"};
  RuntimeSummary& crun = r.summary["crun"];
  crun.verdict = "fail";
  crun.reasons = {"1 case(s) failed and 0 erred, unwaived"};
  crun.reqs_failed = {"runtime.start.process", "runtime.lifecycle.env"};
  crun.reqs_uncovered = {"runtime.kill.signal"};
  return r;
}

TEST(ConformResultsTest, RoundTripsThroughJson) {
  ConformResults r = Sample();
  auto parsed = ParseConformResults(ConformResultsToJson(r));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->schema, "ocicert.conform/v2");
  EXPECT_EQ(parsed->runtimes.size(), 2u);
  EXPECT_EQ(parsed->runtimes[1].version, "crun 1.8.1");
  EXPECT_EQ(parsed->coverage.uncovered, std::vector<std::string>{"runtime.kill.signal"});
  EXPECT_EQ(parsed->runtimes[0].spec_version, "1.0.2 (features ociVersionMax 1.0.2-dev)");
  EXPECT_EQ(parsed->gate, std::vector<std::string>{"runc"});
  const RuntimeSummary& s = parsed->summary.at("crun");
  EXPECT_EQ(s.verdict, "fail");
  EXPECT_EQ(s.reasons, r.summary.at("crun").reasons);
  EXPECT_EQ(s.reqs_failed, r.summary.at("crun").reqs_failed);
  EXPECT_EQ(s.reqs_uncovered, std::vector<std::string>{"runtime.kill.signal"});
  EXPECT_EQ(parsed->summary.at("runc").reqs_passed.size(), 2u);
  EXPECT_EQ(parsed->summary.at("runc").stale_waivers.size(), 1u);
  ASSERT_EQ(parsed->cases.size(), 2u);
  const RuntimeResult& crun = parsed->cases[0].results.at("crun");
  EXPECT_EQ(crun.verdict, Verdict::kFail);
  EXPECT_EQ(crun.invocations.at(0).argv, (std::vector<std::string>{"crun", "start", "x"}));
  EXPECT_EQ(crun.invocations.at(0).exit_code, 1);
  EXPECT_EQ(parsed->summary.at("runc").pass, 1);
  EXPECT_EQ(parsed->summary.at("runc").waived, 1);
  EXPECT_EQ(parsed->summary.at("crun").fail, 1);
  EXPECT_EQ(parsed->summary.at("crun").skip, 1);
  EXPECT_DOUBLE_EQ(parsed->summary.at("crun").duration_s, 0.5);
  // Stable: serializing the parsed copy gives the same bytes.
  EXPECT_EQ(ConformResultsToJson(*parsed), ConformResultsToJson(r));
}

TEST(ConformResultsTest, IdentityRoundTripsAndV1IsReadWithoutIt) {
  ConformResults r = Sample();
  r.identity.host.os_family = "windows";
  r.identity.host.build = "20348";
  r.identity.host.ubr = "2762";
  r.identity.host.cpus = 4;
  r.identity.host.memory_bytes = 8ull << 30;
  r.identity.suite_version = "0.1.0";
  r.identity.command_line = {"ocicert", "conform", "--suite", "lifecycle"};
  r.identity.runtimes = {{"runc", "/usr/sbin/runc", "runc 1.1.5", std::string(64, 'a'), ""}};
  auto parsed = ParseConformResults(ConformResultsToJson(r));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_TRUE(parsed->identity.present);
  EXPECT_EQ(parsed->identity.FullBuild(), "20348.2762");
  EXPECT_EQ(parsed->identity.host.memory_bytes, 8ull << 30);
  EXPECT_EQ(parsed->identity.command_line, r.identity.command_line);
  EXPECT_EQ(parsed->identity.runtimes.at(0).sha256, std::string(64, 'a'));

  std::string v1 = ConformResultsToJson(Sample());
  v1.replace(v1.find("ocicert.conform/v2"), 18, "ocicert.conform/v1");
  auto old = ParseConformResults(v1);
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  EXPECT_FALSE(old->identity.present);
  EXPECT_EQ(old->cases.size(), 2u);

  std::string bad = ConformResultsToJson(r);
  const std::string cpus = "\"cpus\": 4";
  bad.replace(bad.find(cpus), cpus.size(), "\"cpus\": \"four\"");
  auto wrong = ParseConformResults(bad);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("identity.host.cpus"), std::string::npos) << wrong.status().message();
}

TEST(ConformResultsTest, RejectsOtherSchemaAndNamesMissingFields) {
  auto other = ParseConformResults(R"({"schema":"x/v9"})");
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("$.schema"), std::string::npos);
  std::string text = ConformResultsToJson(Sample());
  text.replace(text.find("\"verdict\": \"pass\""), 17, "\"verdict\": \"good\"");
  auto bad = ParseConformResults(text);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("$.cases[0].results"), std::string::npos) << bad.status().message();
  EXPECT_FALSE(ParseConformResults("{").ok());
}

TEST(ConformWritersTest, JunitCountsAndEscapes) {
  std::string xml = ConformJunitXml(Sample());
  EXPECT_NE(xml.find("<testsuites name=\"ocicert conform\" tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"2\""),
            std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure message=\"exit 1, want 0\">"), std::string::npos);
  EXPECT_NE(xml.find("boom?"), std::string::npos);  // control character replaced
  EXPECT_NE(xml.find("skipped message=\"waived: runc returns 0"), std::string::npos);
  EXPECT_EQ(xml.find("\x01"), std::string::npos);
}

TEST(ConformWritersTest, TapHasOnePointPerCaseAndRuntime) {
  std::string tap = ConformTap(Sample());
  EXPECT_EQ(tap.rfind("TAP version 13\n1..4\n", 0), 0u) << tap;
  EXPECT_NE(tap.find("ok 1 - runc: lifecycle.start.created\n"), std::string::npos);
  EXPECT_NE(tap.find("not ok 2 - crun: lifecycle.start.created\n  ---"), std::string::npos);
  EXPECT_NE(tap.find("not ok 3 - runc: lifecycle.kill.stopped # TODO waived:"), std::string::npos);
  EXPECT_NE(tap.find("ok 4 - crun: lifecycle.kill.stopped # SKIP needs hyperv"), std::string::npos);
}

TEST(ConformWritersTest, SummaryHasTableCoverageAndFailures) {
  std::string md = ConformSummaryMarkdown(Sample());
  EXPECT_NE(md.find("| case | runc | crun |"), std::string::npos) << md;
  EXPECT_NE(md.find("| `lifecycle.start.created` | pass | **FAIL** |"), std::string::npos) << md;
  EXPECT_NE(md.find("2 of 3 requirements passed by runc (67%)"), std::string::npos) << md;
  EXPECT_NE(md.find("| runc | runc version 1.1.5, spec 1.0.2"), std::string::npos) << md;
  EXPECT_NE(md.find("| pass (gate) |"), std::string::npos) << md;
  EXPECT_NE(md.find("| **FAIL** |"), std::string::npos) << md;
  EXPECT_NE(md.find("- crun: 1 case(s) failed"), std::string::npos) << md;
  // Failed, waived and uncovered requirements, separately, per runtime; stale waivers.
  EXPECT_NE(md.find("### crun\n\n- passed: 0\n- failed: runtime.start.process, runtime.lifecycle.env\n- waived: none\n"
                    "- uncovered: runtime.kill.signal"), std::string::npos) << md;
  EXPECT_NE(md.find("  - lifecycle.kill.stopped for runc 1.1.0..<1.2.0: its case passes"), std::string::npos) << md;
  EXPECT_NE(md.find("| lifecycle | 0.35 | 0.50 |"), std::string::npos) << md;
}

}  // namespace
}  // namespace reports
