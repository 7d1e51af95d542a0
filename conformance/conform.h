// `ocicert conform` as one library call: the command line's values in, the results written out.
// ocicert/cmd_conform.cc only parses flags into a ConformRequest and prints what Conform returns.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "conformance/runner.h"
#include "reports/conform_results.h"

namespace conform {

struct ConformRequest {
  std::vector<std::string> runtimes;  // --runtime values (harness::ParseRuntime)
  std::string waivers_file;           // --waivers: replaces the built-in waivers
  bool no_waivers = false;            // --no-waivers
  std::string catalogue_file;         // --catalogue: replaces the built-in catalogue
  std::string out;                    // --out; "" is ocicert-results/conform-<time>
  // For the host identity in results.json: the whole command line and the suite (ocicert) version.
  std::vector<std::string> command_line;
  std::string suite_version;
  // Everything else; runtimes, waivers and catalogue are filled in by Conform. An empty probe or
  // make_rootfs is the one found beside ocicert or in the build tree (paths.h).
  ConformOptions options;
};

struct ConformOutcome {
  reports::ConformResults results;
  std::string out;  // where the reports were written
};

// Resolves the runtimes, loads waivers and catalogue, runs every case, then creates the output
// folder (only now: bad usage leaves nothing behind) and writes the reports. kInvalidArgument for bad
// usage (a flag's value; the message names the flag), other codes when the run or the writing failed.
base::Result<ConformOutcome> Conform(ConformRequest request, ProgressSink* progress);

}  // namespace conform
