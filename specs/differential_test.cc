// Differential check: our schemas against the runtime-spec project's own (Debian's
// golang-github-opencontainers-specs-dev), fixture by fixture, at schema level. Our schema-level
// verdict counts schema.* and json.* findings (the parser's range checks report as schema.range).
// Configs are compared with config-schema.json, state documents with state-schema.json; the Debian
// snapshot has no features schema, so features fixtures are not compared.
// valijson reads an unsigned integer above INT64_MAX through int64 (the nlohmann adapter), so
// upstream's uint64 "maximum": 18446744073709551615 would act as -1: the harness rewrites such
// maximums as doubles before compiling (a harness fix, not a change of upstream's meaning).
// Justified disagreements are listed, with reasons, in fixtures/configs/schema-disagreements.json;
// an unlisted disagreement fails, and so does a listed one that no longer disagrees.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "specs/parse.h"
#include "specs/schema.h"
#include "specs/validate.h"

namespace ocispec {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const fs::path kFixtures = fs::path(OCICERT_SOURCE_DIR) / "fixtures" / "configs";
const char* kUpstream = "/usr/share/gocode/src/github.com/opencontainers/runtime-spec/schema";

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool OursRejects(const std::string& text, Document document) {
  ValidateOptions options;
  options.document = document;
  for (const Finding& f : ValidateText(text, options)) {
    if (f.rule_id.rfind("schema.", 0) == 0 || f.rule_id.rfind("json.", 0) == 0) return true;
  }
  return false;
}

// Replaces unsigned "maximum" values above INT64_MAX by their double value, everywhere in `v`.
void FixHugeMaximums(json& v) {
  std::vector<json*> stack{&v};
  while (!stack.empty()) {
    json* node = stack.back();
    stack.pop_back();
    if (node->is_object() && node->contains("maximum") && (*node)["maximum"].is_number_unsigned() &&
        (*node)["maximum"].get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
      (*node)["maximum"] = static_cast<double>((*node)["maximum"].get<uint64_t>());
    }
    if (node->is_structured()) {
      for (json& child : *node) stack.push_back(&child);
    }
  }
}

base::Result<SchemaSet> Upstream(const std::string& root) {
  std::map<std::string, json> docs;
  for (const auto& e : fs::directory_iterator(kUpstream)) {
    if (e.path().extension() != ".json") continue;
    json doc = json::parse(Read(e.path()));
    FixHugeMaximums(doc);
    docs[e.path().filename().string()] = std::move(doc);
  }
  return SchemaSet::Compile(docs, root);
}

TEST(Differential, SameSchemaVerdictAsUpstream) {
  if (!fs::exists(fs::path(kUpstream) / "config-schema.json")) {
    GTEST_SKIP() << "upstream schemas missing: install golang-github-opencontainers-specs-dev";
  }
  auto config_schema = Upstream("config-schema.json");
  ASSERT_TRUE(config_schema.ok()) << config_schema.status().ToString();
  auto state_schema = Upstream("state-schema.json");
  ASSERT_TRUE(state_schema.ok()) << state_schema.status().ToString();
  json listed = json::parse(Read(kFixtures / "schema-disagreements.json"));
  int compared = 0;
  for (const auto& e : fs::recursive_directory_iterator(kFixtures)) {
    if (e.path().extension() != ".json" || e.path().parent_path() == kFixtures) continue;
    std::string rel = fs::relative(e.path(), kFixtures).generic_string();
    if (rel.find("/features/") != std::string::npos) continue;
    bool is_state = rel.find("/state/") != std::string::npos;
    const SchemaSet* upstream = is_state ? &*state_schema : &*config_schema;
    std::string text = Read(e.path());
    auto doc = ParseJsonText(text);
    bool ours = OursRejects(text, is_state ? Document::kState : Document::kConfig);
    std::string why;
    bool theirs = !doc.ok();
    if (doc.ok()) {
      for (const SchemaError& err : upstream->Validate(*doc)) why += "\n  upstream: " + err.pointer + ": " + err.message;
      theirs = !why.empty();
    }
    bool expect_disagree = listed.contains(rel);
    if (expect_disagree) {
      EXPECT_NE(ours, theirs) << rel << " is listed as a disagreement but both say "
                              << (ours ? "invalid" : "valid");
      EXPECT_EQ(listed[rel].value("ours", ""), ours ? "invalid" : "valid") << rel;
      EXPECT_FALSE(listed[rel].value("reason", "").empty()) << rel;
    } else {
      EXPECT_EQ(ours, theirs) << rel << ": ours says " << (ours ? "invalid" : "valid") << ", upstream says "
                              << (theirs ? "invalid" : "valid") << why;
    }
    ++compared;
  }
  EXPECT_GE(compared, 150);
}

}  // namespace
}  // namespace ocispec
