// Every fixture in fixtures/configs/ trips exactly the rule ids expected.json declares for it (at any
// level), and every rule of the table is tripped by at least one fixture.
#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "specs/validate.h"

namespace ocispec {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const fs::path kDir = fs::path(OCICERT_SOURCE_DIR) / "fixtures" / "configs";

json Expected() {
  std::ifstream in(kDir / "expected.json");
  return json::parse(in);
}

ValidateOptions OptionsFor(const std::string& rel, const json& entry) {
  ValidateOptions o;
  o.platform = rel.find("/windows/") != std::string::npos ? Platform::kWindows : Platform::kLinux;
  if (rel.find("/state/") != std::string::npos) o.document = Document::kState;
  if (rel.find("/features/") != std::string::npos) o.document = Document::kFeatures;
  std::string stage = entry.value("for", "start");
  o.stage = stage == "any" ? Stage::kAny : stage == "create" ? Stage::kCreate : Stage::kStart;
  return o;
}

TEST(Fixtures, EachTripsExactlyItsDeclaredRules) {
  json expected = Expected();
  ASSERT_GE(expected.size(), 150u);
  int checked = 0;
  for (auto it = expected.begin(); it != expected.end(); ++it) {
    const std::string& rel = it.key();
    fs::path path = kDir / rel;
    ValidateOptions o = OptionsFor(rel, it.value());
    auto findings = rel.rfind("bundles/", 0) == 0 ? ValidateBundle(path.string(), o) : ValidateFile(path.string(), o);
    ASSERT_TRUE(findings.ok()) << rel << ": " << findings.status().ToString();
    std::set<std::string> got, want;
    std::string detail;
    for (const Finding& f : *findings) {
      got.insert(f.rule_id);
      detail += "\n  " + FormatFinding(f);
      EXPECT_FALSE(f.message.empty()) << rel;
    }
    for (const auto& id : it.value()["rules"]) want.insert(id.get<std::string>());
    EXPECT_EQ(got, want) << rel << detail;
    bool valid_dir = rel.rfind("valid/", 0) == 0 || rel.rfind("bundles/valid", 0) == 0;
    if (valid_dir) EXPECT_TRUE(IsValid(*findings)) << rel << ": a valid fixture has no MUST finding";
    else EXPECT_FALSE(findings->empty()) << rel << ": an invalid fixture has findings";
    ++checked;
  }
  // Nothing on disk escapes the manifest.
  for (const char* kind : {"valid", "invalid"}) {
    for (const auto& e : fs::recursive_directory_iterator(kDir / kind)) {
      if (e.path().extension() != ".json") continue;
      EXPECT_TRUE(expected.contains(fs::relative(e.path(), kDir).generic_string())) << e.path();
    }
  }
  EXPECT_EQ(checked, static_cast<int>(expected.size()));
}

TEST(Fixtures, CoverEveryRule) {
  json expected = Expected();
  std::set<std::string> tripped;
  for (const auto& entry : expected) {
    for (const auto& id : entry["rules"]) tripped.insert(id.get<std::string>());
  }
  for (const RuleInfo& r : AllRules()) {
    EXPECT_TRUE(tripped.count(std::string(r.id))) << "no fixture trips " << r.id;
  }
}

}  // namespace
}  // namespace ocispec
