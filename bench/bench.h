// `ocicert bench` as one library call: the command line's values in, bench.json, gbench.json and
// report.html written out. ocicert/cmd_bench.cc only parses flags into a BenchRequest and prints the run.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "bench/runner.h"
#include "reports/bench_result.h"

namespace ocicert::bench {

struct BenchRequest {
  std::vector<std::string> runtimes;  // --runtime values (harness::ParseRuntime); empty: DefaultRuntimes()
  std::string windows_layers;         // --windows-layers (harness::ResolveWindowsLayers)
  bool no_library = false;            // --no-library
  // For the host identity in bench.json: the whole command line and the suite (ocicert) version.
  std::vector<std::string> command_line;
  std::string suite_version;
  // Everything else. runtimes and windows_layers are filled in by Bench; an empty reference is ocirun
  // (when measured), an empty out_dir ocicert-results/bench-<time>.
  BenchOptions options;
};

// The runtimes measured when none is named: ocirun from the build tree or PATH, runc, crun (Windows:
// ocirun.exe beside ocicert.exe, runhcs).
std::vector<harness::RuntimeUnderTest> DefaultRuntimes();

// Resolves the request (filling request.options in: runtimes, layers, reference, out_dir), checks it
// (kInvalidArgument naming the flag), creates the output folder, runs every case and writes
// bench.json and report.html there. A runtime failing an operation is a case with status "error" in
// the run, not an error here.
base::Result<reports::BenchRun> Bench(BenchRequest& request);

}  // namespace ocicert::bench
