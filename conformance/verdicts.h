// Verdicts per runtime: what a release gate reads. A runtime passes when no case failed or erred
// unwaived, at least one case passed, its applicable cases were not mostly skipped, and the options
// (--min-coverage, --fail-on-skip, --strict-waivers) hold. Requirements are sorted per runtime into
// passed, failed, waived and uncovered: a requirement counts as covered only where a case naming it
// passed and none failed or was waived.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "conformance/case.h"
#include "conformance/catalogue.h"
#include "conformance/waivers.h"
#include "reports/conform_results.h"

namespace conform {

struct GateOptions {
  std::vector<std::string> gate;  // runtimes whose verdicts decide the exit code; empty: the first one
  double min_coverage = 0;        // percent of the catalogue's requirements that must pass; 0: no floor
  bool fail_on_skip = false;      // any applicable case skipped fails the runtime
  bool strict_waivers = false;    // a stale waiver (matched nothing where its case ran) fails the runtime
};

// Waivers and verdicts. Only a failure is waived (never an error or a timeout), and only when every
// failed check is covered by a waiver that names the case (or one of its requirements) and the
// runtime, holds for its version / digest, and whose `check` text (if any) is in the failure. The
// result keeps the failure text. Returns the waivers used.
std::vector<const Waiver*> ApplyWaiver(const Waivers& waivers, const Case& c, const RuntimeUnderTest& rt,
                                       reports::RuntimeResult& r);
WaiverTarget TargetOf(const RuntimeUnderTest& rt);

// (waiver, runtime name) pairs that waived something in the run.
using WaiverUses = std::set<std::pair<const Waiver*, std::string>>;
// Per runtime name: the waivers naming it that matched nothing although a case they cover ran (not
// skipped) — the case now passes, the version moved out of the range, or the failure changed —
// as "<waiver>: <why>".
std::map<std::string, std::vector<std::string>> StaleWaivers(const Waivers& waivers,
                                                             const std::vector<const Case*>& cases,
                                                             const std::vector<RuntimeUnderTest>& runtimes,
                                                             const reports::ConformResults& results,
                                                             const WaiverUses& used);

// Checks --gate names against the runtimes; kInvalidArgument naming an unknown one. Fills the default.
base::Status ResolveGate(GateOptions& options, const std::vector<RuntimeUnderTest>& runtimes);

// Whether a case applies to a runtime at all (its container OS). Cases written for the other OS are
// "not applicable": their skips never count against the runtime.
bool Applicable(const Case& c, const RuntimeUnderTest& rt);

// Fills each runtime's verdict, reasons and requirements by outcome in results.summary (after
// reports::Summarize), results.gate, and results.coverage (the first gated runtime's passed ones).
// `cases` are the selected cases. `options.gate` must be resolved (ResolveGate).
// `stale` (StaleWaivers) is listed per runtime, and fails it under strict_waivers.
void JudgeRuntimes(const std::vector<const Case*>& cases, const std::vector<RuntimeUnderTest>& runtimes,
                   const Catalogue& catalogue, const GateOptions& options,
                   const std::map<std::string, std::vector<std::string>>& stale, reports::ConformResults& results);

// 0 when every gated runtime passed, else 1.
int GateExitCode(const reports::ConformResults& results);

}  // namespace conform
