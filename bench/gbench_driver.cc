// The repetition driver on Linux: Google Benchmark. One benchmark per case with manual time,
// Iterations(n) or MinTime, and --benchmark_enable_random_interleaving; TeeReporter shows the
// aggregates on the console and writes one JSON document for all phases.
#include <fstream>
#include <memory>

#include <benchmark/benchmark.h>

#include "bench/driver.h"
#include "bench/gbench_reporter.h"

namespace ocicert::bench {
namespace {

// One case's function: a repetition from the source, iterated under Google Benchmark's loop.
void MeasureCase(CaseSource& source, size_t index, benchmark::State& st) {
  auto rep = source.Begin(index, static_cast<int>(st.max_iterations));
  if (!rep.ok()) {
    st.SkipWithError(rep.status().message().c_str());
    return;
  }
  for (auto _ : st) {
    base::Result<double> ns = (*rep)->Next();
    if (!ns.ok()) {
      st.SkipWithError(ns.status().message().c_str());
      break;
    }
    st.SetIterationTime(*ns / 1e9);
  }
  for (const auto& [name, value] : (*rep)->Counters()) st.counters[name] = value;
  source.End(index);
}

class GbenchDriver final : public RepetitionDriver {
 public:
  GbenchDriver(const DriverSettings& settings, std::unique_ptr<std::ofstream> out)
      : settings_(settings), out_(std::move(out)) {
    reporter_.SetJsonStream(out_.get());
  }

  void RunPhase(CaseSource& source, const std::vector<size_t>& indexes) override {
    benchmark::ClearRegisteredBenchmarks();
    for (size_t i : indexes) {
      benchmark::internal::Benchmark* b = benchmark::RegisterBenchmark(
          source.Name(i).c_str(), [&source, i](benchmark::State& st) { MeasureCase(source, i, st); });
      b->UseManualTime()->Unit(benchmark::kMillisecond)->Repetitions(settings_.repetitions);
      if (settings_.iterations > 0) {
        b->Iterations(settings_.iterations);
      } else {
        b->MinTime(settings_.min_time_s);
      }
    }
    benchmark::RunSpecifiedBenchmarks(&reporter_);
    benchmark::ClearRegisteredBenchmarks();
  }

  base::Status Finish() override {
    reporter_.FinalizeAll();
    out_->flush();
    if (!*out_) return base::Internal("write failed");
    return base::Status::Ok();
  }

 private:
  DriverSettings settings_;
  std::unique_ptr<std::ofstream> out_;
  TeeReporter reporter_;
};

}  // namespace

const char* DriverName() { return "Google Benchmark"; }

base::Result<std::unique_ptr<RepetitionDriver>> MakeDriver(const DriverSettings& settings,
                                                           const std::string& json_path) {
  static bool initialized = [] {
    // Repetitions of all cases run in random order (A B B A ...), so drift hits every runtime alike.
    static char arg0[] = "ocicert-bench", interleave[] = "--benchmark_enable_random_interleaving=true";
    char* argv[] = {arg0, interleave, nullptr};
    int argc = 2;
    benchmark::Initialize(&argc, argv);
    return true;
  }();
  (void)initialized;
  auto out = std::make_unique<std::ofstream>(json_path);
  if (!*out) return base::ErrnoError("open " + json_path);
  return std::unique_ptr<RepetitionDriver>(new GbenchDriver(settings, std::move(out)));
}

}  // namespace ocicert::bench
