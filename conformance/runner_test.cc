#include "conformance/runner.h"

#include <gtest/gtest.h>

namespace conform {
namespace {

TEST(RunnerTest, CaseMatchesPrefixesAtDotsAndWildcards) {
  EXPECT_TRUE(CaseMatches("lifecycle.start.created", "lifecycle.start.created"));
  EXPECT_TRUE(CaseMatches("lifecycle.start", "lifecycle.start.created"));
  EXPECT_FALSE(CaseMatches("lifecycle.sta", "lifecycle.start.created"));
  EXPECT_TRUE(CaseMatches("*.created", "lifecycle.kill.created"));
  EXPECT_TRUE(CaseMatches("hooks.*", "hooks.fail.poststop"));
  EXPECT_FALSE(CaseMatches("hooks.*", "lifecycle.kill.created"));
}

TEST(RunnerTest, SelectCasesFiltersAndRejectsUnknownNames) {
  auto lifecycle = SelectCases(AllCases(), {"lifecycle"}, {});
  ASSERT_TRUE(lifecycle.ok());
  EXPECT_EQ(lifecycle->size(), 24u);  // 6 operations x 4 statuses
  for (const Case* c : *lifecycle) EXPECT_EQ(c->suite, "lifecycle");
  auto one = SelectCases(AllCases(), {}, {"lifecycle.start.created"});
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  auto bad_suite = SelectCases(AllCases(), {"nosuch"}, {});
  ASSERT_FALSE(bad_suite.ok());
  EXPECT_NE(bad_suite.status().message().find("--suite nosuch"), std::string::npos);
  EXPECT_FALSE(SelectCases(AllCases(), {}, {"nothing.matches"}).ok());
  // Suite and case filters intersect.
  auto none = SelectCases(AllCases(), {"windows"}, {"lifecycle.start"});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(RunnerTest, EverySuiteHasCasesAndStressRunsAlone) {
  for (const std::string& suite : SuiteNames()) {
    auto cases = SelectCases(AllCases(), {suite}, {});
    ASSERT_TRUE(cases.ok());
    EXPECT_FALSE(cases->empty()) << suite;
  }
  if (BuildsLinuxContainerSuites()) {  // the stress, security and soak suites (POSIX builds)
  auto stress = SelectCases(AllCases(), {"stress"}, {});
  ASSERT_TRUE(stress.ok());
  for (const Case* c : *stress) EXPECT_TRUE(c->exclusive);
  }
}

TEST(RunnerTest, OptInSuitesRunOnlyWhenNamed) {
  auto all = SelectCases(AllCases(), {}, {});
  ASSERT_TRUE(all.ok());
  for (const Case* c : *all) EXPECT_FALSE(c->opt_in) << c->id << " runs by default";
  if (BuildsLinuxContainerSuites()) {  // the stress, security and soak suites (POSIX builds)
  for (const std::string suite : {"security", "soak"}) {
    auto named = SelectCases(AllCases(), {suite}, {});
    ASSERT_TRUE(named.ok());
    ASSERT_FALSE(named->empty()) << suite;
    for (const Case* c : *named) EXPECT_TRUE(c->opt_in) << c->id;
  }
  auto one = SelectCases(AllCases(), {}, {"security.id.path-like"});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 1u);
  auto soak = SelectCases(AllCases(), {"soak"}, {});
  for (const Case* c : *soak) EXPECT_TRUE(c->exclusive) << c->id;
  }
}

TEST(RunnerTest, CasesSayWhichContainerOsTheyAreFor) {
  for (const Case& c : AllCases()) {
    EXPECT_TRUE(c.os == "linux" || c.os == "windows" || c.os == "any") << c.id << ": os " << c.os;
    if (c.suite == "windows") EXPECT_EQ(c.os, "windows") << c.id;
    if (c.suite == "lifecycle") EXPECT_EQ(c.os, "any") << c.id;  // the command line only
  }
  auto windows = SelectCases(AllCases(), {"windows"}, {});
  ASSERT_TRUE(windows.ok());
  EXPECT_GE(windows->size(), 15u);
}

TEST(RunnerTest, WindowsRuntimesNeedWindowsLayers) {
  RuntimeUnderTest rt;
  rt.name = "runhcs";
  rt.path = "runhcs";
  rt.profile = harness::ProfileFor("runhcs", "C:\\tools\\runhcs.exe");
  ASSERT_TRUE(rt.profile.windows);
  ConformOptions o;
  o.runtimes = {rt};
  o.suites = {"windows"};
  auto r = RunConformance(o, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("--windows-layers is required: runhcs runs Windows containers"),
            std::string::npos)
      << r.status().message();
}

TEST(RunnerTest, NoRuntimeIsBadUsage) {
  ConformOptions o;
  auto r = RunConformance(o, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::Code::kInvalidArgument);
}

}  // namespace
}  // namespace conform
