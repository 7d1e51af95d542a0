// Validation of OCI documents: our JSON Schemas first, then a table of semantic rules that no schema
// expresses (specs/rules_*.cc), each with a stable id, a level and the spec clause it comes from.
// Used by `ocicert validate`, by ocirun before create, and by the conformance harness.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace ocispec {

enum class Level { kMust, kShould };
enum class Platform { kLinux, kWindows };
enum class Document { kConfig, kState, kFeatures };
// What the config is about to be used for. kStart: `process` is REQUIRED (config.md); kCreate:
// its absence is a SHOULD finding (start would fail later); kAny: a file check only.
enum class Stage { kAny, kCreate, kStart };

struct ValidateOptions {
  Platform platform = Platform::kLinux;
  Level min_level = Level::kShould;  // kMust drops SHOULD findings
  Stage stage = Stage::kAny;
  Document document = Document::kConfig;
};

// One problem. line/column are 1-based, 0 when unknown (a value built in memory, a missing key).
struct Finding {
  std::string rule_id;  // "linux.namespaces.type-unique", "schema.type", "json.syntax", ...
  Level level = Level::kMust;
  std::string pointer;  // JSON pointer of the offending value ("" = document root)
  int line = 0;
  int column = 0;
  std::string message;  // names the field: "/process/cwd: \"tmp\" is not an absolute path"
};

// A semantic rule as listed in the table (for docs and `--list-rules`).
struct RuleInfo {
  std::string_view id;
  Level level;
  std::string_view clause;   // "config-linux.md#namespaces: ..." spec text or runtime it comes from
  std::string_view summary;  // one line
};

// Validates a parsed document. Never fails: every problem is a Finding, sorted by pointer.
std::vector<Finding> Validate(const nlohmann::json& doc, const ValidateOptions& options);
// Validates JSON text: syntax errors and excessive nesting become findings ("json.syntax",
// "json.depth"); every finding gets the line:column of its pointer, and findings come in reading order.
std::vector<Finding> ValidateText(std::string_view text, const ValidateOptions& options);
// Reads and validates a file. kNotFound / kIo (naming the path) when it cannot be read.
base::Result<std::vector<Finding>> ValidateFile(const std::string& path, const ValidateOptions& options);
// Validates <dir>/config.json and, on non-Windows platforms, that root.path (relative to dir)
// is an existing directory (rule "bundle.root.directory"). kNotFound when dir/config.json is missing.
base::Result<std::vector<Finding>> ValidateBundle(const std::string& dir, const ValidateOptions& options);

// True when no finding has level kMust.
bool IsValid(const std::vector<Finding>& findings);
// "MUST" / "SHOULD".
std::string_view LevelName(Level level);
// "error|warning <rule_id> <pointer> (line L, column C): <message>" style one-liner.
std::string FormatFinding(const Finding& finding);
// {"rule": .., "level": "MUST", "pointer": .., "line": .., "column": .., "message": ..}
nlohmann::json FindingToJson(const Finding& finding);
// Every semantic rule, in table order.
std::span<const RuleInfo> AllRules();

}  // namespace ocispec
