#include "reports/conform_results.h"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "base/file.h"

namespace reports {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kVerdictNames[] = {"pass", "fail", "skip", "waived", "error"};

Json InvocationJson(const Invocation& inv) {
  return Json{{"argv", inv.argv},          {"exit_code", inv.exit_code}, {"timed_out", inv.timed_out},
              {"stdout", inv.stdout_text}, {"stderr", inv.stderr_text},  {"duration_s", inv.duration_s}};
}

Json RuntimeResultJson(const RuntimeResult& r) {
  Json invocations = Json::array();
  for (const Invocation& inv : r.invocations) invocations.push_back(InvocationJson(inv));
  return Json{{"verdict", VerdictName(r.verdict)},
              {"message", r.message},
              {"duration_s", r.duration_s},
              {"invocations", std::move(invocations)}};
}

Json CaseJson(const CaseResult& c) {
  Json results = Json::object();
  for (const auto& [runtime, r] : c.results) results[runtime] = RuntimeResultJson(r);
  return Json{{"id", c.id},
              {"suite", c.suite},
              {"title", c.title},
              {"requirements", c.requirements},
              {"results", std::move(results)}};
}

// Parsing: every accessor names the field it failed on; nlohmann exceptions stay in this file.
struct ParseError {
  std::string field;
};

const Json& Field(const Json& obj, const char* key, const std::string& where) {
  if (!obj.is_object() || !obj.contains(key)) throw ParseError{where + "." + key + ": missing"};
  return obj.at(key);
}

std::string Str(const Json& obj, const char* key, const std::string& where) {
  const Json& v = Field(obj, key, where);
  if (!v.is_string()) throw ParseError{where + "." + key + ": not a string"};
  return v.get<std::string>();
}

double Num(const Json& obj, const char* key, const std::string& where) {
  const Json& v = Field(obj, key, where);
  if (!v.is_number()) throw ParseError{where + "." + key + ": not a number"};
  return v.get<double>();
}

std::vector<std::string> StrList(const Json& obj, const char* key, const std::string& where) {
  const Json& v = Field(obj, key, where);
  if (!v.is_array()) throw ParseError{where + "." + key + ": not an array"};
  std::vector<std::string> out;
  for (const Json& e : v) {
    if (!e.is_string()) throw ParseError{where + "." + key + ": entry is not a string"};
    out.push_back(e.get<std::string>());
  }
  return out;
}

Invocation ParseInvocation(const Json& j, const std::string& where) {
  Invocation inv;
  inv.argv = StrList(j, "argv", where);
  inv.exit_code = static_cast<int>(Num(j, "exit_code", where));
  inv.timed_out = j.value("timed_out", false);
  inv.stdout_text = Str(j, "stdout", where);
  inv.stderr_text = Str(j, "stderr", where);
  inv.duration_s = Num(j, "duration_s", where);
  return inv;
}

RuntimeResult ParseRuntimeResult(const Json& j, const std::string& where) {
  RuntimeResult r;
  auto verdict = ParseVerdict(Str(j, "verdict", where));
  if (!verdict.ok()) throw ParseError{where + ".verdict: " + verdict.status().message()};
  r.verdict = *verdict;
  r.message = Str(j, "message", where);
  r.duration_s = Num(j, "duration_s", where);
  const Json& invs = Field(j, "invocations", where);
  if (!invs.is_array()) throw ParseError{where + ".invocations: not an array"};
  for (size_t i = 0; i < invs.size(); ++i)
    r.invocations.push_back(ParseInvocation(invs[i], where + ".invocations[" + std::to_string(i) + "]"));
  return r;
}

CaseResult ParseCase(const Json& j, const std::string& where) {
  CaseResult c;
  c.id = Str(j, "id", where);
  c.suite = Str(j, "suite", where);
  c.title = Str(j, "title", where);
  c.requirements = StrList(j, "requirements", where);
  const Json& results = Field(j, "results", where);
  if (!results.is_object()) throw ParseError{where + ".results: not an object"};
  for (const auto& [runtime, r] : results.items())
    c.results[runtime] = ParseRuntimeResult(r, where + ".results." + runtime);
  return c;
}

RuntimeSummary ParseSummary(const Json& j, const std::string& where) {
  RuntimeSummary s;
  s.pass = static_cast<int>(Num(j, "pass", where));
  s.fail = static_cast<int>(Num(j, "fail", where));
  s.skip = static_cast<int>(Num(j, "skip", where));
  s.waived = static_cast<int>(Num(j, "waived", where));
  s.error = j.contains("error") ? static_cast<int>(Num(j, "error", where)) : 0;
  s.duration_s = Num(j, "duration_s", where);
  // Verdicts and requirements by outcome: optional (results written before they existed).
  if (j.contains("verdict")) s.verdict = Str(j, "verdict", where);
  if (j.contains("reasons")) s.reasons = StrList(j, "reasons", where);
  if (j.contains("requirements")) {
    const Json& q = Field(j, "requirements", where);
    std::string w = where + ".requirements";
    s.reqs_passed = StrList(q, "passed", w);
    s.reqs_failed = StrList(q, "failed", w);
    s.reqs_waived = StrList(q, "waived", w);
    s.reqs_uncovered = StrList(q, "uncovered", w);
  }
  if (j.contains("stale_waivers")) s.stale_waivers = StrList(j, "stale_waivers", where);
  return s;
}

ConformResults ParseDocument(const Json& doc) {
  ConformResults r;
  r.schema = Str(doc, "schema", "$");
  if (r.schema != kConformSchema && r.schema != kConformSchemaV1)
    throw ParseError{"$.schema: \"" + r.schema + "\" is not " + kConformSchema + " (or " + kConformSchemaV1 + ")"};
  r.started = Str(doc, "started", "$");
  r.duration_s = Num(doc, "duration_s", "$");
  const Json& host = Field(doc, "host", "$");
  if (!host.is_object()) throw ParseError{"$.host: not an object"};
  for (const auto& [k, v] : host.items()) r.host[k] = v.is_string() ? v.get<std::string>() : v.dump();
  const Json& runtimes = Field(doc, "runtimes", "$");
  if (!runtimes.is_array()) throw ParseError{"$.runtimes: not an array"};
  for (size_t i = 0; i < runtimes.size(); ++i) {
    std::string where = "$.runtimes[" + std::to_string(i) + "]";
    r.runtimes.push_back({Str(runtimes[i], "name", where), Str(runtimes[i], "path", where),
                          Str(runtimes[i], "version", where),
                          runtimes[i].contains("spec_version") ? Str(runtimes[i], "spec_version", where) : ""});
  }
  const Json& cov = Field(doc, "coverage", "$");
  r.coverage.covered = static_cast<int>(Num(cov, "covered", "$.coverage"));
  r.coverage.total = static_cast<int>(Num(cov, "total", "$.coverage"));
  r.coverage.uncovered = StrList(cov, "uncovered", "$.coverage");
  if (doc.contains("gate")) r.gate = StrList(doc, "gate", "$");
  const Json& cases = Field(doc, "cases", "$");
  if (!cases.is_array()) throw ParseError{"$.cases: not an array"};
  for (size_t i = 0; i < cases.size(); ++i)
    r.cases.push_back(ParseCase(cases[i], "$.cases[" + std::to_string(i) + "]"));
  const Json& summary = Field(doc, "summary", "$");
  if (!summary.is_object()) throw ParseError{"$.summary: not an object"};
  for (const auto& [runtime, s] : summary.items()) r.summary[runtime] = ParseSummary(s, "$.summary." + runtime);
  if (r.schema == kConformSchemaV1) return r;
  try {
    r.identity = HostIdentityFromJson(Field(doc, "identity", "$"));
  } catch (const std::runtime_error& e) {
    throw ParseError{std::string("$.") + e.what()};
  }
  return r;
}

}  // namespace

const char* VerdictName(Verdict v) { return kVerdictNames[static_cast<int>(v)]; }

base::Result<Verdict> ParseVerdict(const std::string& name) {
  for (int i = 0; i < 5; ++i)
    if (name == kVerdictNames[i]) return static_cast<Verdict>(i);
  return base::InvalidArgument("unknown verdict \"" + name + "\" (want pass, fail, skip, waived or error)");
}

void Tally(RuntimeSummary& s, const RuntimeResult& r) {
  switch (r.verdict) {
    case Verdict::kPass: ++s.pass; break;
    case Verdict::kFail: ++s.fail; break;
    case Verdict::kSkip: ++s.skip; break;
    case Verdict::kWaived: ++s.waived; break;
    case Verdict::kError: ++s.error; break;
  }
  s.duration_s += r.duration_s;
}

void Summarize(ConformResults& results) {
  results.summary.clear();
  for (const RuntimeInfo& rt : results.runtimes) results.summary[rt.name] = RuntimeSummary{};
  for (const CaseResult& c : results.cases) {
    for (const auto& [runtime, r] : c.results) Tally(results.summary[runtime], r);
  }
}

std::string ConformResultsToJson(const ConformResults& r) {
  Json host = Json::object();
  for (const auto& [k, v] : r.host) host[k] = v;
  Json runtimes = Json::array();
  for (const RuntimeInfo& rt : r.runtimes)
    runtimes.push_back(Json{{"name", rt.name}, {"path", rt.path}, {"version", rt.version}, {"spec_version", rt.spec_version}});
  Json cases = Json::array();
  for (const CaseResult& c : r.cases) cases.push_back(CaseJson(c));
  Json summary = Json::object();
  for (const auto& [runtime, s] : r.summary) {
    summary[runtime] = Json{{"pass", s.pass},     {"fail", s.fail},   {"skip", s.skip},
                            {"waived", s.waived}, {"error", s.error}, {"duration_s", s.duration_s}};
    if (!s.verdict.empty()) {
      summary[runtime]["verdict"] = s.verdict;
      summary[runtime]["reasons"] = s.reasons;
      summary[runtime]["requirements"] = Json{
          {"passed", s.reqs_passed}, {"failed", s.reqs_failed}, {"waived", s.reqs_waived}, {"uncovered", s.reqs_uncovered}};
      summary[runtime]["stale_waivers"] = s.stale_waivers;
    }
  }
  Json doc{{"schema", r.schema},
           {"started", r.started},
           {"duration_s", r.duration_s},
           {"host", std::move(host)},
           {"identity", HostIdentityToJson(r.identity)},
           {"runtimes", std::move(runtimes)},
           {"coverage", Json{{"covered", r.coverage.covered},
                             {"total", r.coverage.total},
                             {"uncovered", r.coverage.uncovered}}},
           {"gate", r.gate},
           {"cases", std::move(cases)},
           {"summary", std::move(summary)}};
  // Invalid UTF-8 in captured output is replaced, never a reason to lose the report.
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

base::Result<ConformResults> ParseConformResults(const std::string& text) {
  try {
    return ParseDocument(Json::parse(text));
  } catch (const ParseError& e) {
    return base::InvalidArgument("conform results: " + e.field);
  } catch (const nlohmann::json::exception& e) {
    return base::InvalidArgument(std::string("conform results: ") + e.what());
  }
}

base::Result<ConformResults> LoadConformResults(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, base::ReadFile(path));
  auto parsed = ParseConformResults(text);
  if (!parsed.ok()) return parsed.status().Wrap(path);
  return parsed;
}

base::Status SaveConformResults(const std::string& path, const ConformResults& results) {
  return base::WriteFileAtomic(path, ConformResultsToJson(results));
}

}  // namespace reports
