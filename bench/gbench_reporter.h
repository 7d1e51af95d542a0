// A Google Benchmark reporter that shows progress on the console and also collects every run of
// several RunSpecifiedBenchmarks calls (one per bench phase) into ONE Google Benchmark JSON document,
// so tools/compare.py reads it like any benchmark output.
#pragma once

#include <ostream>

#include <benchmark/benchmark.h>

namespace ocicert::bench {

class TeeReporter : public benchmark::BenchmarkReporter {
 public:
  TeeReporter();
  // Where the JSON goes; nothing is written without it.
  void SetJsonStream(std::ostream* out);

  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override {}  // per phase: nothing; the document is closed by FinalizeAll
  // Closes the JSON document. Call once, after the last phase.
  void FinalizeAll();

 private:
  benchmark::ConsoleReporter console_;
  benchmark::JSONReporter json_;
  bool have_json_ = false;
  bool context_written_ = false;
  bool finalized_ = false;
};

}  // namespace ocicert::bench
