#include "conformance/catalogue.h"

#include <cstdlib>
#include <set>

#include <gtest/gtest.h>

#include "base/file.h"
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

// docs/conform.md shows MustTable's output between two markers; it is regenerated, never edited:
// OCICERT_UPDATE_DOCS=1 build/conformance/conform_unit_test --gtest_filter='*MustTable*'
TEST(CatalogueTest, MustTableInDocsIsCurrent) {
  std::map<std::string, std::vector<std::string>> case_ids;
  for (const Case& c : AllCases())
    for (const std::string& r : c.requirements) case_ids[r].push_back(c.id);
  std::vector<std::string> problems;
  std::string table = MustTable(Catalogue::Builtin(), case_ids, &problems);
  std::string missing;
  for (const std::string& p : problems) missing += " " + p;
  EXPECT_TRUE(problems.empty()) << "MUSTs no case names and without a \"tested\" note:" << missing;
  const std::string begin = "<!-- must-table begin: generated from conformance/requirements.json and the cases -->\n";
  const std::string end = "<!-- must-table end -->";
  std::string path = std::string(OCICERT_SOURCE_DIR) + "/docs/conform.md";
  auto doc = base::ReadFile(path);
  ASSERT_TRUE(doc.ok()) << path;
  size_t b = doc->find(begin), e = doc->find(end);
  ASSERT_TRUE(b != std::string::npos && e != std::string::npos && b < e) << path << " lacks the must-table markers";
  std::string current = doc->substr(b + begin.size(), e - b - begin.size());
  if (std::getenv("OCICERT_UPDATE_DOCS")) {
    ASSERT_TRUE(base::WriteFile(path, doc->substr(0, b + begin.size()) + table + doc->substr(e)).ok());
    return;
  }
  EXPECT_EQ(current, table) << "docs/conform.md's MUST table is stale: regenerate it with OCICERT_UPDATE_DOCS=1 "
                               "build/conformance/conform_unit_test --gtest_filter='*MustTable*'";
}

}  // namespace
}  // namespace conform
