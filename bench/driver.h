// How `ocicert bench` runs the repetitions of its cases. Two drivers, CMake compiles exactly one:
//  - gbench_driver.cc: Google Benchmark (Linux), one registered benchmark per case, manual time,
//    --benchmark_enable_random_interleaving.
//  - loop_driver.cc: our own small loop, for builds without Google Benchmark (mingw-w64: Debian
//    packages Google Benchmark for Linux only, and we neither vendor nor download it). It is not
//    Google Benchmark: it shuffles the repetitions of all cases, runs --iterations or --min-time per
//    repetition, and writes gbench.json in Google Benchmark's JSON layout (gbench_json.h).
// Everything else (the cases, warm-up, fixtures, failure handling, samples, summaries) is shared:
// the driver asks a CaseSource for repetitions and only decides how many iterations, in what order.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace ocicert::bench {

// One repetition of one case: timed iterations, run one at a time.
class Repetition {
 public:
  virtual ~Repetition() = default;
  // Runs one iteration and returns its timed nanoseconds. On failure the case is already marked
  // failed (with the message) and the repetition must stop.
  virtual base::Result<double> Next() = 0;
  // Counters for this repetition's JSON entry (runtime_peak_rss_kb); empty for none.
  virtual std::map<std::string, double> Counters() const = 0;
};

// The shared side: the cases of a phase and how to start a repetition of one.
class CaseSource {
 public:
  virtual ~CaseSource() = default;
  virtual const std::string& Name(size_t index) const = 0;
  // Starts a repetition of case `index` that will run exactly `iterations` iterations (the library
  // helper runs them all at once). Fails when the case cannot run; the case is then marked failed.
  virtual base::Result<std::unique_ptr<Repetition>> Begin(size_t index, int iterations) = 0;
  // The repetition is over (progress line with the case's median so far).
  virtual void End(size_t index) = 0;
};

struct DriverSettings {
  int repetitions = 5;
  int iterations = 0;       // > 0: exactly this many per repetition
  double min_time_s = 0.5;  // otherwise: at least this much timed work per repetition
};

class RepetitionDriver {
 public:
  virtual ~RepetitionDriver() = default;
  // Measures the cases `indexes` of `source`, the repetitions of all of them in random order.
  virtual void RunPhase(CaseSource& source, const std::vector<size_t>& indexes) = 0;
  // Completes gbench.json. Call once, after the last phase.
  virtual base::Status Finish() = 0;
};

// This build's driver, writing Google Benchmark's JSON to `json_path`. Fails when the file cannot be
// opened.
base::Result<std::unique_ptr<RepetitionDriver>> MakeDriver(const DriverSettings& settings,
                                                           const std::string& json_path);

// What measures in this build, for the report and the progress output.
const char* DriverName();

}  // namespace ocicert::bench
