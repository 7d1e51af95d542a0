// Google Benchmark's JSON layout, written by our own loop driver (loop_driver.cc) for builds without
// Google Benchmark, so that `ocicert report compare` and Google Benchmark's tools/compare.py read its
// gbench.json as they read Google Benchmark's: a "context" object and "benchmarks" entries, one per
// repetition (run_type "iteration"), then per case the _mean, _median, _stddev and _cv aggregates
// (run_type "aggregate"), times in milliseconds per iteration. This is not Google Benchmark's
// code; fields it writes that we cannot know honestly (mhz_per_cpu, caches) are left out.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ocicert::bench {

// One measured repetition of a case, as Google Benchmark reports a run.
struct RepetitionRecord {
  std::string run_name;  // "<case>/iterations:3/repeats:3/manual_time"
  int repetitions = 0;
  int repetition_index = 0;
  int64_t iterations = 0;
  double real_time_ms = 0;  // timed (manual) time per iteration
  double cpu_time_ms = 0;   // this process's CPU time per iteration
  std::map<std::string, double> counters;
  bool error = false;
  std::string error_message;
};

// Google Benchmark's run name for a case measured with manual time: "<case>/iterations:N" or
// "<case>/min_time:S.SSS", then "/repeats:R/manual_time".
std::string GbenchRunName(const std::string& case_name, int iterations, double min_time_s, int repetitions);

// The context object: date (RFC 3339), host_name, executable, num_cpus, and "driver" saying what
// measured.
nlohmann::json GbenchContext(const std::string& date, const std::string& host_name, int num_cpus,
                             const std::string& driver);

// The "iteration" entry of one repetition (or its error entry).
nlohmann::json GbenchIterationEntry(const RepetitionRecord& r);

// The mean, median, stddev (n - 1) and cv aggregates over the error-free repetitions of one case, in
// Google Benchmark's order; none when fewer than two repetitions succeeded (Google Benchmark
// reports aggregates only for repeated runs).
std::vector<nlohmann::json> GbenchAggregateEntries(const std::vector<RepetitionRecord>& repetitions);

}  // namespace ocicert::bench
