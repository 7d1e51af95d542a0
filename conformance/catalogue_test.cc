#include "conformance/catalogue.h"

#include <set>

#include <gtest/gtest.h>

#include "conformance/case.h"

namespace conform {
namespace {

TEST(CatalogueTest, BuiltinLoadsWithEveryField) {
  const Catalogue& c = Catalogue::Builtin();
  ASSERT_GT(c.requirements().size(), 100u);
  for (const Requirement& r : c.requirements()) {
    EXPECT_FALSE(r.level.empty()) << r.id;
    // A spec clause ("config.md#mounts") or, for the security suite, the CVE the rule comes from.
    EXPECT_TRUE(r.source.find('#') != std::string::npos || r.source.rfind("CVE-", 0) == 0)
        << r.id << ": source must name a clause or a CVE";
  }
  EXPECT_NE(c.Find("StartNotCreatedGenError"), nullptr);
  EXPECT_EQ(c.Find("NoSuchRequirement"), nullptr);
}

TEST(CatalogueTest, ParseNamesTheBadEntry) {
  auto missing = Catalogue::Parse(R"({"requirements":[{"id":"A","level":"MUST","source":"x.md#a"}]})");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("requirements[0].text"), std::string::npos) << missing.status().message();
  auto dup = Catalogue::Parse(R"({"requirements":[{"id":"A","level":"MUST","source":"x.md#a","text":"t"},
                                                  {"id":"A","level":"MUST","source":"x.md#a","text":"t"}]})");
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("duplicate id A"), std::string::npos);
  EXPECT_FALSE(Catalogue::Parse("not json").ok());
}

TEST(CatalogueTest, CoverageCountsAndListsUncoveredInOrder) {
  auto c = Catalogue::Parse(R"({"requirements":[
      {"id":"A","level":"MUST","source":"runtime.md#a","text":"t"},
      {"id":"B","level":"MUST","source":"runtime.md#b","text":"t"},
      {"id":"C","level":"CLI","source":"runc-cli#c","text":"t"}]})");
  ASSERT_TRUE(c.ok());
  reports::Coverage all = ComputeCoverage(*c, {"B", "Unknown"});
  EXPECT_EQ(all.covered, 1);
  EXPECT_EQ(all.total, 3);
  EXPECT_EQ(all.uncovered, (std::vector<std::string>{"A", "C"}));
  reports::Coverage runtime_md = ComputeCoverageOf(*c, {"A", "B"}, "runtime.md");
  EXPECT_EQ(runtime_md.covered, 2);
  EXPECT_EQ(runtime_md.total, 2);
}

TEST(CatalogueTest, EveryCaseNamesKnownRequirementsAndIdsAreUnique) {
  std::set<std::string> ids;
  for (const Case& c : AllCases()) {
    EXPECT_TRUE(ids.insert(c.id).second) << "duplicate case id " << c.id;
    EXPECT_EQ(c.id.rfind(c.suite + ".", 0), 0u) << c.id << " is not prefixed by its suite";
    EXPECT_FALSE(c.requirements.empty()) << c.id;
    for (const std::string& r : c.requirements)
      EXPECT_NE(Catalogue::Builtin().Find(r), nullptr) << c.id << " names unknown requirement " << r;
  }
}

TEST(CatalogueTest, RuntimeMdIsFullyCoveredByCases) {
  std::set<std::string> named;
  for (const Case& c : AllCases()) named.insert(c.requirements.begin(), c.requirements.end());
  reports::Coverage cov = ComputeCoverageOf(Catalogue::Builtin(), named, "runtime.md");
  EXPECT_GE(cov.total, 43);
  EXPECT_EQ(cov.covered, cov.total) << "uncovered runtime.md requirement, first: " << cov.uncovered.front();
  reports::Coverage linux_md = ComputeCoverageOf(Catalogue::Builtin(), named, "runtime-linux.md");
  EXPECT_EQ(linux_md.covered, linux_md.total);
}

}  // namespace
}  // namespace conform
