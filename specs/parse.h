// Parsing OCI documents into the typed model, and writing them back.
//
// Parsing checks JSON syntax, nesting depth, and the type and range of every known field; it
// collects every problem, not only the first. REQUIRED fields and cross-field rules are checked by
// the validator (specs/validate.h). Nothing here throws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "specs/spec.h"
#include "specs/state.h"

namespace ocispec {

// Documents nested deeper than this are rejected before anything recurses over them.
inline constexpr int kMaxJsonDepth = 128;

// One problem found while parsing: where (JSON pointer, 1-based line:column; 0 when unknown) and what.
struct ParseIssue {
  std::string pointer;  // "" is the document root
  int line = 0;
  int column = 0;
  std::string message;  // "expected unsigned integer, got string"
  // "/process/user/uid (line 7, column 14): expected unsigned integer, got string"
  std::string ToString() const;
};

// Each Parse* returns the model or kInvalidArgument whose message lists the issues (first ones
// first, each as ParseIssue::ToString()). When `issues` is non-null it receives every issue.
base::Result<Spec> ParseConfig(std::string_view json, std::vector<ParseIssue>* issues = nullptr);
// Reads and parses a config file; kNotFound / kIo when unreadable, the message names the path.
base::Result<Spec> ParseConfigFile(const std::string& path, std::vector<ParseIssue>* issues = nullptr);
base::Result<State> ParseState(std::string_view json, std::vector<ParseIssue>* issues = nullptr);
base::Result<Features> ParseFeatures(std::string_view json, std::vector<ParseIssue>* issues = nullptr);
// The document of `update -r`: a linux.resources object.
base::Result<LinuxResources> ParseLinuxResources(std::string_view json,
                                                 std::vector<ParseIssue>* issues = nullptr);
// The document of `exec -p process.json`: a process object.
base::Result<Process> ParseProcess(std::string_view json, std::vector<ParseIssue>* issues = nullptr);

// Same, from an already parsed JSON value (no line/column then). `doc` deeper than kMaxJsonDepth
// is rejected.
base::Result<Spec> ConfigFromJson(const nlohmann::json& doc, std::vector<ParseIssue>* issues = nullptr);
base::Result<State> StateFromJson(const nlohmann::json& doc, std::vector<ParseIssue>* issues = nullptr);
base::Result<Features> FeaturesFromJson(const nlohmann::json& doc, std::vector<ParseIssue>* issues = nullptr);
// A linux.seccomp object alone (ocirun hands a container's filter to the processes exec'd into it).
base::Result<Seccomp> SeccompFromJson(const nlohmann::json& doc, std::vector<ParseIssue>* issues = nullptr);

// True when `doc` nests arrays/objects deeper than `limit` (checked without recursion).
bool JsonDeeperThan(const nlohmann::json& doc, int limit);

// Reads JSON text into a value, rejecting bad syntax and excessive depth (never throws).
base::Result<nlohmann::json> ParseJsonText(std::string_view json, std::vector<ParseIssue>* issues = nullptr);

// The model as JSON: known fields in spec spelling, absent optionals and empty lists omitted,
// `extra` properties merged back in.
nlohmann::json ToJson(const Spec& spec);
nlohmann::json ToJson(const State& state);
nlohmann::json ToJson(const Features& features);
nlohmann::json ToJson(const LinuxResources& resources);
nlohmann::json ToJson(const Process& process);

}  // namespace ocispec
