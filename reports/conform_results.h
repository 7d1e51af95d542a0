// The conformance results model and its JSON form, schema "ocicert.conform/v2" (docs/conform.md); v2 adds
// "identity" (reports/host_identity.h). Files of v1 are still read (their identity is absent).
// `ocicert conform` writes results.json with SaveConformResults; report renderers (HTML, compare)
// read it back with LoadConformResults. The other conform_* writers render the same model.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "reports/host_identity.h"

namespace reports {

inline constexpr const char* kConformSchema = "ocicert.conform/v2";
inline constexpr const char* kConformSchemaV1 = "ocicert.conform/v1";  // read, never written

enum class Verdict { kPass, kFail, kSkip, kWaived, kError };

// "pass", "fail", "skip", "waived", "error".
const char* VerdictName(Verdict v);
// Parses a verdict name; kInvalidArgument for anything else.
base::Result<Verdict> ParseVerdict(const std::string& name);

// One command the driver ran against a runtime.
struct Invocation {
  std::vector<std::string> argv;
  int exit_code = -1;  // shell style: exit status, or 128+signal
  bool timed_out = false;
  std::string stdout_text;
  std::string stderr_text;
  double duration_s = 0;
};

struct RuntimeResult {
  Verdict verdict = Verdict::kError;
  std::string message;  // why it failed / was skipped / was waived; empty on pass
  double duration_s = 0;
  std::vector<Invocation> invocations;
  // Each failed check, as the case recorded it (not serialized: `message` joins them); waivers
  // match them one by one.
  std::vector<std::string> failures;
};

struct CaseResult {
  std::string id;     // "lifecycle.start.created"
  std::string suite;  // "lifecycle"
  std::string title;
  std::vector<std::string> requirements;      // catalogue IDs this case checks
  std::map<std::string, RuntimeResult> results;  // by runtime name
};

struct RuntimeInfo {
  std::string name;
  std::string path;
  std::string version;  // first line of `<runtime> --version`
  std::string spec_version;  // the run's target runtime-spec version and its source; "" in older results
};

struct Coverage {
  int covered = 0;
  int total = 0;
  std::vector<std::string> uncovered;
};

struct RuntimeSummary {
  int pass = 0, fail = 0, skip = 0, waived = 0, error = 0;
  double duration_s = 0;  // wall time of this runtime's cases, summed
  // The runtime's verdict (conformance/verdicts.h): "pass" or "fail", with the reasons it failed.
  // "" in results written before verdicts existed.
  std::string verdict;
  std::vector<std::string> reasons;
  // Catalogue requirements by outcome for this runtime: failed (a case naming it failed or erred),
  // waived (a case was waived, none failed), passed (a case passed, none failed or was waived),
  // uncovered (no case naming it reached a verdict: not selected, or skipped).
  std::vector<std::string> reqs_passed, reqs_failed, reqs_waived, reqs_uncovered;
  // Waivers naming this runtime that matched nothing where their case ran ("<waiver>: <why>").
  std::vector<std::string> stale_waivers;
};

struct ConformResults {
  std::string schema = kConformSchema;
  std::string started;  // RFC3339 UTC
  double duration_s = 0;
  std::map<std::string, std::string> host;  // hostname, kernel, os, cpus, isolation, ...
  HostIdentity identity;                    // v2; present == false in a v1 file
  std::vector<RuntimeInfo> runtimes;        // in the order given on the command line
  Coverage coverage;  // requirements passed by the first gated runtime (see RuntimeSummary)
  std::vector<std::string> gate;  // the runtimes whose verdicts decide the exit code
  std::vector<CaseResult> cases;                   // in catalogue order of suites, then case order
  std::map<std::string, RuntimeSummary> summary;   // by runtime name
};

// Counts one result into a summary (its verdict, its duration).
void Tally(RuntimeSummary& s, const RuntimeResult& r);

// Recomputes `summary` from `cases` (durations summed per runtime).
void Summarize(ConformResults& results);

// JSON text (2-space indented, keys in a stable order) of the results.
std::string ConformResultsToJson(const ConformResults& results);
// Parses results.json text (v2, or v1 without identity); kInvalidArgument naming the field on a malformed
// document or another schema.
base::Result<ConformResults> ParseConformResults(const std::string& text);
// Reads and parses a results.json file.
base::Result<ConformResults> LoadConformResults(const std::string& path);
// Writes results.json atomically.
base::Status SaveConformResults(const std::string& path, const ConformResults& results);

}  // namespace reports
