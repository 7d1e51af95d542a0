#include "specs/parse.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "base/utf8.h"
#include "specs/json_fields.h"
#include "specs/json_location.h"
#include "specs/json_map.h"

namespace ocispec {
namespace {

using json = nlohmann::json;

constexpr size_t kIssuesInMessage = 5;

base::Status IssuesStatus(std::string_view what, const std::vector<ParseIssue>& issues) {
  std::string msg = "invalid " + std::string(what) + ": ";
  for (size_t i = 0; i < issues.size() && i < kIssuesInMessage; ++i) {
    if (i) msg += "; ";
    msg += issues[i].ToString();
  }
  if (issues.size() > kIssuesInMessage) {
    msg += "; and " + std::to_string(issues.size() - kIssuesInMessage) + " more";
  }
  return base::InvalidArgument(std::move(msg));
}

// The reason of a parse_error without its "[json.exception...] parse error at line L, column C: "
// prefix. nlohmann's "last read" excerpt repeats the input's bytes: an ill-formed UTF-8 byte gets a
// message of its own (and its own position in *at), any other non-UTF-8 byte is escaped: the reports
// are JSON, which must be UTF-8 (RFC 8259 section 8.1).
std::string SyntaxErrorText(const std::string& what, std::string_view text, size_t* at) {
  std::optional<size_t> bad = base::FirstInvalidUtf8(text);
  if (what.find("ill-formed UTF-8") != std::string::npos && bad) {
    *at = *bad;
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[*bad]));
    return std::string("the byte ") + hex + " is not UTF-8 (JSON text must be UTF-8: RFC 8259 section 8.1)";
  }
  size_t colon = what.find(": ", what.find("parse error"));
  return base::EscapeInvalidUtf8(colon == std::string::npos ? what : what.substr(colon + 2));
}

// Parses text into a value; syntax and depth problems become issues.
std::optional<json> ParseText(std::string_view text, std::vector<ParseIssue>& issues) {
  if (auto deep = FindExcessiveNesting(text, kMaxJsonDepth)) {
    TextPosition pos = PositionOf(text, *deep);
    issues.push_back({"", pos.line, pos.column,
                      "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels"});
    return std::nullopt;
  }
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    size_t at = e.byte > 0 ? e.byte - 1 : 0;
    std::string reason = SyntaxErrorText(e.what(), text, &at);
    TextPosition pos = PositionOf(text, at);
    issues.push_back({"", pos.line, pos.column, "JSON syntax error: " + reason});
  } catch (const json::exception& e) {
    issues.push_back({"", 0, 0, "JSON error: " + base::EscapeInvalidUtf8(e.what())});
  }
  return std::nullopt;
}

template <class T>
base::Result<T> FromValue(const json& doc, std::string_view what, std::string_view text,
                          std::vector<ParseIssue>* out) {
  std::vector<ParseIssue> issues;
  T model{};
  if (JsonDeeperThan(doc, kMaxJsonDepth)) {
    issues.push_back({"", 0, 0, "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels"});
  } else {
    internal::Reader reader(&issues);
    reader.Read(doc, model);
  }
  if (issues.empty()) return model;
  if (!text.empty()) LocateAll(text, issues);
  base::Status status = IssuesStatus(what, issues);
  if (out) *out = std::move(issues);
  return status;
}

template <class T>
base::Result<T> FromText(std::string_view text, std::string_view what, std::vector<ParseIssue>* out) {
  if (out) out->clear();
  std::vector<ParseIssue> issues;
  std::optional<json> doc = ParseText(text, issues);
  if (!doc) {
    base::Status status = IssuesStatus(what, issues);
    if (out) *out = std::move(issues);
    return status;
  }
  return FromValue<T>(*doc, what, text, out);
}

template <class T>
json Write(const T& model) {
  internal::Writer writer;
  return writer.Write(model);
}

}  // namespace

bool JsonDeeperThan(const json& doc, int limit) {
  std::vector<std::pair<const json*, int>> stack{{&doc, 1}};
  while (!stack.empty()) {
    auto [v, depth] = stack.back();
    stack.pop_back();
    if (!v->is_structured()) continue;
    if (depth > limit) return true;
    for (const json& child : *v) stack.push_back({&child, depth + 1});
  }
  return false;
}

std::string ParseIssue::ToString() const {
  std::string out = pointer.empty() ? "/" : pointer;
  if (line > 0) out += " (line " + std::to_string(line) + ", column " + std::to_string(column) + ")";
  return out + ": " + message;
}

base::Result<json> ParseJsonText(std::string_view text, std::vector<ParseIssue>* out) {
  if (out) out->clear();
  std::vector<ParseIssue> issues;
  std::optional<json> doc = ParseText(text, issues);
  if (doc) return std::move(*doc);
  base::Status status = IssuesStatus("JSON", issues);
  if (out) *out = std::move(issues);
  return status;
}

base::Result<Spec> ParseConfig(std::string_view json_text, std::vector<ParseIssue>* issues) {
  return FromText<Spec>(json_text, "config", issues);
}

base::Result<Spec> ParseConfigFile(const std::string& path, std::vector<ParseIssue>* issues) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    bool exists = std::filesystem::exists(path, ec);
    return exists ? base::Status(base::Code::kIo, "open " + path + ": cannot read")
                  : base::NotFound("open " + path + ": no such file");
  }
  std::ostringstream data;
  data << in.rdbuf();
  auto spec = ParseConfig(data.str(), issues);
  if (!spec.ok()) return spec.status().Wrap(path);
  return spec;
}

base::Result<State> ParseState(std::string_view text, std::vector<ParseIssue>* issues) {
  return FromText<State>(text, "state", issues);
}

base::Result<Features> ParseFeatures(std::string_view text, std::vector<ParseIssue>* issues) {
  return FromText<Features>(text, "features", issues);
}

base::Result<LinuxResources> ParseLinuxResources(std::string_view text, std::vector<ParseIssue>* issues) {
  return FromText<LinuxResources>(text, "linux resources", issues);
}

base::Result<Process> ParseProcess(std::string_view text, std::vector<ParseIssue>* issues) {
  return FromText<Process>(text, "process", issues);
}

base::Result<Seccomp> SeccompFromJson(const json& doc, std::vector<ParseIssue>* issues) {
  if (issues) issues->clear();
  return FromValue<Seccomp>(doc, "linux.seccomp", {}, issues);
}

base::Result<Spec> ConfigFromJson(const json& doc, std::vector<ParseIssue>* issues) {
  if (issues) issues->clear();
  return FromValue<Spec>(doc, "config", {}, issues);
}

base::Result<State> StateFromJson(const json& doc, std::vector<ParseIssue>* issues) {
  if (issues) issues->clear();
  return FromValue<State>(doc, "state", {}, issues);
}

base::Result<Features> FeaturesFromJson(const json& doc, std::vector<ParseIssue>* issues) {
  if (issues) issues->clear();
  return FromValue<Features>(doc, "features", {}, issues);
}

json ToJson(const Spec& spec) { return Write(spec); }
json ToJson(const State& state) { return Write(state); }
json ToJson(const Features& features) { return Write(features); }
json ToJson(const LinuxResources& resources) { return Write(resources); }
json ToJson(const Process& process) { return Write(process); }

}  // namespace ocispec
