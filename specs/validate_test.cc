#include "specs/validate.h"

#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

namespace ocispec {
namespace {

using json = nlohmann::json;

json LinuxConfig() {
  return json::parse(R"({
    "ociVersion": "1.2.0",
    "process": {"user": {"uid": 0, "gid": 0}, "args": ["sh"], "cwd": "/", "env": ["PATH=/bin"]},
    "root": {"path": "rootfs"},
    "hostname": "c1",
    "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
    "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "uts"}]}
  })");
}

json WindowsConfig() {
  return json::parse(R"({
    "ociVersion": "1.1.0",
    "process": {"args": ["cmd"], "cwd": "C:\\"},
    "root": {"path": "\\\\?\\Volume{0e2c2f5a-7f4e-4a4e-9a8b-1c2d3e4f5a6b}\\"},
    "windows": {"layerFolders": ["C:\\layers\\base", "C:\\layers\\scratch"]}
  })");
}

std::set<std::string> Ids(const std::vector<Finding>& findings) {
  std::set<std::string> ids;
  for (const Finding& f : findings) ids.insert(f.rule_id);
  return ids;
}

TEST(Validate, MinimalLinuxAndWindowsConfigsAreClean) {
  EXPECT_TRUE(Validate(LinuxConfig(), {}).empty());
  ValidateOptions win;
  win.platform = Platform::kWindows;
  auto findings = Validate(WindowsConfig(), win);
  EXPECT_TRUE(findings.empty()) << FormatFinding(findings.at(0));
}

TEST(Validate, DuplicateNamespaceNamesTheField) {
  json c = LinuxConfig();
  c["linux"]["namespaces"].push_back({{"type", "pid"}});
  auto findings = Validate(c, {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule_id, "linux.namespaces.type-unique");
  EXPECT_EQ(findings[0].pointer, "/linux/namespaces/3/type");
  EXPECT_EQ(findings[0].level, Level::kMust);
  EXPECT_NE(findings[0].message.find("\"pid\""), std::string::npos);
  EXPECT_FALSE(IsValid(findings));
}

TEST(Validate, SchemaAndRuleFindingsTogether) {
  json c = LinuxConfig();
  c["process"]["cwd"] = "tmp";
  c["process"]["user"]["uid"] = "root";
  EXPECT_EQ(Ids(Validate(c, {})), (std::set<std::string>{"schema.type"}));  // no model, no rules
  c["process"]["user"]["uid"] = 0;
  EXPECT_EQ(Ids(Validate(c, {})), (std::set<std::string>{"config.process.cwd.absolute"}));
}

TEST(Validate, ParserRangeCheckBecomesSchemaRange) {
  json c = LinuxConfig();
  c["process"]["rlimits"] = json::parse(R"([{"type": "RLIMIT_NOFILE", "soft": -1, "hard": 5}])");
  auto findings = Validate(c, {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule_id, "schema.range");
  EXPECT_EQ(findings[0].pointer, "/process/rlimits/0/soft");
}

TEST(Validate, StageDecidesWhetherProcessIsRequired) {
  json c = LinuxConfig();
  c.erase("process");
  ValidateOptions o;
  EXPECT_TRUE(Validate(c, o).empty());
  o.stage = Stage::kCreate;
  EXPECT_EQ(Ids(Validate(c, o)), (std::set<std::string>{"config.process.required-for-create"}));
  EXPECT_TRUE(IsValid(Validate(c, o)));
  o.stage = Stage::kStart;
  EXPECT_EQ(Ids(Validate(c, o)), (std::set<std::string>{"config.process.required-for-start"}));
}

TEST(Validate, MinLevelDropsShouldFindings) {
  json c = LinuxConfig();
  c["annotations"] = {{"nodots", "x"}};
  EXPECT_EQ(Ids(Validate(c, {})), (std::set<std::string>{"config.annotations.key-reverse-domain"}));
  ValidateOptions must;
  must.min_level = Level::kMust;
  EXPECT_TRUE(Validate(c, must).empty());
}

TEST(Validate, PlatformConsistency) {
  json c = LinuxConfig();
  c["windows"] = WindowsConfig()["windows"];
  EXPECT_EQ(Ids(Validate(c, {})), (std::set<std::string>{"platform.foreign-section"}));
  ValidateOptions win;
  win.platform = Platform::kWindows;
  json w = WindowsConfig();
  w["windows"]["hyperv"] = json::object();
  EXPECT_EQ(Ids(Validate(w, win)), (std::set<std::string>{"windows.root.hyperv-forbidden"}));
  w.erase("windows");
  EXPECT_EQ(Ids(Validate(w, win)), (std::set<std::string>{"windows.section.required"}));
}

TEST(Validate, RunhcsNeedsTwoLayerFolders) {
  ValidateOptions win;
  win.platform = Platform::kWindows;
  json w = WindowsConfig();
  w["windows"]["layerFolders"] = {"C:\\layers\\scratch"};
  EXPECT_EQ(Ids(Validate(w, win)), (std::set<std::string>{"windows.layerFolders.runhcs-min"}));
  w["windows"]["layerFolders"] = json::array();
  EXPECT_EQ(Ids(Validate(w, win)), (std::set<std::string>{"schema.minItems"}));
}

TEST(ValidateText, FindingsCarryLineAndColumn) {
  std::string text = "{\n  \"ociVersion\": \"1.0.0\",\n  \"root\": {\"path\": \"r\"},\n"
                     "  \"process\": {\"cwd\": \"rel\", \"args\": [\"sh\"], \"user\": {\"uid\": 0, \"gid\": 0}}\n}";
  auto findings = ValidateText(text, {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].line, 4);
  EXPECT_EQ(findings[0].column, 22);
  EXPECT_EQ(FormatFinding(findings[0]),
            "error [config.process.cwd.absolute] /process/cwd (line 4, column 22): "
            "process.cwd \"rel\" is not an absolute path");
}

TEST(ValidateText, SyntaxAndDepthAreFindings) {
  auto syntax = ValidateText("{\"ociVersion\": }", {});
  ASSERT_EQ(syntax.size(), 1u);
  EXPECT_EQ(syntax[0].rule_id, "json.syntax");
  EXPECT_EQ(syntax[0].line, 1);
  auto deep = ValidateText(std::string(500, '[') + std::string(500, ']'), {});
  ASSERT_EQ(deep.size(), 1u);
  EXPECT_EQ(deep[0].rule_id, "json.depth");
  json v = json::array();
  for (int i = 0; i < 300; ++i) v = json::array({v});
  EXPECT_EQ(Ids(Validate(v, {})), (std::set<std::string>{"json.depth"}));
}

TEST(ValidateBundle, RootMustBeADirectory) {
  auto dir = std::filesystem::temp_directory_path() / ("oct-specs-bundle-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "config.json") << LinuxConfig().dump(2);
  auto findings = ValidateBundle(dir.string(), {});
  ASSERT_TRUE(findings.ok()) << findings.status().ToString();
  EXPECT_EQ(Ids(*findings), (std::set<std::string>{"bundle.root.directory"}));
  EXPECT_EQ(findings->at(0).pointer, "/root/path");
  EXPECT_GT(findings->at(0).line, 0);
  std::filesystem::create_directory(dir / "rootfs");
  EXPECT_TRUE(ValidateBundle(dir.string(), {})->empty());
  auto missing = ValidateBundle((dir / "nope").string(), {});
  EXPECT_EQ(missing.status().code(), base::Code::kNotFound);
  std::filesystem::remove_all(dir);
}

TEST(Validate, StateAndFeaturesDocuments) {
  ValidateOptions st;
  st.document = Document::kState;
  json state = {{"ociVersion", "1.2.0"}, {"id", "c"}, {"status", "running"}, {"bundle", "/b"}, {"pid", 7}};
  EXPECT_TRUE(Validate(state, st).empty());
  state.erase("pid");
  state["bundle"] = "b";
  EXPECT_EQ(Ids(Validate(state, st)), (std::set<std::string>{"state.pid.required", "state.bundle.absolute"}));
  ValidateOptions ft;
  ft.document = Document::kFeatures;
  EXPECT_TRUE(Validate({{"ociVersionMin", "1.0.0"}, {"ociVersionMax", "1.2.0"}}, ft).empty());
  EXPECT_EQ(Ids(Validate({{"ociVersionMin", "1.3.0"}, {"ociVersionMax", "1.2.0"}}, ft)),
            (std::set<std::string>{"features.version.order"}));
}

TEST(AllRules, IdsAreUniqueAndDocumented) {
  std::set<std::string_view> ids;
  for (const RuleInfo& r : AllRules()) {
    EXPECT_TRUE(ids.insert(r.id).second) << r.id;
    EXPECT_FALSE(r.clause.empty()) << r.id;
    EXPECT_FALSE(r.summary.empty()) << r.id;
  }
  EXPECT_GE(ids.size(), 60u);
}

}  // namespace
}  // namespace ocispec
