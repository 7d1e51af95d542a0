// Internal: the semantic rule table. Each rule is a RuleInfo (id, level, clause, summary) plus a
// check that reports findings through RuleContext. Tables live in rules_config.cc (platform neutral
// config), rules_linux.cc, rules_windows.cc and rules_documents.cc (state, features).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "specs/spec.h"
#include "specs/state.h"
#include "specs/validate.h"

namespace ocispec::internal {

class RuleContext {
 public:
  RuleContext(const nlohmann::json& doc, const ValidateOptions& options, std::vector<Finding>* out)
      : doc(doc), options(options), out_(out) {}

  const nlohmann::json& doc;
  const ValidateOptions& options;
  const Spec* spec = nullptr;          // set for Document::kConfig
  const State* state = nullptr;        // set for Document::kState
  const Features* features = nullptr;  // set for Document::kFeatures

  bool linux_platform() const { return options.platform == Platform::kLinux; }
  bool windows_platform() const { return options.platform == Platform::kWindows; }
  // Windows with windows.hyperv present, or an LCOW config (a linux section): a utility VM.
  bool hyperv() const;
  // The platform the container process runs on: Linux for LCOW configs on Windows.
  Platform process_platform() const;
  // True when the document has a value at `pointer` (rules skip what the schema reports missing).
  bool Present(const std::string& pointer) const;

  void SetRule(const RuleInfo* rule) { rule_ = rule; }
  // Records a finding of the current rule at `pointer`.
  void Report(std::string pointer, std::string message);

 private:
  std::vector<Finding>* out_;
  const RuleInfo* rule_ = nullptr;
};

struct Rule {
  RuleInfo info;
  Document document;
  void (*check)(RuleContext& ctx);
};

std::span<const Rule> ConfigRules();
std::span<const Rule> LinuxRules();
std::span<const Rule> WindowsRules();
std::span<const Rule> DocumentRules();

// Helpers shared by the rule files.
// True when linux.namespaces asks for a new namespace of `type` (listed without a path).
bool HasNewNamespace(const RuleContext& c, std::string_view type);
bool IsAbsolutePosix(std::string_view path);
// "C:\x", "C:/x", "\\?\Volume{...}\", "\\server\share".
bool IsAbsoluteWindows(std::string_view path);
bool IsAbsoluteFor(Platform platform, std::string_view path);
// SemVer 2.0.0: MAJOR.MINOR.PATCH[-pre][+build], no leading zeros.
bool IsSemVer(std::string_view version);
// JSON-quoted text for messages: "\"tmp\"".
std::string Quote(std::string_view s);
// "/a/b" + token (escaped).
std::string Ptr(std::string_view base, std::string_view token);
std::string Ptr(std::string_view base, size_t index);

}  // namespace ocispec::internal
