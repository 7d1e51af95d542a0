#include "reports/bench_result.h"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "base/file.h"

namespace ocicert::reports {
namespace {

using nlohmann::json;

std::string RefKey(const BenchCase& c) { return c.operation + "|" + c.variant + "|" + c.isolation; }

json SummaryJson(const Summary& s) {
  return {{"n", s.n},           {"min", s.min},       {"max", s.max}, {"mean", s.mean},
          {"median", s.median}, {"p25", s.p25},       {"p75", s.p75}, {"p90", s.p90},
          {"p99", s.p99},       {"stddev", s.stddev}, {"cv", s.cv}};
}

json CaseJson(const BenchCase& c) {
  json j = {{"name", c.name},       {"operation", c.operation}, {"variant", c.variant},
            {"runtime", c.runtime}, {"isolation", c.isolation}, {"layer", c.layer},
            {"status", c.status},   {"message", c.message},     {"unit", "ns"},
            {"samples", c.samples_ns}, {"summary", SummaryJson(c.summary)},
            {"noisy", c.noisy},     {"counters", c.counters}};
  j["ratio_to_reference"] = c.ratio_to_reference ? json(*c.ratio_to_reference) : json(nullptr);
  return j;
}

// Reads an optional member with a default; a member of the wrong type is an error naming it.
template <typename T>
base::Status Get(const json& obj, const char* key, T& out, const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return base::Status::Ok();
  try {
    out = it->get<T>();
  } catch (const json::exception& e) {
    return base::InvalidArgument(where + "." + key + ": " + e.what());
  }
  return base::Status::Ok();
}

base::Result<BenchCase> ParseCase(const json& j, const std::string& where) {
  if (!j.is_object()) return base::InvalidArgument(where + ": not an object");
  BenchCase c;
  RETURN_IF_ERROR(Get(j, "name", c.name, where));
  if (c.name.empty()) return base::InvalidArgument(where + ".name: missing");
  RETURN_IF_ERROR(Get(j, "operation", c.operation, where));
  RETURN_IF_ERROR(Get(j, "variant", c.variant, where));
  RETURN_IF_ERROR(Get(j, "runtime", c.runtime, where));
  RETURN_IF_ERROR(Get(j, "isolation", c.isolation, where));
  RETURN_IF_ERROR(Get(j, "layer", c.layer, where));
  RETURN_IF_ERROR(Get(j, "status", c.status, where));
  RETURN_IF_ERROR(Get(j, "message", c.message, where));
  RETURN_IF_ERROR(Get(j, "samples", c.samples_ns, where));
  RETURN_IF_ERROR(Get(j, "noisy", c.noisy, where));
  RETURN_IF_ERROR(Get(j, "counters", c.counters, where));
  double ratio = 0;
  if (j.contains("ratio_to_reference") && !j["ratio_to_reference"].is_null()) {
    RETURN_IF_ERROR(Get(j, "ratio_to_reference", ratio, where));
    c.ratio_to_reference = ratio;
  }
  c.summary = Summarize(c.samples_ns);
  return c;
}

base::Result<BenchRun> ParseOurs(const json& j) {
  BenchRun run;
  RETURN_IF_ERROR(Get(j, "schema", run.schema, "bench.json"));
  if (run.schema != kBenchSchema && run.schema != kBenchSchemaV1)
    return base::InvalidArgument("bench.json.schema: \"" + run.schema + "\" is not " + kBenchSchema + " (or " +
                                 kBenchSchemaV1 + ")");
  if (run.schema == kBenchSchema) {
    if (!j.contains("identity")) return base::InvalidArgument("bench.json.identity: missing");
    try {
      run.identity = ::reports::HostIdentityFromJson(j["identity"]);
    } catch (const std::runtime_error& e) {
      return base::InvalidArgument(std::string("bench.json.") + e.what());
    }
  }
  RETURN_IF_ERROR(Get(j, "created", run.created, "bench.json"));
  RETURN_IF_ERROR(Get(j, "host", run.host, "bench.json"));
  RETURN_IF_ERROR(Get(j, "reference", run.reference, "bench.json"));
  RETURN_IF_ERROR(Get(j, "warnings", run.warnings, "bench.json"));
  if (j.contains("settings")) {
    const json& s = j["settings"];
    RETURN_IF_ERROR(Get(s, "repetitions", run.settings.repetitions, "bench.json.settings"));
    RETURN_IF_ERROR(Get(s, "min_time_s", run.settings.min_time_s, "bench.json.settings"));
    RETURN_IF_ERROR(Get(s, "warmup_s", run.settings.warmup_s, "bench.json.settings"));
    RETURN_IF_ERROR(Get(s, "quick", run.settings.quick, "bench.json.settings"));
    RETURN_IF_ERROR(Get(s, "interleaved", run.settings.interleaved, "bench.json.settings"));
    RETURN_IF_ERROR(Get(s, "cv_threshold", run.settings.cv_threshold, "bench.json.settings"));
  }
  const json& rts = j.value("runtimes", json::array());
  for (size_t i = 0; i < rts.size(); ++i) {
    std::string where = "bench.json.runtimes[" + std::to_string(i) + "]";
    BenchRuntime r;
    RETURN_IF_ERROR(Get(rts[i], "name", r.name, where));
    RETURN_IF_ERROR(Get(rts[i], "path", r.path, where));
    RETURN_IF_ERROR(Get(rts[i], "version", r.version, where));
    run.runtimes.push_back(r);
  }
  if (!j.contains("benchmarks") || !j["benchmarks"].is_array())
    return base::InvalidArgument("bench.json.benchmarks: missing or not an array");
  const json& bs = j["benchmarks"];
  for (size_t i = 0; i < bs.size(); ++i) {
    ASSIGN_OR_RETURN(BenchCase c, ParseCase(bs[i], "bench.json.benchmarks[" + std::to_string(i) + "]"));
    run.cases.push_back(std::move(c));
  }
  return run;
}

double ToNanoseconds(double value, const std::string& unit) {
  if (unit == "us") return value * 1e3;
  if (unit == "ms") return value * 1e6;
  if (unit == "s") return value * 1e9;
  return value;
}

// The fields of a case name "<operation>[/<variant>]/<runtime>[/library|/hyperv]", as the bench
// names its Google Benchmark cases (a variant holds a ':', e.g. "others:10").
void FieldsFromName(BenchCase& c) {
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    size_t slash = c.name.find('/', start);
    parts.push_back(c.name.substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  c.operation = parts[0];
  size_t i = 1;
  if (i < parts.size() && parts[i].find(':') != std::string::npos) c.variant = parts[i++];
  if (i < parts.size()) c.runtime = parts[i++];
  if (i < parts.size() && parts[i] == "library") c.layer = "library";
  if (i < parts.size() && parts[i] == "hyperv") c.isolation = "hyperv";
}

// Google Benchmark JSON: every "iteration" entry is one sample of its run_name (one per repetition).
base::Result<BenchRun> ParseGoogleBenchmark(const json& j) {
  BenchRun run;
  run.schema = "google-benchmark";
  run.created = j["context"].value("date", "");
  run.host["hostname"] = j["context"].value("host_name", "");
  if (!j.contains("benchmarks") || !j["benchmarks"].is_array())
    return base::InvalidArgument("benchmark JSON .benchmarks: missing or not an array");
  std::map<std::string, size_t> index;
  for (const json& b : j["benchmarks"]) {
    if (b.value("run_type", "iteration") != "iteration") continue;
    std::string name = b.value("run_name", b.value("name", ""));
    if (name.empty()) return base::InvalidArgument("benchmark JSON .benchmarks[].name: missing");
    auto [it, inserted] = index.emplace(name, run.cases.size());
    if (inserted) {
      BenchCase c;
      c.name = name;
      FieldsFromName(c);
      run.cases.push_back(c);
    }
    BenchCase& c = run.cases[it->second];
    if (b.contains("error_occurred") && b["error_occurred"].get<bool>()) {
      c.status = "error";
      c.message = b.value("error_message", "");
      continue;
    }
    c.samples_ns.push_back(ToNanoseconds(b.value("real_time", 0.0), b.value("time_unit", "ns")));
  }
  for (BenchCase& c : run.cases) c.summary = Summarize(c.samples_ns);
  return run;
}

}  // namespace

const BenchCase* BenchRun::Find(const std::string& name) const {
  for (const BenchCase& c : cases)
    if (c.name == name) return &c;
  return nullptr;
}

void FinishRun(BenchRun& run) {
  std::map<std::string, double> reference_median;
  for (BenchCase& c : run.cases) {
    c.summary = Summarize(c.samples_ns);
    if (c.runtime == run.reference && c.layer == "cli" && c.status == "ok" && c.summary.n > 0)
      reference_median[RefKey(c)] = c.summary.median;
  }
  int noisy = 0;
  for (BenchCase& c : run.cases) {
    c.ratio_to_reference.reset();
    c.noisy = c.status == "ok" && c.summary.n >= 2 && c.summary.cv > run.settings.cv_threshold;
    if (c.noisy) ++noisy;
    auto it = reference_median.find(RefKey(c));
    if (c.status == "ok" && c.summary.n > 0 && it != reference_median.end() && it->second > 0)
      c.ratio_to_reference = c.summary.median / it->second;
  }
  if (noisy > 0) {
    run.warnings.push_back("noisy run: " + std::to_string(noisy) + " benchmark(s) have a coefficient of "
                           "variation above " + std::to_string(static_cast<int>(run.settings.cv_threshold * 100)) +
                           "%; treat their differences with care");
  }
}

std::string BenchRunToJson(const BenchRun& run) {
  json j;
  j["schema"] = run.schema;
  j["created"] = run.created;
  j["host"] = run.host;
  j["identity"] = ::reports::HostIdentityToJson(run.identity);
  j["settings"] = {{"repetitions", run.settings.repetitions}, {"min_time_s", run.settings.min_time_s},
                   {"warmup_s", run.settings.warmup_s},       {"quick", run.settings.quick},
                   {"interleaved", run.settings.interleaved}, {"cv_threshold", run.settings.cv_threshold}};
  j["reference"] = run.reference;
  j["runtimes"] = json::array();
  for (const BenchRuntime& r : run.runtimes)
    j["runtimes"].push_back({{"name", r.name}, {"path", r.path}, {"version", r.version}});
  j["benchmarks"] = json::array();
  for (const BenchCase& c : run.cases) j["benchmarks"].push_back(CaseJson(c));
  j["warnings"] = run.warnings;
  return j.dump(2) + "\n";
}

base::Result<BenchRun> ParseBenchJson(const std::string& text) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    return base::InvalidArgument(std::string("not JSON: ") + e.what());
  }
  if (!j.is_object()) return base::InvalidArgument("not a JSON object");
  try {
    if (j.contains("context") && j["context"].is_object()) return ParseGoogleBenchmark(j);
    return ParseOurs(j);
  } catch (const json::exception& e) {
    return base::InvalidArgument(std::string("unexpected JSON shape: ") + e.what());
  }
}

base::Result<BenchRun> LoadBenchFile(const std::string& path) {
  ASSIGN_OR_RETURN_CTX(std::string text, base::ReadFile(path), "read " + path);
  ASSIGN_OR_RETURN_CTX(BenchRun run, ParseBenchJson(text), path);
  return run;
}

}  // namespace ocicert::reports
