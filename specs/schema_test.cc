#include "specs/schema.h"

#include <gtest/gtest.h>

namespace ocispec {
namespace {

TEST(EmbeddedSchemas, AllPresentAndValidJson) {
  std::vector<std::string> names = EmbeddedSchemaNames();
  for (const char* want : {"config.json", "config-linux.json", "config-windows.json", "config-vm.json",
                           "defs.json", "state.json", "features.json"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
  }
  for (const std::string& name : names) {
    auto doc = nlohmann::json::parse(EmbeddedSchemaText(name), nullptr, false);
    EXPECT_FALSE(doc.is_discarded()) << name;
  }
  EXPECT_TRUE(EmbeddedSchemaText("nope.json").empty());
}

TEST(SchemaSet, CompilesEveryRootAndResolvesRefs) {
  std::map<std::string, nlohmann::json> docs;
  for (const std::string& name : EmbeddedSchemaNames()) docs[name] = nlohmann::json::parse(EmbeddedSchemaText(name));
  for (const char* root : {"config.json", "state.json", "features.json"}) {
    auto set = SchemaSet::Compile(docs, root);
    EXPECT_TRUE(set.ok()) << root << ": " << set.status().ToString();
  }
  docs.erase("defs.json");
  EXPECT_FALSE(SchemaSet::Compile(docs, "config.json").ok());
}

TEST(SchemaSet, ReportsLeafErrorsWithPointers) {
  const SchemaSet& s = BuiltinSchema("config.json");
  auto errors = s.Validate(nlohmann::json::parse(
      R"({"ociVersion": "1.0.0", "process": {"cwd": "/", "user": {"uid": "x"}}, "linux": {"namespaces": [{"type": "bogus"}]}})"));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].rule_id, "schema.enum");
  EXPECT_EQ(errors[0].pointer, "/linux/namespaces/0/type");
  EXPECT_EQ(errors[1].rule_id, "schema.type");
  EXPECT_EQ(errors[1].pointer, "/process/user/uid");
  auto missing = s.Validate(nlohmann::json::object());
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].rule_id, "schema.required");
  EXPECT_NE(missing[0].message.find("ociVersion"), std::string::npos);
}

}  // namespace
}  // namespace ocispec
