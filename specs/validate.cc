#include "specs/validate.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "specs/json_location.h"
#include "specs/parse.h"
#include "specs/rules.h"
#include "specs/schema.h"

namespace ocispec {
namespace {

using json = nlohmann::json;
using internal::Rule;
using internal::RuleContext;

constexpr RuleInfo kBundleRoot{"bundle.root.directory", Level::kMust,
                               "bundle.md, config.md#root: root.path names the container's root filesystem directory",
                               "root.path exists and is a directory (bundle directories only)"};

const char* SchemaRoot(Document d) {
  switch (d) {
    case Document::kState: return "state.json";
    case Document::kFeatures: return "features.json";
    case Document::kConfig: break;
  }
  return "config.json";
}

void AddSchemaFindings(const json& doc, const ValidateOptions& options, std::vector<Finding>& out) {
  for (SchemaError& e : BuiltinSchema(SchemaRoot(options.document)).Validate(doc)) {
    out.push_back({std::move(e.rule_id), Level::kMust, std::move(e.pointer), 0, 0, std::move(e.message)});
  }
}

// Type/range problems the parser saw: they sharpen the message of a schema finding at the same
// pointer ("expected unsigned integer, got string"), or become findings of their own.
void AddParseFindings(const std::vector<ParseIssue>& issues, std::vector<Finding>& out) {
  size_t schema_count = out.size();
  for (const ParseIssue& issue : issues) {
    auto same = std::find_if(out.begin(), out.begin() + schema_count,
                             [&](const Finding& f) { return f.pointer == issue.pointer; });
    if (same != out.begin() + schema_count) {
      if (same->rule_id == "schema.type") same->message = same->message.substr(0, same->message.find(": ") + 2) + issue.message;
      continue;
    }
    bool range = issue.message.find("out of range") != std::string::npos;
    out.push_back({range ? "schema.range" : "schema.type", Level::kMust, issue.pointer, 0, 0,
                   issue.pointer + ": " + issue.message});
  }
}

void RunRules(std::span<const Rule> rules, RuleContext& ctx) {
  for (const Rule& rule : rules) {
    if (rule.document != ctx.options.document) continue;
    ctx.SetRule(&rule.info);
    rule.check(ctx);
  }
}

void ValidateConfig(const json& doc, const ValidateOptions& options, std::vector<Finding>& out) {
  std::vector<ParseIssue> issues;
  base::Result<Spec> spec = ConfigFromJson(doc, &issues);
  if (!spec.ok()) return AddParseFindings(issues, out);
  RuleContext ctx(doc, options, &out);
  ctx.spec = &*spec;
  RunRules(internal::ConfigRules(), ctx);
  if (options.platform == Platform::kLinux || spec->linux) RunRules(internal::LinuxRules(), ctx);
  if (options.platform == Platform::kWindows) RunRules(internal::WindowsRules(), ctx);
}

template <class T>
void ValidateDocument(const json& doc, const ValidateOptions& options, std::vector<Finding>& out,
                      base::Result<T> (*from_json)(const json&, std::vector<ParseIssue>*)) {
  std::vector<ParseIssue> issues;
  base::Result<T> model = from_json(doc, &issues);
  if (!model.ok()) return AddParseFindings(issues, out);
  RuleContext ctx(doc, options, &out);
  if constexpr (std::is_same_v<T, State>) ctx.state = &*model;
  else ctx.features = &*model;
  RunRules(internal::DocumentRules(), ctx);
}

void Finish(const ValidateOptions& options, std::vector<Finding>& out) {
  if (options.min_level == Level::kMust) {
    out.erase(std::remove_if(out.begin(), out.end(), [](const Finding& f) { return f.level != Level::kMust; }),
              out.end());
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.pointer, a.rule_id) < std::tie(b.pointer, b.rule_id);
  });
}

base::Result<std::string> ReadText(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return base::NotFound("read " + path + ": no such file");
  if (std::filesystem::is_directory(path, ec)) return base::InvalidArgument("read " + path + ": is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) return base::Status(base::Code::kIo, "read " + path + ": cannot open");
  std::ostringstream data;
  data << in.rdbuf();
  if (in.bad()) return base::Status(base::Code::kIo, "read " + path + ": read error");
  return data.str();
}

// Text validation that also hands back the parsed document (null on syntax errors).
std::vector<Finding> ValidateTextKeep(std::string_view text, const ValidateOptions& options, json& doc) {
  std::vector<ParseIssue> issues;
  auto parsed = ParseJsonText(text, &issues);
  if (!parsed.ok()) {
    std::vector<Finding> out;
    for (const ParseIssue& i : issues) {
      bool depth = i.message.find("nesting deeper") != std::string::npos;
      out.push_back({depth ? "json.depth" : "json.syntax", Level::kMust, i.pointer, i.line, i.column, i.message});
    }
    return out;
  }
  doc = std::move(parsed).value();
  std::vector<Finding> out = Validate(doc, options);
  LocateAll(text, out);
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);  // reading order
  });
  return out;
}

}  // namespace

std::vector<Finding> Validate(const json& doc, const ValidateOptions& options) {
  std::vector<Finding> out;
  if (JsonDeeperThan(doc, kMaxJsonDepth)) {
    out.push_back({"json.depth", Level::kMust, "", 0, 0,
                   "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels"});
    return out;
  }
  AddSchemaFindings(doc, options, out);
  switch (options.document) {
    case Document::kConfig: ValidateConfig(doc, options, out); break;
    case Document::kState: ValidateDocument<State>(doc, options, out, StateFromJson); break;
    case Document::kFeatures: ValidateDocument<Features>(doc, options, out, FeaturesFromJson); break;
  }
  Finish(options, out);
  return out;
}

std::vector<Finding> ValidateText(std::string_view text, const ValidateOptions& options) {
  json doc;
  return ValidateTextKeep(text, options, doc);
}

base::Result<std::vector<Finding>> ValidateFile(const std::string& path, const ValidateOptions& options) {
  ASSIGN_OR_RETURN(std::string text, ReadText(path));
  return ValidateText(text, options);
}

base::Result<std::vector<Finding>> ValidateBundle(const std::string& dir, const ValidateOptions& options) {
  std::filesystem::path config = std::filesystem::path(dir) / "config.json";
  ASSIGN_OR_RETURN(std::string text, ReadText(config.string()));
  json doc;
  std::vector<Finding> out = ValidateTextKeep(text, options, doc);
  const json* path = doc.is_object() && doc.contains("root") && doc["root"].is_object() && doc["root"].contains("path")
                         ? &doc["root"]["path"] : nullptr;
  if (options.platform != Platform::kLinux || !path || !path->is_string()) return out;
  std::filesystem::path root(path->get<std::string>());
  if (root.is_relative()) root = std::filesystem::path(dir) / root;
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) {
    TextPosition pos = PositionOf(text, LocatePointer(text, "/root/path").value_or(0));
    out.push_back({std::string(kBundleRoot.id), Level::kMust, "/root/path", pos.line, pos.column,
                   "root.path " + path->get<std::string>() + " (" + root.string() +
                       (std::filesystem::exists(root, ec) ? ") is not a directory" : ") does not exist")});
  }
  return out;
}

bool IsValid(const std::vector<Finding>& findings) {
  return std::none_of(findings.begin(), findings.end(), [](const Finding& f) { return f.level == Level::kMust; });
}

std::string_view LevelName(Level level) { return level == Level::kMust ? "MUST" : "SHOULD"; }

std::string FormatFinding(const Finding& f) {
  std::string out = f.level == Level::kMust ? "error" : "warning";
  out += " [" + f.rule_id + "] " + (f.pointer.empty() ? "/" : f.pointer);
  if (f.line > 0) out += " (line " + std::to_string(f.line) + ", column " + std::to_string(f.column) + ")";
  return out + ": " + f.message;
}

json FindingToJson(const Finding& f) {
  json j = {{"rule", f.rule_id}, {"level", LevelName(f.level)}, {"pointer", f.pointer}, {"message", f.message}};
  if (f.line > 0) {
    j["line"] = f.line;
    j["column"] = f.column;
  }
  return j;
}

std::span<const RuleInfo> AllRules() {
  static const std::vector<RuleInfo> all = [] {
    std::vector<RuleInfo> v;
    for (auto table : {internal::ConfigRules(), internal::LinuxRules(), internal::WindowsRules(),
                       internal::DocumentRules()}) {
      for (const Rule& r : table) v.push_back(r.info);
    }
    v.push_back(kBundleRoot);
    return v;
  }();
  return all;
}

}  // namespace ocispec
