// ocicert bench [--runtime NAME=PATH]... [--reference NAME] [--ops create,start,...]
//               [--isolation process|hyperv] [--repetitions N] [--min-time S] [--quick] [--out DIR]
//               [--windows-layers DIR[,DIR...]]   (Windows: required)
// Measures runtime operations side by side and writes DIR/bench.json, DIR/gbench.json, DIR/report.html.
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "bench/bench.h"
#include "bench/driver.h"
#include "ocicert/commands.h"

namespace ocicert {
namespace {

std::string Ms(double ns) { return fmt::format("{:.2f}", ns / 1e6); }

void PrintSummary(const reports::BenchRun& run) {
  std::printf("\n%-34s %9s %9s %9s %9s %6s %7s  %s\n", "benchmark (ms)", "median", "p90", "p99", "min", "cv",
              ("x" + run.reference).c_str(), "note");
  for (const reports::BenchCase& c : run.cases) {
    if (c.status != "ok") {
      std::printf("%-34s %s: %s\n", c.name.c_str(), c.status.c_str(), c.message.c_str());
      continue;
    }
    const reports::Summary& s = c.summary;
    std::string ratio = c.ratio_to_reference ? fmt::format("{:.2f}", *c.ratio_to_reference) : "-";
    std::printf("%-34s %9s %9s %9s %9s %5.1f%% %7s  %s\n", c.name.c_str(), Ms(s.median).c_str(), Ms(s.p90).c_str(),
                Ms(s.p99).c_str(), Ms(s.min).c_str(), s.cv * 100, ratio.c_str(), c.noisy ? "noisy" : "");
  }
  for (const std::string& w : run.warnings) std::printf("warning: %s\n", w.c_str());
}

// --quick: a short run for CI, where the flags it sets were not given.
void ApplyQuick(const CLI::App& app, bench::BenchOptions& o) {
  o.quick = true;
  if (!app.count("--repetitions")) o.repetitions = 3;
  if (!app.count("--iterations")) o.iterations = 3;
  if (!app.count("--others")) o.others = {0, 10};
  if (!app.count("--threads")) o.threads = {1, 4};
}

}  // namespace

int RunBench(int argc, char** argv) {
  CLI::App app{std::string("Benchmark runtime operations side by side (interleaved runs; measured with ") +
                   bench::DriverName() + ")",
               "ocicert bench"};
  bench::BenchRequest request;
  bench::BenchOptions& o = request.options;
  std::vector<std::string> isolations;
  app.add_option("--runtime", request.runtimes,
                 "NAME=PATH of a runtime (repeatable); default: ocirun, runc, crun (Windows: ocirun, runhcs)");
  app.add_option("--windows-layers", request.windows_layers,
                 "Windows (required there): the image's layer folders, top-most first (comma-separated), or the "
                 "top layer alone when it has a layerchain.json; each container gets a fresh scratch layer");
  app.add_option("--reference", o.reference, "runtime the ratios are taken against (default: ocirun or the first)");
  app.add_option("--ops", o.operations, "operations to measure (comma separated; default: all)")->delimiter(',');
  app.add_option("--isolation", isolations, "process and/or hyperv (comma separated)")->delimiter(',');
  app.add_option("--repetitions", o.repetitions, "repetitions per case, interleaved across cases");
  app.add_option("--min-time", o.min_time_s, "seconds of timed work per repetition");
  app.add_option("--iterations", o.iterations, "fixed iterations per repetition (instead of --min-time)");
  app.add_option("--warmup", o.warmup_iterations, "untimed iterations of each case before measuring");
  app.add_option("--others", o.others, "scaling: containers present while measuring (comma separated)")
      ->delimiter(',');
  app.add_option("--threads", o.threads, "scaling: concurrent lifecycles (comma separated)")->delimiter(',');
  bool no_scaling = false, quick = false;
  app.add_option("--library-helper", o.library_helper,
                 "ocirun-libbench (built in <build>/bench/), to also measure ocirun through its library");
  app.add_flag("--no-library", request.no_library, "do not measure ocirun's library without its CLI");
  app.add_flag("--no-scaling", no_scaling, "skip the scaling cases");
  app.add_option("--cv-threshold", o.cv_threshold, "coefficient of variation above which a case is noisy");
  app.add_flag("--quick", quick, "a short run for CI: 3 repetitions of 3 iterations, scaling 0/10 and 1/4");
  app.add_option("--out", o.out_dir, "output folder (default ocicert-results/bench-<time>)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (quick) ApplyQuick(app, o);
  if (no_scaling) {
    o.others.clear();
    o.threads.clear();
  }
  if (!isolations.empty()) o.isolations = isolations;
  // main.cc passes argv + 1: argv - 1 is the whole command line, program included.
  request.command_line.assign(argv - 1, argv + argc);
  request.suite_version = OCICERT_VERSION;
  auto run = bench::Bench(request);
  if (!run.ok()) {
    std::fprintf(stderr, "ocicert bench: %s\n", run.status().message().c_str());
    return 2;
  }
  PrintSummary(*run);
  std::printf("\nwrote %s/bench.json, %s/gbench.json, %s/report.html\n", o.out_dir.c_str(), o.out_dir.c_str(),
              o.out_dir.c_str());
  int errors = 0;
  for (const reports::BenchCase& c : run->cases) errors += c.status == "error";
  if (errors > 0) {
    std::fprintf(stderr, "ocicert bench: %d case(s) failed (see above)\n", errors);
    return 1;
  }
  return 0;
}

}  // namespace ocicert
