// ocicert conform: run the conformance suites against one or more runtime binaries side by side and
// write results.json, junit.xml, results.tap and summary.md. Each runtime gets a verdict (verdicts.h);
// exit 0 when every gated runtime (--gate, default the first --runtime) passed, 1 otherwise, 2 on bad
// usage, 130 when interrupted.
#include "ocicert/commands.h"

#include <algorithm>
#include <cstdio>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "conformance/conform.h"
#include "harness/host.h"

namespace ocicert {
namespace {

// Counter on one refreshed line (a terminal) or periodic lines (CI logs); failures as they happen.
class TerminalProgress final : public conform::ProgressSink {
 public:
  void Started(int total) override {
    tty_ = harness::host::StderrIsTerminal();
    std::fprintf(stderr, "ocicert conform: %d case runs\n", total);
  }
  void CaseDone(const conform::Case& c, const conform::RuntimeUnderTest& rt, const reports::RuntimeResult& r,
                int done, int total) override {
    ++counts_[static_cast<int>(r.verdict)];
    if (r.verdict == reports::Verdict::kFail || r.verdict == reports::Verdict::kError) {
      std::fprintf(stderr, "%s%s %s %s: %s\n", tty_ ? "\r\033[K" : "",
                   r.verdict == reports::Verdict::kFail ? "FAIL " : "ERROR", rt.name.c_str(), c.id.c_str(),
                   r.message.c_str());
    }
    std::string line = fmt::format("[{:>4}/{}] pass {} fail {} error {} waived {} skip {}", done, total, counts_[0],
                                   counts_[1], counts_[4], counts_[3], counts_[2]);
    if (tty_) std::fprintf(stderr, "\r\033[K%s", line.c_str());
    else if (done == total || done % 25 == 0) std::fprintf(stderr, "%s\n", line.c_str());
    if (tty_ && done == total) std::fprintf(stderr, "\n");
  }

 private:
  bool tty_ = false;
  int counts_[5] = {0, 0, 0, 0, 0};
};

void ListCases() {
  for (const conform::Case& c : conform::AllCases()) {
    std::string reqs;
    for (const std::string& r : c.requirements) reqs += (reqs.empty() ? "" : ",") + r;
    std::printf("%-48s %s  [%s]\n", c.id.c_str(), c.title.c_str(), reqs.c_str());
  }
}

void PrintTotals(const reports::ConformResults& results, const std::string& out) {
  std::fprintf(stderr, "\n%-10s %-12s %5s %5s %5s %6s %5s %9s\n", "runtime", "verdict", "pass", "fail", "error",
               "waived", "skip", "time (s)");
  for (const reports::RuntimeInfo& rt : results.runtimes) {
    const reports::RuntimeSummary& s = results.summary.at(rt.name);
    bool gated = std::find(results.gate.begin(), results.gate.end(), rt.name) != results.gate.end();
    std::string verdict = s.verdict + (gated ? " (gate)" : "");
    std::fprintf(stderr, "%-10s %-12s %5d %5d %5d %6d %5d %9.2f\n", rt.name.c_str(), verdict.c_str(), s.pass, s.fail,
                 s.error, s.waived, s.skip, s.duration_s);
    for (const std::string& why : s.reasons) std::fprintf(stderr, "  %s: %s\n", rt.name.c_str(), why.c_str());
  }
  std::fprintf(stderr, "coverage: %d/%d requirements passed; wall time %.2f s; reports in %s\n", results.coverage.covered,
               results.coverage.total, results.duration_s, out.c_str());
}

}  // namespace

int RunConform(int argc, char** argv) {
  CLI::App app{"Run the conformance suites against one or more OCI runtimes (runc command line)", "ocicert conform"};
  conform::ConformRequest request;
  conform::ConformOptions& o = request.options;
  o.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  bool list = false;
  app.add_option("--runtime", request.runtimes,
                 "runtime under test: NAME=PATH, PATH, or a name looked up in PATH (repeatable)");
  std::string suite_names;
  for (const std::string& name : conform::SuiteNames()) suite_names += (suite_names.empty() ? "" : ", ") + name;
  app.add_option("--suite", o.suites, "run only this suite (repeatable): " + suite_names);
  app.add_option("--case", o.cases, "run only cases matching this ID, prefix or '*' pattern (repeatable)");
  app.add_option("-j,--jobs", o.jobs, "independent cases run in parallel")->check(CLI::Range(1, 64));
  app.add_option("--isolation", o.isolation, "process or hyperv")->check(CLI::IsMember({"process", "hyperv"}));
  app.add_option("--out", request.out, "output folder (default ./ocicert-results/conform-<timestamp>)");
  app.add_option("--waivers", request.waivers_file, "waivers file replacing the built-in conformance/waivers.json");
  app.add_flag("--no-waivers", request.no_waivers, "apply no waivers");
  app.add_option("--catalogue", request.catalogue_file, "requirement catalogue replacing the built-in one");
  app.add_option("--rootfs", o.rootfs, "a prepared rootfs holding /bin/probe (default: built with make-rootfs.sh)");
  app.add_option("--probe", o.probe, "the static probe binary copied into the rootfs");
  app.add_option("--make-rootfs", o.make_rootfs, "path of scripts/make-rootfs.sh");
  app.add_option("--windows-layers", o.windows_layers,
                 "Windows containers: the image's layer folders, top-most first (comma-separated), or the top "
                 "layer alone when it has a layerchain.json; each container gets a fresh scratch layer over them");
  app.add_option("--spec-version", o.spec_version,
                 "runtime-spec version to test (e.g. 1.2.0); bundles carry it and cases of other versions' rules "
                 "skip (default: the newest each runtime accepts: its `features` ociVersionMax, else its profile)");
  app.add_option("--gate", o.gate.gate,
                 "runtime whose verdict decides the exit code (repeatable; default: the first --runtime)");
  app.add_option("--min-coverage", o.gate.min_coverage,
                 "percent of the catalogue's requirements a gated runtime must pass (default 0: no floor)")
      ->check(CLI::Range(0.0, 100.0));
  app.add_flag("--fail-on-skip", o.gate.fail_on_skip, "a skipped case that applies to the runtime fails its verdict");
  app.add_flag("--strict-waivers", o.gate.strict_waivers,
               "a stale waiver (matched nothing where its case ran: the case passes, the version moved on) fails "
               "the runtime's verdict");
  app.add_option("--soak-lifecycles", o.soak_lifecycles, "soak suite: sequential lifecycles per runtime (default 1000)")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--soak-parallel", o.soak_parallel, "soak suite: concurrent lifecycles per runtime (default 64)")
      ->check(CLI::Range(1, 1024));
  app.add_flag("--keep", o.keep, "keep the work folder (bundles, runtime output) for debugging");
  app.add_flag("--list", list, "list the cases and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (list) {
    ListCases();
    return 0;
  }
  TerminalProgress progress;
  // main.cc passes argv + 1: argv - 1 is the whole command line, program included.
  request.command_line.assign(argv - 1, argv + argc);
  request.suite_version = OCICERT_VERSION;
  auto outcome = conform::Conform(std::move(request), &progress);
  if (!outcome.ok()) {
    std::fprintf(stderr, "ocicert conform: %s\n", outcome.status().message().c_str());
    return outcome.status().code() == base::Code::kInvalidArgument ? 2 : 1;
  }
  PrintTotals(outcome->results, outcome->out);
  if (harness::host::Interrupted()) return 130;
  return conform::GateExitCode(outcome->results);
}

}  // namespace ocicert
