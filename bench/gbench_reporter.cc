#include "bench/gbench_reporter.h"

#include <unistd.h>

#include <iostream>

namespace ocicert::bench {

TeeReporter::TeeReporter()
    : console_(::isatty(STDOUT_FILENO) ? benchmark::ConsoleReporter::OO_ColorTabular
                                       : benchmark::ConsoleReporter::OO_Tabular) {
  console_.SetOutputStream(&std::cout);
  console_.SetErrorStream(&std::cerr);
}

void TeeReporter::SetJsonStream(std::ostream* out) {
  json_.SetOutputStream(out);
  json_.SetErrorStream(&std::cerr);
  have_json_ = out != nullptr;
}

bool TeeReporter::ReportContext(const Context& context) {
  if (have_json_ && !context_written_) {
    json_.ReportContext(context);
    context_written_ = true;
  }
  return console_.ReportContext(context);
}

void TeeReporter::ReportRuns(const std::vector<Run>& runs) {
  // The console shows the aggregates (mean, median, stddev, cv) when there are any; the JSON keeps
  // every repetition, which compare.py's U test needs.
  std::vector<Run> aggregates;
  for (const Run& r : runs)
    if (r.run_type == Run::RT_Aggregate) aggregates.push_back(r);
  console_.ReportRuns(aggregates.empty() ? runs : aggregates);
  if (have_json_ && context_written_) json_.ReportRuns(runs);
}

void TeeReporter::FinalizeAll() {
  if (finalized_) return;
  finalized_ = true;
  console_.Finalize();
  if (have_json_ && context_written_) json_.Finalize();
}

}  // namespace ocicert::bench
