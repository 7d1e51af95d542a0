#include "conformance/waivers.h"

#include <gtest/gtest.h>

#include "conformance/case.h"
#include "conformance/catalogue.h"
#include "conformance/profile.h"
#include "conformance/runner.h"

namespace conform {
namespace {

constexpr const char* kWaivers = R"({"schema":"ocicert.waivers/v1","waivers":[
  {"id":"lifecycle.kill.paused","runtime":"runc","clause":"runtime.md#kill","reason":"r1"},
  {"id":"DeleteNonStopGenError","runtime":"crun","clause":"runtime.md#delete","reason":"r2"},
  {"id":"cli.x","runtime":"*","clause":"runc-cli#x","reason":"r3"}]})";

TEST(WaiversTest, MatchesByCaseRequirementRuntimeAndProfile) {
  auto w = Waivers::Parse(kWaivers);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_NE(w->Match("lifecycle.kill.paused", {}, "runc", "runc"), nullptr);
  EXPECT_EQ(w->Match("lifecycle.kill.paused", {}, "crun", "crun"), nullptr);
  // A runtime renamed on the command line still matches through its profile.
  EXPECT_NE(w->Match("lifecycle.kill.paused", {}, "runc-1.1", "runc"), nullptr);
  const Waiver* by_req = w->Match("lifecycle.delete.running", {"DeleteNonStopGenError"}, "crun", "crun");
  ASSERT_NE(by_req, nullptr);
  EXPECT_EQ(by_req->reason, "r2");
  EXPECT_NE(w->Match("cli.x", {}, "anything", "generic"), nullptr);
  EXPECT_EQ(w->Match("cli.y", {"Other"}, "runc", "runc"), nullptr);
}

TEST(WaiversTest, ParseRejectsMissingFieldsAndOtherSchemas) {
  auto no_reason = Waivers::Parse(R"({"schema":"ocicert.waivers/v1","waivers":[{"id":"a","runtime":"r","clause":"c"}]})");
  ASSERT_FALSE(no_reason.ok());
  EXPECT_NE(no_reason.status().message().find("waivers[0].reason"), std::string::npos);
  EXPECT_FALSE(Waivers::Parse(R"({"schema":"x","waivers":[]})").ok());
  EXPECT_FALSE(Waivers::Parse("[").ok());
}

TEST(WaiversTest, BuiltinWaiversNameKnownCasesAndClauses) {
  std::set<std::string> cases;
  for (const Case& c : AllCases()) cases.insert(c.id);
  ASSERT_FALSE(Waivers::Builtin().all().empty());
  for (const Waiver& w : Waivers::Builtin().all()) {
    EXPECT_TRUE(cases.count(w.id) || Catalogue::Builtin().Find(w.id)) << w.id;
    EXPECT_NE(w.clause.find('#'), std::string::npos) << w.id << ": clause must name a section";
  }
}

TEST(WaiversTest, ApplyWaiverKeepsTheFailureVisible) {
  auto w = Waivers::Parse(kWaivers);
  ASSERT_TRUE(w.ok());
  Case c;
  c.id = "lifecycle.kill.paused";
  RuntimeUnderTest rt;
  rt.name = "runc";
  rt.profile.name = "runc";
  reports::RuntimeResult failed{reports::Verdict::kFail, "kill must fail, got exit 0", 0.1, {}};
  ApplyWaiver(*w, c, rt, failed);
  EXPECT_EQ(failed.verdict, reports::Verdict::kWaived);
  EXPECT_NE(failed.message.find("runtime.md#kill"), std::string::npos);
  EXPECT_NE(failed.message.find("was fail: kill must fail"), std::string::npos) << failed.message;
  reports::RuntimeResult passed{reports::Verdict::kPass, "", 0.1, {}};
  ApplyWaiver(*w, c, rt, passed);
  EXPECT_EQ(passed.verdict, reports::Verdict::kPass);
}

}  // namespace
}  // namespace conform
