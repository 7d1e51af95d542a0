#include "specs/validate_report.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "base/utf8.h"

namespace ocispec {
namespace {

const std::string kNotUtf8 =
    std::string(OCICERT_SOURCE_DIR) + "/fixtures/fuzz/specs_fuzz/crashes/invalid-utf8-annotation.json";

ValidateOptions Options() {
  ValidateOptions o;
  o.stage = Stage::kStart;
  return o;
}

// issue 11: `ocicert validate --format json` aborted (nlohmann type_error 316) on this config.
TEST(ValidateReport, ConfigWithInvalidUtf8GetsAClearFindingAndUtf8Reports) {
  PathReport r = CheckPath(kNotUtf8, Options());
  ASSERT_TRUE(r.error.empty()) << r.error;
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  EXPECT_EQ(f.rule_id, "json.syntax");
  EXPECT_EQ(f.line, 2);  // the annotation value's line
  EXPECT_NE(f.message.find("the byte 0xC3 is not UTF-8"), std::string::npos) << f.message;
  std::string json = DumpReport(JsonReport(r));
  EXPECT_EQ(base::FirstInvalidUtf8(json), std::nullopt);
  EXPECT_EQ(nlohmann::json::parse(json)["findings"][0]["rule"], "json.syntax");
  std::string text = TextReport(r);
  EXPECT_EQ(base::FirstInvalidUtf8(text), std::nullopt);
  EXPECT_NE(text.find("invalid (1 error, 0 warnings)"), std::string::npos) << text;
}

TEST(ValidateReport, PathBytesThatAreNotUtf8AreEscapedInBothReports) {
  // Built by hand: what matters is the reports, and Windows cannot name such a file.
  const std::string path = "/nonexistent/conf\xFFig.json";
  PathReport r{path, path, "read " + path + ": not found", {}};
  EXPECT_EQ(TextReport(r).find('\xFF'), std::string::npos);
  EXPECT_NE(TextReport(r).find("conf\\xFFig.json: unreadable"), std::string::npos) << TextReport(r);
  nlohmann::json back = nlohmann::json::parse(DumpReport(JsonReport(r)));
  EXPECT_EQ(back["path"], "/nonexistent/conf\\xFFig.json");
  EXPECT_EQ(back["readable"], false);
}

TEST(ValidateReport, ValidConfigReportsValid) {
  PathReport r = CheckPath(std::string(OCICERT_SOURCE_DIR) + "/fixtures/configs/valid/linux/minimal.json", Options());
  EXPECT_TRUE(r.findings.empty());
  EXPECT_NE(TextReport(r).find(": valid (0 errors, 0 warnings)"), std::string::npos) << TextReport(r);
  EXPECT_EQ(nlohmann::json::parse(DumpReport(JsonReport(r)))["valid"], true);
}

}  // namespace
}  // namespace ocispec
