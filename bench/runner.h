// `ocicert bench`: one case per (operation, runtime), measured by this build's driver (driver.h:
// Google Benchmark on Linux, our own loop where Google Benchmark is not packaged, i.e. mingw-w64)
// with the repetitions of all cases interleaved at random, and every iteration's time collected so
// that medians, percentiles and the coefficient of variation come from all samples.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "bench/runtime_cli.h"
#include "reports/bench_result.h"

namespace ocicert::bench {

struct BenchOptions {
  std::vector<harness::RuntimeUnderTest> runtimes;
  std::string reference;                 // ratios are taken against it; default: the first runtime
  std::vector<std::string> operations;   // names from AllOperations(); empty: all
  std::vector<std::string> isolations = {"process"};
  int repetitions = 5;                   // repetitions per case, interleaved across cases
  double min_time_s = 0.5;               // per repetition, of timed work
  int iterations = 0;                    // > 0: this many iterations per repetition instead of min_time
  int warmup_iterations = 1;             // untimed runs of every case before measuring
  std::vector<int> others = {0, 10, 100};  // scaling: containers present while measuring
  std::vector<int> threads = {1, 2, 4, 8}; // scaling: concurrent lifecycles
  double cv_threshold = 0.10;
  bool quick = false;
  std::string out_dir;                   // gbench.json goes here
  std::string work_dir;                  // bundles and runtime roots; removed afterwards
  std::string busybox = "/bin/busybox";  // Linux containers: the rootfs is made from it
  // Windows containers (required on Windows, refused elsewhere): the image's layer folders, top-most
  // first, as harness::ResolveWindowsLayers gives them; every container gets its own scratch layer.
  std::vector<std::string> windows_layers;
  // ocirun-libbench (bench/ocirun_libbench.cc): when set, every operation is also measured through
  // ocirun's library for the runtime named `library_runtime` (cases "<op>/<runtime>/library").
  std::string library_helper;
  std::string library_runtime = "ocirun";
  FILE* progress = stderr;               // progress lines; nullptr for none
};

// Checks the options (runtimes executable, names unique, operations known, --windows-layers given
// exactly on Windows); errors name the flag.
base::Status ValidateOptions(const BenchOptions& options);

// Runs everything and returns the finished result (summaries, ratios, noise flags). Writes
// Google Benchmark's JSON to out_dir/gbench.json. Fails only when the harness cannot run at all;
// a runtime that fails an operation gets status "error" with its message on that case.
base::Result<reports::BenchRun> RunBenchmarks(const BenchOptions& options);

}  // namespace ocicert::bench
