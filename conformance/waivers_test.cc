#include "conformance/waivers.h"

#include <gtest/gtest.h>

#include "conformance/case.h"
#include "conformance/catalogue.h"
#include "harness/runtime.h"
#include "conformance/runner.h"
#include "conformance/verdicts.h"

namespace conform {
namespace {

constexpr const char* kWaivers = R"({"schema":"ocicert.waivers/v2","waivers":[
  {"id":"lifecycle.kill.paused","runtime":"runc","versions":{"min":"1.1.0","before":"1.2.0"},
   "clause":"runtime.md#kill","reason":"r1"},
  {"id":"DeleteNonStopGenError","runtime":"crun","versions":{"min":"1.8"},"clause":"runtime.md#delete","reason":"r2"},
  {"id":"cli.x","runtime":"*","versions":{"min":"0.1.0"},"check":"header","clause":"runc-cli#x","reason":"r3"},
  {"id":"cli.x","runtime":"*","versions":{"min":"0.1.0"},"check":"exit 2","clause":"runc-cli#x","reason":"r4"}]})";

RuntimeUnderTest Rt(const std::string& name, const std::string& profile, const std::string& version_line) {
  RuntimeUnderTest rt;
  rt.name = name;
  rt.profile.name = profile;
  rt.version = version_line;
  return rt;
}

Case CaseOf(const std::string& id, std::vector<std::string> reqs = {}) {
  Case c;
  c.id = id;
  c.requirements = std::move(reqs);
  return c;
}

reports::RuntimeResult Failed(std::vector<std::string> failures) {
  reports::RuntimeResult r{reports::Verdict::kFail, "", 0.1, {}, failures};
  for (const std::string& f : failures) r.message += (r.message.empty() ? "" : "; ") + f;
  return r;
}

TEST(WaiversTest, ReleaseAndVersionRanges) {
  EXPECT_EQ(ReleaseOf("runc version 1.1.5+ds1"), "1.1.5");
  EXPECT_EQ(ReleaseOf("crun version 1.8.1"), "1.8.1");
  EXPECT_EQ(ReleaseOf("ocirun version 0.1.0"), "0.1.0");
  EXPECT_FALSE(ReleaseOf("no version here"));
  EXPECT_EQ(CompareVersions("1.8", "1.8.0"), 0);
  EXPECT_LT(CompareVersions("1.1.5", "1.2.0"), 0);
  EXPECT_GT(CompareVersions("1.10.0", "1.9.9"), 0);
}

TEST(WaiversTest, WaiveOnlyInTheVersionRange) {
  auto w = Waivers::Parse(kWaivers);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  Case c = CaseOf("lifecycle.kill.paused");
  reports::RuntimeResult r = Failed({"kill must fail, got exit 0"});
  EXPECT_EQ(ApplyWaiver(*w, c, Rt("runc", "runc", "runc version 1.1.5+ds1"), r).size(), 1u);
  EXPECT_EQ(r.verdict, reports::Verdict::kWaived);
  EXPECT_NE(r.message.find("runtime.md#kill"), std::string::npos);
  EXPECT_NE(r.message.find("was fail: kill must fail"), std::string::npos) << r.message;
  // runc 1.2: the waiver expired.
  reports::RuntimeResult newer = Failed({"kill must fail, got exit 0"});
  EXPECT_TRUE(ApplyWaiver(*w, c, Rt("runc", "runc", "runc version 1.2.0"), newer).empty());
  EXPECT_EQ(newer.verdict, reports::Verdict::kFail);
  // A runtime renamed on the command line still matches through its profile; another one does not.
  reports::RuntimeResult renamed = Failed({"x"});
  EXPECT_FALSE(ApplyWaiver(*w, c, Rt("runc-1.1", "runc", "runc version 1.1.4"), renamed).empty());
  reports::RuntimeResult crun = Failed({"x"});
  EXPECT_TRUE(ApplyWaiver(*w, c, Rt("crun", "crun", "crun version 1.8.1"), crun).empty());
  // By requirement ID.
  reports::RuntimeResult by_req = Failed({"x"});
  EXPECT_FALSE(ApplyWaiver(*w, CaseOf("lifecycle.delete.running", {"DeleteNonStopGenError"}),
                           Rt("crun", "crun", "crun version 1.8.1"), by_req).empty());
}

TEST(WaiversTest, ErrorsAreNeverWaivedAndEveryFailedCheckMustBeCovered) {
  auto w = Waivers::Parse(kWaivers);
  ASSERT_TRUE(w.ok());
  RuntimeUnderTest rt = Rt("ocirun", "ocirun", "ocirun version 0.1.0");
  reports::RuntimeResult error{reports::Verdict::kError, "timed out", 0.1, {}, {}};
  EXPECT_TRUE(ApplyWaiver(*w, CaseOf("cli.x"), rt, error).empty());
  EXPECT_EQ(error.verdict, reports::Verdict::kError);
  reports::RuntimeResult one = Failed({"the header is wrong"});
  EXPECT_EQ(ApplyWaiver(*w, CaseOf("cli.x"), rt, one).size(), 1u);
  reports::RuntimeResult both = Failed({"the header is wrong", "got exit 2"});
  EXPECT_EQ(ApplyWaiver(*w, CaseOf("cli.x"), rt, both).size(), 2u);
  EXPECT_EQ(both.verdict, reports::Verdict::kWaived);
  reports::RuntimeResult uncovered = Failed({"the header is wrong", "the container still runs"});
  EXPECT_TRUE(ApplyWaiver(*w, CaseOf("cli.x"), rt, uncovered).empty());
  EXPECT_EQ(uncovered.verdict, reports::Verdict::kFail);
  reports::RuntimeResult passed{reports::Verdict::kPass, "", 0.1, {}, {}};
  EXPECT_TRUE(ApplyWaiver(*w, CaseOf("cli.x"), rt, passed).empty());
  EXPECT_EQ(passed.verdict, reports::Verdict::kPass);
}

TEST(WaiversTest, StaleWaiversAreReported) {
  auto w = Waivers::Parse(kWaivers);
  ASSERT_TRUE(w.ok());
  Case kill = CaseOf("lifecycle.kill.paused");
  std::vector<const Case*> cases = {&kill};
  std::vector<RuntimeUnderTest> runtimes = {Rt("runc", "runc", "runc version 1.1.5"),
                                            Rt("crun", "crun", "crun version 1.8.1")};
  reports::ConformResults results;
  reports::CaseResult cr{kill.id, "lifecycle", "t", {}, {}};
  cr.results["runc"].verdict = reports::Verdict::kPass;  // runc now passes: its waiver is stale
  cr.results["crun"].verdict = reports::Verdict::kFail;
  results.cases.push_back(cr);
  auto stale = StaleWaivers(*w, cases, runtimes, results, {});
  ASSERT_EQ(stale["runc"].size(), 1u);
  EXPECT_NE(stale["runc"][0].find("its case passes"), std::string::npos) << stale["runc"][0];
  EXPECT_TRUE(stale["crun"].empty());  // no waiver names crun for this case
  // Used: not stale. Skipped: not judged.
  EXPECT_TRUE(StaleWaivers(*w, cases, runtimes, results, {{&w->all()[0], "runc"}})["runc"].empty());
  results.cases[0].results["runc"].verdict = reports::Verdict::kSkip;
  EXPECT_TRUE(StaleWaivers(*w, cases, runtimes, results, {})["runc"].empty());
  // A newer runc still failing: the waiver is stale because the version moved on.
  results.cases[0].results["runc"].verdict = reports::Verdict::kFail;
  runtimes[0].version = "runc version 1.2.1";
  auto moved = StaleWaivers(*w, cases, runtimes, results, {});
  ASSERT_EQ(moved["runc"].size(), 1u);
  EXPECT_NE(moved["runc"][0].find("version 1.2.1 is outside 1.1.0..<1.2.0"), std::string::npos) << moved["runc"][0];
}

TEST(WaiversTest, ParseRejectsUnpinnedMalformedAndOldSchemas) {
  auto no_pin = Waivers::Parse(
      R"({"schema":"ocicert.waivers/v2","waivers":[{"id":"a","runtime":"r","clause":"c#x","reason":"x"}]})");
  ASSERT_FALSE(no_pin.ok());
  EXPECT_NE(no_pin.status().message().find("versions"), std::string::npos);
  auto no_reason = Waivers::Parse(
      R"({"schema":"ocicert.waivers/v2","waivers":[{"id":"a","runtime":"r","clause":"c","versions":{"min":"1.0"}}]})");
  ASSERT_FALSE(no_reason.ok());
  EXPECT_NE(no_reason.status().message().find("waivers[0].reason"), std::string::npos);
  auto bad_range = Waivers::Parse(R"({"schema":"ocicert.waivers/v2","waivers":[{"id":"a","runtime":"r","clause":"c",
      "reason":"x","versions":{"min":"1.2","before":"1.1"}}]})");
  EXPECT_FALSE(bad_range.ok());
  auto bad_digest = Waivers::Parse(R"({"schema":"ocicert.waivers/v2","waivers":[{"id":"a","runtime":"r","clause":"c",
      "reason":"x","sha256":"abc"}]})");
  EXPECT_FALSE(bad_digest.ok());
  auto v1 = Waivers::Parse(R"({"schema":"ocicert.waivers/v1","waivers":[]})");
  ASSERT_FALSE(v1.ok());
  EXPECT_NE(v1.status().message().find("migrate"), std::string::npos);
  EXPECT_FALSE(Waivers::Parse("[").ok());
}

TEST(WaiversTest, DigestPins) {
  auto w = Waivers::Parse(std::string(R"({"schema":"ocicert.waivers/v2","waivers":[{"id":"a.b","runtime":"crun",
      "clause":"c#x","reason":"x","sha256":")") + std::string(64, 'a') + R"("}]})");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  RuntimeUnderTest rt = Rt("crun", "crun", "crun version 1.8.1");
  EXPECT_TRUE(w->WantsDigest(TargetOf(rt)));
  reports::RuntimeResult r = Failed({"x"});
  EXPECT_TRUE(ApplyWaiver(*w, CaseOf("a.b"), rt, r).empty());  // digest unknown / different
  rt.sha256 = std::string(64, 'a');
  EXPECT_FALSE(ApplyWaiver(*w, CaseOf("a.b"), rt, r).empty());
}

TEST(WaiversTest, BuiltinWaiversNameKnownCasesAndClausesAndArePinned) {
  std::set<std::string> cases;
  for (const Case& c : AllCases()) cases.insert(c.id);
  ASSERT_FALSE(Waivers::Builtin().all().empty());
  for (const Waiver& w : Waivers::Builtin().all()) {
    EXPECT_TRUE(cases.count(w.id) || Catalogue::Builtin().Find(w.id)) << w.id;
    EXPECT_TRUE(w.clause.find('#') != std::string::npos || w.clause.rfind("CVE-", 0) == 0)
        << w.id << ": clause must name a section or a CVE";
    EXPECT_FALSE(w.version_min.empty() && w.sha256.empty()) << w.id;
  }
}

}  // namespace
}  // namespace conform
