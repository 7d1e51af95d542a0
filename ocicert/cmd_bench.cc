// ocicert bench [--runtime NAME=PATH]... [--reference NAME] [--ops create,start,...]
//               [--isolation process|hyperv] [--repetitions N] [--min-time S] [--quick] [--out DIR]
//               [--windows-layers DIR[,DIR...]]   (Windows: required)
// Measures runtime operations side by side and writes DIR/bench.json, DIR/gbench.json, DIR/report.html.
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "base/file.h"
#include "base/subprocess.h"
#include "ocicert/commands.h"

#ifdef OCICERT_HAVE_BENCH
#include <fmt/format.h>

#include "bench/driver.h"
#include "bench/host.h"
#include "bench/runner.h"
#include "conformance/host.h"
#include "conformance/host_identity.h"
#include "conformance/windows_image.h"
#include "reports/html_report.h"
#endif

namespace ocicert {

#ifdef OCICERT_HAVE_BENCH
namespace {

// `<build>/<dir>/<name>` beside this binary's folder (<build>/ocicert/ocicert), or "".
std::string FromBuildTree(const char* dir, const char* name) {
  std::string self = bench::host::SelfExecutable();
  if (self.empty()) return "";
  auto candidate = std::filesystem::path(self).parent_path().parent_path() / dir / name;
  return conform::host::IsExecutable(candidate.string()) ? candidate.string() : "";
}

// ocirun from the build tree, else from PATH.
std::string FindOcirun() {
  std::string p = FromBuildTree("runtime", "ocirun");
  return p.empty() ? base::FindProgram("ocirun").value_or("") : p;
}

// Windows: ocirun.exe beside ocicert.exe (as the release zip ships them), else from PATH; runhcs.exe
// from PATH.
std::vector<bench::RuntimeSpec> DefaultWindowsRuntimes() {
  std::vector<bench::RuntimeSpec> out;
  std::string self = bench::host::SelfExecutable();
  std::string beside = self.empty() ? "" : (std::filesystem::path(self).parent_path() / "ocirun.exe").string();
  if (!beside.empty() && conform::host::IsExecutable(beside)) {
    out.push_back({"ocirun", beside});
  } else if (auto p = base::FindProgram("ocirun"); p.ok()) {
    out.push_back({"ocirun", *p});
  }
  if (auto p = base::FindProgram("runhcs"); p.ok()) out.push_back({"runhcs", *p});
  return out;
}

std::vector<bench::RuntimeSpec> DefaultRuntimes() {
  if (bench::host::WindowsContainers()) return DefaultWindowsRuntimes();
  std::vector<bench::RuntimeSpec> out;
  if (std::string p = FindOcirun(); !p.empty()) out.push_back({"ocirun", p});
  if (conform::host::IsExecutable("/usr/sbin/runc")) {
    out.push_back({"runc", "/usr/sbin/runc"});
  } else if (auto p = base::FindProgram("runc"); p.ok()) {
    out.push_back({"runc", *p});
  }
  if (auto p = base::FindProgram("crun"); p.ok()) out.push_back({"crun", *p});
  return out;
}

base::Result<bench::RuntimeSpec> ParseRuntime(const std::string& arg) {
  size_t eq = arg.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == arg.size())
    return base::InvalidArgument("--runtime " + arg + ": expected NAME=PATH");
  bench::RuntimeSpec spec{arg.substr(0, eq), arg.substr(eq + 1)};
  if (spec.path.find('/') == std::string::npos) {
    ASSIGN_OR_RETURN_CTX(spec.path, base::FindProgram(spec.path), "--runtime " + arg);
  }
  return spec;
}

std::string DefaultOut() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", std::gmtime(&t));
  return std::string("ocicert-results/bench-") + buf;
}

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

int Fail(const std::string& message) {
  std::fprintf(stderr, "ocicert bench: %s\n", message.c_str());
  return 2;
}

}  // namespace

int RunBench(int argc, char** argv) {
  CLI::App app{std::string("Benchmark runtime operations side by side (interleaved runs; measured with ") +
                   bench::DriverName() + ")",
               "ocicert bench"};
  std::vector<std::string> runtimes, ops, isolations;
  bench::BenchOptions o;
  app.add_option("--runtime", runtimes,
                 "NAME=PATH of a runtime (repeatable); default: ocirun, runc, crun (Windows: ocirun, runhcs)");
  std::string windows_layers;
  app.add_option("--windows-layers", windows_layers,
                 "Windows (required there): the image's layer folders, top-most first (comma-separated), or the "
                 "top layer alone when it has a layerchain.json; each container gets a fresh scratch layer");
  app.add_option("--reference", o.reference, "runtime the ratios are taken against (default: ocirun or the first)");
  app.add_option("--ops", ops, "operations to measure (comma separated; default: all)")->delimiter(',');
  app.add_option("--isolation", isolations, "process and/or hyperv (comma separated)")->delimiter(',');
  app.add_option("--repetitions", o.repetitions, "repetitions per case, interleaved across cases");
  app.add_option("--min-time", o.min_time_s, "seconds of timed work per repetition");
  app.add_option("--iterations", o.iterations, "fixed iterations per repetition (instead of --min-time)");
  app.add_option("--warmup", o.warmup_iterations, "untimed iterations of each case before measuring");
  app.add_option("--others", o.others, "scaling: containers present while measuring (comma separated)")
      ->delimiter(',');
  app.add_option("--threads", o.threads, "scaling: concurrent lifecycles (comma separated)")->delimiter(',');
  bool no_scaling = false, quick = false, no_library = false;
  app.add_option("--library-helper", o.library_helper,
                 "ocirun-libbench (built in <build>/bench/), to also measure ocirun through its library");
  app.add_flag("--no-library", no_library, "do not measure ocirun's library without its CLI");
  app.add_flag("--no-scaling", no_scaling, "skip the scaling cases");
  app.add_option("--cv-threshold", o.cv_threshold, "coefficient of variation above which a case is noisy");
  app.add_flag("--quick", quick, "a short run for CI: 3 repetitions of 3 iterations, scaling 0/10 and 1/4");
  app.add_option("--out", o.out_dir, "output folder (default ocicert-results/bench-<time>)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (quick) {
    o.quick = true;
    if (!app.count("--repetitions")) o.repetitions = 3;
    if (!app.count("--iterations")) o.iterations = 3;
    if (!app.count("--others")) o.others = {0, 10};
    if (!app.count("--threads")) o.threads = {1, 4};
  }
  if (no_scaling) {
    o.others.clear();
    o.threads.clear();
  }
  if (!isolations.empty()) o.isolations = isolations;
  if (!windows_layers.empty()) {
    auto layers = conform::ResolveWindowsLayers(windows_layers);
    if (!layers.ok()) return Fail(layers.status().message());
    o.windows_layers = *layers;
  }
  o.operations = ops;
  for (const std::string& r : runtimes) {
    auto spec = ParseRuntime(r);
    if (!spec.ok()) return Fail(spec.status().message());
    o.runtimes.push_back(*spec);
  }
  if (o.runtimes.empty()) o.runtimes = DefaultRuntimes();
  if (o.reference.empty())
    for (const auto& r : o.runtimes)
      if (r.name == "ocirun") o.reference = "ocirun";
  if (o.out_dir.empty()) o.out_dir = DefaultOut();
  bool has_ocirun = false;
  for (const auto& r : o.runtimes) has_ocirun |= r.name == o.library_runtime;
  // Opt-in (--library-helper): the library cases are new and not yet verified against ocirun's API.
  if (no_library || !has_ocirun) o.library_helper.clear();
  if (base::Status s = bench::ValidateOptions(o); !s.ok()) return Fail(s.message());
  std::error_code ec;
  std::filesystem::create_directories(o.out_dir, ec);
  if (ec) return Fail("--out " + o.out_dir + ": " + ec.message());

  auto run = bench::RunBenchmarks(o);
  if (!run.ok()) return Fail(run.status().message());
  std::vector<conform::host::RuntimeToDigest> digests;
  for (const auto& rt : run->runtimes) digests.push_back({rt.name, rt.path, rt.version});
  // main.cc passes argv + 1: argv - 1 is the whole command line, program included.
  run->identity = conform::host::CollectIdentity(digests, OCICERT_VERSION, argc + 1, argv - 1);
  std::string bench_json = o.out_dir + "/bench.json", html = o.out_dir + "/report.html";
  if (base::Status s = base::WriteFileAtomic(bench_json, reports::BenchRunToJson(*run)); !s.ok())
    return Fail(s.message());
  reports::HtmlInputs inputs;
  inputs.bench_files = {bench_json};
  auto page = reports::RenderHtmlReport(inputs);
  if (!page.ok()) return Fail(page.status().message());
  if (base::Status s = base::WriteFileAtomic(html, *page); !s.ok()) return Fail(s.message());
  PrintSummary(*run);
  std::printf("\nwrote %s, %s/gbench.json, %s\n", bench_json.c_str(), o.out_dir.c_str(), html.c_str());
  int errors = 0;
  for (const reports::BenchCase& c : run->cases) errors += c.status == "error";
  if (errors > 0) {
    std::fprintf(stderr, "ocicert bench: %d case(s) failed (see above)\n", errors);
    return 1;
  }
  return 0;
}

#else  // a Linux build without Google Benchmark (OCICERT_BUILD_BENCH=OFF): the command says why it cannot run

int RunBench(int, char**) {
  std::fprintf(stderr, "ocicert bench: this build has no benchmark support (configured with OCICERT_BUILD_BENCH=OFF)\n");
  return 2;
}

#endif

}  // namespace ocicert
