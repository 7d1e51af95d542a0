// JSON Schema validation (valijson) of OCI documents, with our own schemas embedded in the library
// (specs/schema/*.json) or with any other set of schema files (the differential test uses the
// runtime-spec project's own).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace ocispec {

// One schema violation. rule_id is "schema.<kind>": required, type, enum, pattern, range,
// minItems, maxItems, length, additionalProperties, anyOf, other.
struct SchemaError {
  std::string rule_id;
  std::string pointer;  // of the offending value (for "required": of the object missing the key)
  std::string message;
};

// A compiled schema: a root document plus the documents its "$ref"s name ("defs.json", ...).
class SchemaSet {
 public:
  // Compiles `root` of `documents` (name -> schema JSON). kInvalidArgument when a schema or a
  // reference is broken.
  static base::Result<SchemaSet> Compile(const std::map<std::string, nlohmann::json>& documents,
                                         const std::string& root);
  // Reads every *.json in `dir` and compiles `root` from them.
  static base::Result<SchemaSet> CompileDirectory(const std::string& dir, const std::string& root);

  SchemaSet(SchemaSet&&) noexcept;
  SchemaSet& operator=(SchemaSet&&) noexcept;
  ~SchemaSet();

  // Every violation in `doc`, wrapper errors ("failed to validate property x") left out.
  std::vector<SchemaError> Validate(const nlohmann::json& doc) const;

 private:
  struct Impl;
  explicit SchemaSet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Our embedded schemas: "config.json", "state.json", "features.json" (compiled once, thread-safe).
const SchemaSet& BuiltinSchema(const std::string& root);
// The text of one embedded schema file, empty when there is none by that name.
std::string_view EmbeddedSchemaText(const std::string& name);
// Names of all embedded schema files.
std::vector<std::string> EmbeddedSchemaNames();

}  // namespace ocispec
