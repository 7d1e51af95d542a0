// ocicert conform: run the conformance suites against one or more runtime binaries side by side and
// write results.json, junit.xml, results.tap and summary.md. Each runtime gets a verdict (verdicts.h);
// exit 0 when every gated runtime (--gate, default the first --runtime) passed, 1 otherwise, 2 on bad
// usage, 130 when interrupted.
#include "ocicert/commands.h"

#ifdef OCICERT_HAVE_CONFORM
#ifdef _WIN32
#include <io.h>
#else
#include <unistd.h>
#endif

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "conformance/catalogue.h"
#include "conformance/driver.h"
#include "conformance/host.h"
#include "conformance/host_identity.h"
#ifndef _WIN32
#include "conformance/paths.h"
#endif
#include "conformance/profile.h"
#include "conformance/runner.h"
#include "conformance/waivers.h"
#include "reports/conform_writers.h"

namespace ocicert {
namespace {

// Counter on one refreshed line (a terminal) or periodic lines (CI logs); failures as they happen.
class TerminalProgress final : public conform::ProgressSink {
 public:
  void Started(int total) override {
#ifdef _WIN32
    tty_ = ::_isatty(2);
#else
    tty_ = ::isatty(2);
#endif
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

std::string DefaultOutDir() {
  std::string now = conform::Rfc3339Now();  // 2026-11-28T19:00:00Z -> 20261128T190000Z
  std::string compact;
  for (char c : now)
    if (c != '-' && c != ':') compact += c;
  return "ocicert-results/conform-" + compact;
}

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
  std::vector<std::string> runtime_args, suites, cases;
  std::string out, waivers_file, catalogue_file, rootfs, isolation = "process";
  std::string windows_layers;
#ifdef _WIN32
  std::string probe, make_rootfs;  // Linux containers only
#else
  std::string probe = conform::DefaultProbePath(), make_rootfs = conform::DefaultMakeRootfs();
#endif
  int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  bool no_waivers = false, keep = false, list = false;
  conform::GateOptions gate;
  std::string spec_version;
  app.add_option("--runtime", runtime_args, "runtime under test: NAME=PATH, PATH, or a name looked up in PATH (repeatable)");
  std::string suite_names;
  for (const std::string& name : conform::SuiteNames()) suite_names += (suite_names.empty() ? "" : ", ") + name;
  app.add_option("--suite", suites, "run only this suite (repeatable): " + suite_names);
  app.add_option("--case", cases, "run only cases matching this ID, prefix or '*' pattern (repeatable)");
  app.add_option("-j,--jobs", jobs, "independent cases run in parallel")->check(CLI::Range(1, 64));
  app.add_option("--isolation", isolation, "process or hyperv")->check(CLI::IsMember({"process", "hyperv"}));
  app.add_option("--out", out, "output folder (default ./ocicert-results/conform-<timestamp>)");
  app.add_option("--waivers", waivers_file, "waivers file replacing the built-in conformance/waivers.json");
  app.add_flag("--no-waivers", no_waivers, "apply no waivers");
  app.add_option("--catalogue", catalogue_file, "requirement catalogue replacing the built-in one");
  app.add_option("--rootfs", rootfs, "a prepared rootfs holding /bin/probe (default: built with make-rootfs.sh)");
  app.add_option("--probe", probe, "the static probe binary copied into the rootfs");
  app.add_option("--make-rootfs", make_rootfs, "path of scripts/make-rootfs.sh");
  app.add_option("--windows-layers", windows_layers,
                 "Windows containers: the image's layer folders, top-most first (comma-separated), or the top "
                 "layer alone when it has a layerchain.json; each container gets a fresh scratch layer over them");
  app.add_option("--spec-version", spec_version,
                 "runtime-spec version to test (e.g. 1.2.0); bundles carry it and cases of other versions' rules "
                 "skip (default: the newest each runtime accepts: its `features` ociVersionMax, else its profile)");
  app.add_option("--gate", gate.gate,
                 "runtime whose verdict decides the exit code (repeatable; default: the first --runtime)");
  app.add_option("--min-coverage", gate.min_coverage,
                 "percent of the catalogue's requirements a gated runtime must pass (default 0: no floor)")
      ->check(CLI::Range(0.0, 100.0));
  app.add_flag("--fail-on-skip", gate.fail_on_skip, "a skipped case that applies to the runtime fails its verdict");
  app.add_flag("--strict-waivers", gate.strict_waivers,
               "a stale waiver (matched nothing where its case ran: the case passes, the version moved on) fails "
               "the runtime's verdict");
  int soak_lifecycles = 1000, soak_parallel = 64;
  app.add_option("--soak-lifecycles", soak_lifecycles, "soak suite: sequential lifecycles per runtime (default 1000)")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--soak-parallel", soak_parallel, "soak suite: concurrent lifecycles per runtime (default 64)")
      ->check(CLI::Range(1, 1024));
  app.add_flag("--keep", keep, "keep the work folder (bundles, runtime output) for debugging");
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
  if (runtime_args.empty()) {
    std::fprintf(stderr, "ocicert conform: at least one --runtime is required\n");
    return 2;
  }
  conform::ConformOptions o;
  for (const std::string& arg : runtime_args) {
    auto rt = conform::ResolveRuntime(arg);
    if (!rt.ok()) {
      std::fprintf(stderr, "ocicert conform: %s\n", rt.status().message().c_str());
      return 2;
    }
    o.runtimes.push_back(std::move(rt).value());
  }
  if (base::Status st = conform::CheckUniqueNames(o.runtimes); !st.ok()) {
    std::fprintf(stderr, "ocicert conform: %s\n", st.message().c_str());
    return 2;
  }
  conform::Waivers none;
  std::optional<conform::Waivers> loaded_waivers;
  if (!waivers_file.empty()) {
    auto w = conform::Waivers::Load(waivers_file);
    if (!w.ok()) {
      std::fprintf(stderr, "ocicert conform: --waivers: %s\n", w.status().message().c_str());
      return 2;
    }
    loaded_waivers = std::move(w).value();
  }
  std::optional<conform::Catalogue> loaded_catalogue;
  if (!catalogue_file.empty()) {
    auto c = conform::Catalogue::Load(catalogue_file);
    if (!c.ok()) {
      std::fprintf(stderr, "ocicert conform: --catalogue: %s\n", c.status().message().c_str());
      return 2;
    }
    loaded_catalogue = std::move(c).value();
  }
  o.waivers = no_waivers ? &none : loaded_waivers ? &*loaded_waivers : nullptr;
  o.catalogue = loaded_catalogue ? &*loaded_catalogue : nullptr;
  o.suites = suites;
  o.cases = cases;
  o.jobs = jobs;
  o.isolation = isolation;
  o.rootfs = rootfs;
  o.probe = probe;
  o.make_rootfs = make_rootfs;
  o.windows_layers = windows_layers;
  o.keep = keep;
  o.gate = gate;
  o.spec_version = spec_version;
  o.soak_lifecycles = soak_lifecycles;
  o.soak_parallel = soak_parallel;
  if (out.empty()) out = DefaultOutDir();
  TerminalProgress progress;
  auto results = conform::RunConformance(o, &progress);
  if (!results.ok()) {
    std::fprintf(stderr, "ocicert conform: %s\n", results.status().message().c_str());
    return results.status().code() == base::Code::kInvalidArgument ? 2 : 1;
  }
  std::vector<conform::host::RuntimeToDigest> digests;
  for (const auto& rt : results->runtimes) digests.push_back({rt.name, rt.path, rt.version});
  // main.cc passes argv + 1: argv - 1 is the whole command line, program included.
  results->identity = conform::host::CollectIdentity(digests, OCICERT_VERSION, argc + 1, argv - 1);
  // Created only now: bad usage leaves nothing behind.
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) {
    std::fprintf(stderr, "ocicert conform: --out %s: %s\n", out.c_str(), ec.message().c_str());
    return 1;
  }
  if (base::Status st = reports::WriteConformReports(out, *results); !st.ok()) {
    std::fprintf(stderr, "ocicert conform: write reports: %s\n", st.message().c_str());
    return 1;
  }
  PrintTotals(*results, out);
  if (conform::Interrupted()) return 130;
  return conform::GateExitCode(*results);
}

}  // namespace ocicert

#else  // built without the conformance library (conformance/CMakeLists.txt)
#include <cstdio>

namespace ocicert {

int RunConform(int, char**) {
  std::fprintf(stderr, "ocicert conform: not available in this build (configured without conformance/)\n");
  return 2;
}

}  // namespace ocicert
#endif
