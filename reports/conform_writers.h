// Renderers of conformance results (reports/conform_results.h) for CI systems and people:
// JUnit XML, TAP 13 and a Markdown summary. Pure functions of the model: same input, same bytes.
#pragma once

#include <string>

#include "base/status.h"
#include "reports/conform_results.h"

namespace reports {

// Text escaped for XML content and attribute values; control characters XML 1.0 forbids become '?'.
std::string XmlEscape(const std::string& s);

// JUnit XML: one <testsuite> per runtime, one <testcase> per case (classname "<runtime>.<suite>").
// fail -> <failure>, error -> <error>, skip -> <skipped>, waived -> <skipped message="waived: ...">
// with the failure text kept in <system-out>.
std::string ConformJunitXml(const ConformResults& results);

// TAP version 13: one test point per (case, runtime). skip -> "# SKIP reason";
// waived -> "not ok ... # TODO waived: reason" (a known, accepted failure).
std::string ConformTap(const ConformResults& results);

// summary.md: runtimes, per-runtime totals and suite durations, coverage, the case x runtime table,
// failures with their messages and the uncovered requirement IDs.
std::string ConformSummaryMarkdown(const ConformResults& results);

// Writes results.json, junit.xml, results.tap and summary.md into `dir` (which must exist).
base::Status WriteConformReports(const std::string& dir, const ConformResults& results);

}  // namespace reports
