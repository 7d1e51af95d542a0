// The conformance run: select cases, prepare the shared rootfs, run every (case, runtime) pair with
// -j workers, apply waivers, compute coverage, and return the results model. Interrupts (SIGINT,
// SIGTERM) stop new invocations; every case still cleans up; a second signal cleans up and exits.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "conformance/case.h"
#include "conformance/catalogue.h"
#include "conformance/verdicts.h"
#include "conformance/waivers.h"
#include "reports/conform_results.h"

namespace conform {

struct ConformOptions {
  std::vector<RuntimeUnderTest> runtimes;
  std::vector<std::string> suites;  // empty: all
  std::vector<std::string> cases;   // case ID patterns ('*' wildcard, or a prefix); empty: all
  int jobs = 1;
  std::string isolation = "process";  // process | hyperv
  std::string rootfs;       // a prepared rootfs holding /bin/probe; empty: build one
  std::string probe;        // the static probe binary (to build the rootfs)
  std::string make_rootfs;  // scripts/make-rootfs.sh
  std::string windows_layers;  // --windows-layers (windows_image.h); required with Windows runtimes
  bool keep = false;        // keep the work folder
  int soak_lifecycles = 1000;  // soak suite sizes (CaseEnv)
  int soak_parallel = 64;
  const Catalogue* catalogue = nullptr;
  const Waivers* waivers = nullptr;
  std::string spec_version;  // --spec-version: the target for every runtime; "": each runtime's newest
  GateOptions gate;         // verdicts per runtime (verdicts.h); gate.gate empty: the first runtime
};

// Live progress: called from worker threads, serialized by the runner.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void Started(int total) = 0;
  virtual void CaseDone(const Case& c, const RuntimeUnderTest& rt, const reports::RuntimeResult& r, int done,
                        int total) = 0;
};

// Cases matching the filters, in report order. Without filters, opt-in cases (security, soak) are left out. kInvalidArgument for an unknown suite or a pattern
// that matches nothing.
base::Result<std::vector<const Case*>> SelectCases(const std::vector<Case>& all,
                                                   const std::vector<std::string>& suites,
                                                   const std::vector<std::string>& patterns);

// '*' matches any run of characters; a pattern without '*' matches an equal ID or an ID prefix
// ending at a '.' ("lifecycle.start" matches "lifecycle.start.created").
bool CaseMatches(const std::string& pattern, const std::string& id);

// Runs everything. The error is for setup only (rootfs, bad waivers); case failures are results.
base::Result<reports::ConformResults> RunConformance(const ConformOptions& options, ProgressSink* progress);

}  // namespace conform
