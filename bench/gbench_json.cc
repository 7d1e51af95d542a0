#include "bench/gbench_json.h"

#include <fmt/format.h>

#include "reports/stats.h"

namespace ocicert::bench {
namespace {

using Json = nlohmann::json;

// One aggregate statistic as Google Benchmark computes it over repetitions.
double Statistic(const std::string& what, const std::vector<double>& values) {
  reports::Summary s = reports::Summarize(values);
  if (what == "mean") return s.mean;
  if (what == "median") return s.median;
  if (what == "stddev") return s.stddev;
  return s.cv;  // "cv": stddev / mean
}

}  // namespace

std::string GbenchRunName(const std::string& case_name, int iterations, double min_time_s, int repetitions) {
  std::string limit = iterations > 0 ? fmt::format("iterations:{}", iterations) : fmt::format("min_time:{:.3f}", min_time_s);
  return fmt::format("{}/{}/repeats:{}/manual_time", case_name, limit, repetitions);
}

Json GbenchContext(const std::string& date, const std::string& host_name, int num_cpus, const std::string& driver) {
  return {{"date", date}, {"host_name", host_name}, {"executable", "ocicert-bench"}, {"num_cpus", num_cpus},
          {"driver", driver}};
}

Json GbenchIterationEntry(const RepetitionRecord& r) {
  Json j = {{"name", r.run_name},          {"run_name", r.run_name},
            {"run_type", "iteration"},     {"repetitions", r.repetitions},
            {"repetition_index", r.repetition_index}, {"threads", 1},
            {"iterations", r.iterations}};
  if (r.error) {
    j["error_occurred"] = true;
    j["error_message"] = r.error_message;
    return j;
  }
  j["real_time"] = r.real_time_ms;
  j["cpu_time"] = r.cpu_time_ms;
  j["time_unit"] = "ms";
  for (const auto& [name, value] : r.counters) j[name] = value;
  return j;
}

std::vector<Json> GbenchAggregateEntries(const std::vector<RepetitionRecord>& repetitions) {
  std::vector<const RepetitionRecord*> ok;
  for (const RepetitionRecord& r : repetitions)
    if (!r.error) ok.push_back(&r);
  if (ok.size() < 2) return {};
  std::vector<double> real, cpu;
  std::map<std::string, std::vector<double>> counters;
  for (const RepetitionRecord* r : ok) {
    real.push_back(r->real_time_ms);
    cpu.push_back(r->cpu_time_ms);
    for (const auto& [name, value] : r->counters) counters[name].push_back(value);
  }
  const RepetitionRecord& first = *ok.front();
  std::vector<Json> out;
  for (const char* what : {"mean", "median", "stddev", "cv"}) {
    Json j = {{"name", first.run_name + "_" + what},
              {"run_name", first.run_name},
              {"run_type", "aggregate"},
              {"repetitions", first.repetitions},
              {"threads", 1},
              {"aggregate_name", what},
              {"aggregate_unit", std::string(what) == "cv" ? "percentage" : "time"},
              {"iterations", static_cast<int64_t>(ok.size())},  // as Google Benchmark: the repetitions
              {"real_time", Statistic(what, real)},
              {"cpu_time", Statistic(what, cpu)},
              {"time_unit", "ms"}};
    for (const auto& [name, values] : counters) j[name] = Statistic(what, values);
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace ocicert::bench
