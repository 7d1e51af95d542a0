#include "conformance/verdicts.h"

#include <gtest/gtest.h>

namespace conform {
namespace {

using reports::Verdict;

Catalogue ThreeRequirements() {
  auto c = Catalogue::Parse(R"({"schema": "ocicert.requirements/v1", "requirements": [
    {"id": "A", "level": "MUST", "source": "runtime.md#a", "text": "a"},
    {"id": "B", "level": "MUST", "source": "runtime.md#b", "text": "b"},
    {"id": "C", "level": "MUST", "source": "runtime.md#c", "text": "c"}]})");
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return std::move(c).value();
}

RuntimeUnderTest Runtime(const std::string& name) {
  RuntimeUnderTest rt;
  rt.name = name;
  return rt;
}

struct Fixture {
  std::vector<Case> cases;
  std::vector<RuntimeUnderTest> runtimes = {Runtime("ocirun"), Runtime("runc")};
  reports::ConformResults results;
  std::map<std::string, std::vector<std::string>> stale;

  void Add(const std::string& id, std::vector<std::string> reqs, Verdict ocirun, Verdict runc,
           const std::string& os = "linux") {
    Case c;
    c.id = id;
    c.requirements = reqs;
    c.os = os;
    cases.push_back(c);
    reports::CaseResult r{id, "s", id, reqs, {}};
    r.results["ocirun"].verdict = ocirun;
    r.results["runc"].verdict = runc;
    results.cases.push_back(r);
  }
  void Judge(GateOptions o) {
    for (const RuntimeUnderTest& rt : runtimes) results.runtimes.push_back({rt.name, "/x", "1", ""});
    reports::Summarize(results);
    ASSERT_TRUE(ResolveGate(o, runtimes).ok());
    std::vector<const Case*> ptrs;
    for (const Case& c : cases) ptrs.push_back(&c);
    static const Catalogue catalogue = ThreeRequirements();
    JudgeRuntimes(ptrs, runtimes, catalogue, o, stale, results);
  }
  const reports::RuntimeSummary& S(const std::string& rt) { return results.summary.at(rt); }
};

TEST(Verdicts, APeerFailingDoesNotFailTheGate) {
  Fixture f;
  f.Add("x.one", {"A"}, Verdict::kPass, Verdict::kFail);
  f.Add("x.two", {"B"}, Verdict::kPass, Verdict::kPass);
  f.Judge({});
  EXPECT_EQ(f.results.gate, std::vector<std::string>{"ocirun"});
  EXPECT_EQ(f.S("ocirun").verdict, "pass");
  EXPECT_EQ(f.S("runc").verdict, "fail");
  EXPECT_EQ(GateExitCode(f.results), 0);
  GateOptions both;
  both.gate = {"ocirun", "runc"};
  Fixture g = f;
  g.results.runtimes.clear();
  g.Judge(both);
  EXPECT_EQ(GateExitCode(g.results), 1);
}

TEST(Verdicts, RequirementsAreSortedByOutcome) {
  Fixture f;
  f.Add("x.one", {"A", "B"}, Verdict::kPass, Verdict::kPass);
  f.Add("x.two", {"B"}, Verdict::kWaived, Verdict::kError);
  f.Add("x.three", {"C"}, Verdict::kSkip, Verdict::kPass);
  f.Judge({});
  EXPECT_EQ(f.S("ocirun").reqs_passed, std::vector<std::string>{"A"});
  EXPECT_EQ(f.S("ocirun").reqs_waived, std::vector<std::string>{"B"});  // a pass elsewhere does not hide it
  EXPECT_EQ(f.S("ocirun").reqs_uncovered, std::vector<std::string>{"C"});  // skipped: not covered
  EXPECT_EQ(f.S("runc").reqs_failed, std::vector<std::string>{"B"});
  EXPECT_EQ(f.S("runc").reqs_passed, (std::vector<std::string>{"A", "C"}));
  EXPECT_EQ(f.results.coverage.covered, 1);  // the gate's passed requirements only
  EXPECT_EQ(f.results.coverage.total, 3);
}

TEST(Verdicts, AllOrMostlySkippedIsNotAPass) {
  Fixture f;
  f.Add("x.one", {"A"}, Verdict::kSkip, Verdict::kSkip);
  f.Judge({});
  EXPECT_EQ(f.S("ocirun").verdict, "fail");
  EXPECT_EQ(GateExitCode(f.results), 1);
  Fixture m;
  m.Add("x.one", {"A"}, Verdict::kPass, Verdict::kPass);
  m.Add("x.two", {"B"}, Verdict::kSkip, Verdict::kPass);
  m.Add("x.three", {"C"}, Verdict::kSkip, Verdict::kPass);
  m.Judge({});
  EXPECT_EQ(m.S("ocirun").verdict, "fail");
  ASSERT_EQ(m.S("ocirun").reasons.size(), 1u);
  EXPECT_NE(m.S("ocirun").reasons[0].find("mostly skipped: 2 of 3"), std::string::npos);
}

TEST(Verdicts, OtherOsCasesDoNotCountAsSkips) {
  Fixture f;
  f.Add("x.one", {"A"}, Verdict::kPass, Verdict::kPass);
  f.Add("windows.a", {"B"}, Verdict::kSkip, Verdict::kSkip, "windows");
  f.Add("windows.b", {"C"}, Verdict::kSkip, Verdict::kSkip, "windows");
  GateOptions o;
  o.fail_on_skip = true;
  f.Judge(o);
  EXPECT_EQ(f.S("ocirun").verdict, "pass");
}

TEST(Verdicts, FailOnSkipAndMinCoverage) {
  Fixture f;
  f.Add("x.one", {"A"}, Verdict::kPass, Verdict::kPass);
  f.Add("x.two", {"B"}, Verdict::kPass, Verdict::kPass);
  f.Add("x.three", {"C"}, Verdict::kSkip, Verdict::kPass);
  GateOptions o;
  o.fail_on_skip = true;
  o.min_coverage = 90;
  f.Judge(o);
  EXPECT_EQ(f.S("ocirun").verdict, "fail");
  EXPECT_EQ(f.S("ocirun").reasons.size(), 2u);  // the skip, and 66.7% < 90%
  EXPECT_EQ(f.S("runc").verdict, "pass");
}

TEST(Verdicts, StaleWaiversFailOnlyUnderStrictWaivers) {
  Fixture f;
  f.Add("x.one", {"A"}, Verdict::kPass, Verdict::kPass);
  f.stale["ocirun"] = {"x.one for ocirun 0.1.0+: its case passes"};
  Fixture strict = f;
  f.Judge({});
  EXPECT_EQ(f.S("ocirun").verdict, "pass");
  EXPECT_EQ(f.S("ocirun").stale_waivers.size(), 1u);
  GateOptions o;
  o.strict_waivers = true;
  strict.Judge(o);
  EXPECT_EQ(strict.S("ocirun").verdict, "fail");
  EXPECT_EQ(strict.S("runc").verdict, "pass");
}

TEST(Verdicts, GateNamesAreChecked) {
  GateOptions o;
  o.gate = {"nope"};
  EXPECT_FALSE(ResolveGate(o, {Runtime("runc")}).ok());
  GateOptions d;
  ASSERT_TRUE(ResolveGate(d, {Runtime("runc"), Runtime("crun")}).ok());
  EXPECT_EQ(d.gate, std::vector<std::string>{"runc"});
  EXPECT_FALSE(ResolveGate(d, {}).ok());
}

}  // namespace
}  // namespace conform
