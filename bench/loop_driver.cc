#include "bench/loop_driver.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "base/file.h"
#include "bench/gbench_json.h"
#include "harness/clock.h"
#include "harness/host.h"

namespace ocicert::bench {
namespace {

using Json = nlohmann::json;

constexpr int64_t kMaxIterations = 1000000;

// Google Benchmark's next iteration count after a repetition that did `seconds` of timed work in
// `n` iterations, short of `min_time` (benchmark_runner.cc, PredictNumItersNeeded).
int64_t NextIterations(int64_t n, double seconds, double min_time) {
  double multiplier = min_time * 1.4 / std::max(seconds, 1e-9);
  if (seconds / min_time <= 0.1) multiplier = 10.0;  // too short to predict from: grow fast
  if (multiplier <= 1.0) multiplier = 2.0;
  int64_t next = std::lround(std::max(multiplier * static_cast<double>(n), static_cast<double>(n) + 1.0));
  return std::min(next, kMaxIterations);
}

// What one pass of n iterations measured.
struct Attempt {
  int64_t iterations = 0;
  double timed_ns = 0;
  double cpu_s = 0;
  std::map<std::string, double> counters;
  std::string error;  // non-empty: the case failed
};

class LoopDriver final : public RepetitionDriver {
 public:
  LoopDriver(const DriverSettings& settings, std::string json_path, uint32_t seed)
      : settings_(settings), json_path_(std::move(json_path)), rng_(seed) {
    std::map<std::string, std::string> facts = harness::host::Info();
    context_ = GbenchContext(harness::Rfc3339Now(), facts["hostname"], static_cast<int>(std::thread::hardware_concurrency()),
                             kLoopDriverName);
  }

  void RunPhase(CaseSource& source, const std::vector<size_t>& indexes) override {
    std::vector<size_t> order;
    for (size_t i : indexes)
      for (int r = 0; r < settings_.repetitions; ++r) order.push_back(i);
    std::shuffle(order.begin(), order.end(), rng_);
    std::map<size_t, std::vector<RepetitionRecord>> done;
    std::set<size_t> failed;
    for (size_t i : order) {
      if (failed.count(i)) continue;
      std::vector<RepetitionRecord>& records = done[i];
      records.push_back(MeasureRepetition(source, i, static_cast<int>(records.size())));
      entries_.push_back(GbenchIterationEntry(records.back()));
      if (records.back().error) failed.insert(i);
      if (records.back().error || static_cast<int>(records.size()) == settings_.repetitions)
        for (Json& aggregate : GbenchAggregateEntries(records)) entries_.push_back(std::move(aggregate));
    }
    Write().IgnoreError();  // a later crash still leaves the phases so far; Finish reports errors
  }

  base::Status Finish() override { return Write(); }

  base::Status Write() const {
    Json doc = {{"context", context_}, {"benchmarks", entries_}};
    return base::WriteFileAtomic(json_path_, doc.dump(2) + "\n");
  }

 private:
  // One reported repetition of case `index`: with --min-time, short passes grow the count first.
  RepetitionRecord MeasureRepetition(CaseSource& source, size_t index, int repetition_index) {
    bool fixed = settings_.iterations > 0;
    int64_t n = fixed ? settings_.iterations : std::max<int64_t>(1, iterations_[index]);
    Attempt a;
    for (;;) {
      a = RunIterations(source, index, n);
      double seconds = a.timed_ns / 1e9;
      if (!a.error.empty() || fixed || seconds >= settings_.min_time_s || n >= kMaxIterations) break;
      n = NextIterations(n, seconds, settings_.min_time_s);
    }
    iterations_[index] = n;
    RepetitionRecord r;
    r.run_name = GbenchRunName(source.Name(index), settings_.iterations, settings_.min_time_s, settings_.repetitions);
    r.repetitions = settings_.repetitions;
    r.repetition_index = repetition_index;
    r.iterations = a.iterations;
    r.error = !a.error.empty();
    r.error_message = a.error;
    if (a.iterations > 0) {
      r.real_time_ms = a.timed_ns / 1e6 / static_cast<double>(a.iterations);
      r.cpu_time_ms = a.cpu_s * 1e3 / static_cast<double>(a.iterations);
    }
    r.counters = std::move(a.counters);
    return r;
  }

  // `n` iterations of one repetition; stops at the first error.
  Attempt RunIterations(CaseSource& source, size_t index, int64_t n) {
    Attempt a;
    auto rep = source.Begin(index, static_cast<int>(n));
    if (!rep.ok()) {
      a.error = rep.status().message();
      return a;
    }
    double cpu0 = harness::host::ProcessCpuSeconds();
    for (int64_t k = 0; k < n; ++k) {
      base::Result<double> ns = (*rep)->Next();
      if (!ns.ok()) {
        a.error = ns.status().message();
        break;
      }
      a.timed_ns += *ns;
      ++a.iterations;
    }
    a.cpu_s = harness::host::ProcessCpuSeconds() - cpu0;
    a.counters = (*rep)->Counters();
    source.End(index);
    return a;
  }

  DriverSettings settings_;
  std::string json_path_;
  std::mt19937 rng_;
  Json context_;
  std::vector<Json> entries_;
  std::map<size_t, int64_t> iterations_;  // per case, once --min-time found it
};

}  // namespace

base::Result<std::unique_ptr<RepetitionDriver>> MakeLoopDriver(const DriverSettings& settings,
                                                               const std::string& json_path, uint32_t seed) {
  auto driver = std::make_unique<LoopDriver>(settings, json_path, seed);
  RETURN_IF_ERROR(driver->Write());  // fails now, not after the run, when the file cannot be written
  return std::unique_ptr<RepetitionDriver>(std::move(driver));
}

}  // namespace ocicert::bench
