// The two reports of `ocicert validate`: compiler-style text lines and a JSON document. They live in
// the library (not the command) so the fuzz target runs them on every input (issue 11: the JSON
// report aborted on a config with invalid UTF-8).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "specs/validate.h"

namespace ocispec {

// The outcome for one path given to validate.
struct PathReport {
  std::string path;
  std::string config;  // the file the findings' lines refer to (path, or path/config.json for a bundle)
  std::string error;   // unreadable: the reason
  std::vector<Finding> findings;
};

// Validates a config file or a bundle directory.
PathReport CheckPath(const std::string& path, const ValidateOptions& options);

// The text report: "file:line:col: error [rule] /pointer: message" per finding, then a summary line.
// Bytes that are not UTF-8 (in a path or a message) are written as \xNN.
std::string TextReport(const PathReport& r);
// {"path", "file", "valid", "errors", "warnings", "findings": [FindingToJson...]} or, unreadable,
// {"path", "file", "readable": false, "error"}.
nlohmann::json JsonReport(const PathReport& r);
// Serialises a report: never throws; bytes that are not UTF-8 become \xNN escapes in the string.
std::string DumpReport(const nlohmann::json& report, int indent = 2);

}  // namespace ocispec
