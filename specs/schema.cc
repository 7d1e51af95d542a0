#include "specs/schema.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <utility>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "specs/json_map.h"

namespace ocispec {
namespace internal {
extern const std::pair<std::string_view, std::string_view> kEmbeddedSchemas[];
extern const int kEmbeddedSchemaCount;
}  // namespace internal

namespace {

using json = nlohmann::json;

// valijson context ["<root>", "[process]", "[user]", "[uid]"] -> "/process/user/uid".
std::string ContextToPointer(const std::vector<std::string>& context) {
  std::string pointer;
  for (size_t i = 1; i < context.size(); ++i) {
    std::string_view token = context[i];
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
      token = token.substr(1, token.size() - 2);
    }
    internal::AppendPointerToken(pointer, token);
  }
  return pointer;
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Errors that only say "something below failed" carry no information of their own.
bool IsWrapper(std::string_view d) {
  return StartsWith(d, "Failed to validate against schema associated with") ||
         StartsWith(d, "Failed to validate item #") ||
         StartsWith(d, "Failed to validate against additional properties schema") ||
         StartsWith(d, "Failed to validate against child schema") ||
         StartsWith(d, "Failed to validate against any child schemas allowed by allOf");
}

// Maps valijson's description to our stable rule id and a shorter message.
std::pair<std::string, std::string> Classify(const std::string& d) {
  struct Kind {
    std::string_view prefix;
    std::string_view id;
  };
  static constexpr Kind kKinds[] = {
      {"Missing required property", "schema.required"},
      {"Value type not permitted", "schema.type"},
      {"Failed to match against any enum values", "schema.enum"},
      {"Failed to match regex", "schema.pattern"},
      {"Expected number", "schema.range"},
      {"Array should contain no fewer", "schema.minItems"},
      {"Array should contain no more", "schema.maxItems"},
      {"String should be no", "schema.length"},
      {"Object contains a property", "schema.additionalProperties"},
      {"Failed to validate against any schemas allowed by anyOf", "schema.anyOf"},
  };
  for (const Kind& k : kKinds) {
    if (StartsWith(d, k.prefix)) return {std::string(k.id), d};
  }
  return {"schema.other", d};
}

// "/mounts/0/destination" -> "mounts[0].destination"; "" -> "the document".
std::string FieldName(std::string_view pointer) {
  if (pointer.empty()) return "the document";
  std::string out;
  size_t start = 1;
  while (start <= pointer.size()) {
    size_t end = std::min(pointer.find('/', start), pointer.size());
    std::string_view token = pointer.substr(start, end - start);
    bool index = !token.empty() && token.find_first_not_of("0123456789") == std::string_view::npos;
    if (index) out += "[" + std::string(token) + "]";
    else out += (out.empty() ? "" : ".") + std::string(token);
    start = end + 1;
  }
  return out;
}

// "7.000000" -> "7"
std::string TrimNumber(std::string s) {
  if (s.find('.') == std::string::npos) return s;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// A message that names the field and, where useful, shows the value.
std::string Describe(const std::string& id, const std::string& d, const std::string& pointer, const json& doc) {
  std::string field = FieldName(pointer);
  std::string value;
  try {  // our pointers are well formed; nlohmann still throws on odd ones, never let that escape
    json::json_pointer jp(pointer);
    if (!pointer.empty() && doc.contains(jp)) value = doc.at(jp).dump(-1, ' ', false, json::error_handler_t::replace);
  } catch (const json::exception&) {
    value = "value";
  }
  if (value.size() > 60) value = value.substr(0, 57) + "...";
  if (id == "schema.required") {
    size_t q = d.find('\'');
    std::string key = q == std::string::npos ? d : d.substr(q + 1, d.rfind('\'') - q - 1);
    return field + ": required property \"" + key + "\" is missing";
  }
  if (id == "schema.type") return field + ": " + value + " has the wrong type";
  if (id == "schema.enum") return field + ": " + value + " is not one of the allowed values";
  if (id == "schema.pattern") return field + ": " + value + " does not match the required format";
  if (id == "schema.range") {
    size_t n = d.find_last_of(' ');
    std::string bound = TrimNumber(d.substr(n + 1));
    std::string op = d.find("greater than or equal") != std::string::npos ? ">= "
                     : d.find("less than or equal") != std::string::npos  ? "<= "
                     : d.find("greater") != std::string::npos             ? "> " : "< ";
    return field + ": " + value + " is out of range (must be " + op + bound + ")";
  }
  return field + ": " + d;
}

}  // namespace

struct SchemaSet::Impl {
  valijson::Schema schema;
};

SchemaSet::SchemaSet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SchemaSet::SchemaSet(SchemaSet&&) noexcept = default;
SchemaSet& SchemaSet::operator=(SchemaSet&&) noexcept = default;
SchemaSet::~SchemaSet() = default;

base::Result<SchemaSet> SchemaSet::Compile(const std::map<std::string, json>& documents,
                                           const std::string& root) {
  auto it = documents.find(root);
  if (it == documents.end()) return base::InvalidArgument("schema " + root + " not found");
  auto impl = std::make_unique<Impl>();
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft4);
  auto fetch = [&documents](const std::string& uri) -> const json* {
    std::string name = std::filesystem::path(uri).filename().string();
    auto doc = documents.find(name);
    return doc == documents.end() ? nullptr : new json(doc->second);
  };
  auto free_doc = [](const json* doc) { delete doc; };
  try {
    valijson::adapters::NlohmannJsonAdapter adapter(it->second);
    parser.populateSchema(adapter, impl->schema, fetch, free_doc);
  } catch (const std::exception& e) {
    return base::InvalidArgument("compile schema " + root + ": " + e.what());
  }
  return SchemaSet(std::move(impl));
}

base::Result<SchemaSet> SchemaSet::CompileDirectory(const std::string& dir, const std::string& root) {
  std::map<std::string, json> documents;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    json doc = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return base::InvalidArgument("schema " + entry.path().string() + ": bad JSON");
    documents[entry.path().filename().string()] = std::move(doc);
  }
  if (ec) return base::Status(base::Code::kIo, "read schema directory " + dir + ": " + ec.message());
  return Compile(documents, root);
}

std::vector<SchemaError> SchemaSet::Validate(const json& doc) const {
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(doc);
  std::vector<SchemaError> errors;
  try {
    if (validator.validate(impl_->schema, target, &results)) return errors;
  } catch (const std::exception& e) {
    errors.push_back({"schema.other", "", std::string("schema validation failed: ") + e.what()});
    return errors;
  }
  valijson::ValidationResults::Error error;
  std::vector<SchemaError> wrappers;
  while (results.popError(error)) {
    auto [id, description] = Classify(error.description);
    std::string pointer = ContextToPointer(error.context);
    std::string message = Describe(id, description, pointer, doc);
    SchemaError e{id, std::move(pointer), std::move(message)};
    (IsWrapper(error.description) ? wrappers : errors).push_back(std::move(e));
  }
  std::vector<SchemaError>& out = errors.empty() ? wrappers : errors;
  std::stable_sort(out.begin(), out.end(),
                   [](const SchemaError& a, const SchemaError& b) { return a.pointer < b.pointer; });
  return std::move(out);
}

std::string_view EmbeddedSchemaText(const std::string& name) {
  for (int i = 0; i < internal::kEmbeddedSchemaCount; ++i) {
    if (internal::kEmbeddedSchemas[i].first == name) return internal::kEmbeddedSchemas[i].second;
  }
  return {};
}

std::vector<std::string> EmbeddedSchemaNames() {
  std::vector<std::string> names;
  for (int i = 0; i < internal::kEmbeddedSchemaCount; ++i) {
    names.emplace_back(internal::kEmbeddedSchemas[i].first);
  }
  return names;
}

const SchemaSet& BuiltinSchema(const std::string& root) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<SchemaSet>> compiled;
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = compiled[root];
  if (!slot) {
    std::map<std::string, json> documents;
    for (const std::string& name : EmbeddedSchemaNames()) {
      documents[name] = json::parse(EmbeddedSchemaText(name), nullptr, false);  // ours; schema_test checks
    }
    auto set = SchemaSet::Compile(documents, root);
    // Our own schemas compile (schema_test.cc); an unknown root is a programming error.
    if (!set.ok()) set = SchemaSet::Compile({{root, json::object()}}, root);
    slot = std::make_unique<SchemaSet>(std::move(set).value());
  }
  return *slot;
}

}  // namespace ocispec
