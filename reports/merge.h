// `ocicert report merge`: many results.json and bench.json files, from many hosts, into one report:
// the host-build x runtime x isolation x suite matrix, the cases whose verdict differs between hosts
// (first), the pod-matrix row each Windows host represents, and bench ratios per host side by side.
// The merge copies verdicts; it never makes one up: a case a host did not run is "not run", and two
// files that both give a verdict for the same host, runtime, isolation and case are an error.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "reports/bench_result.h"
#include "reports/conform_results.h"
#include "reports/host_identity.h"

namespace reports {

inline constexpr const char* kMergeSchema = "ocicert.merge/v1";

// One input file, parsed: a conformance results.json or a bench.json.
struct LoadedResult {
  std::string path;
  std::optional<ConformResults> conform;
  std::optional<ocicert::reports::BenchRun> bench;
  const HostIdentity& identity() const { return conform ? conform->identity : bench->identity; }
};

// Reads a file and tells the kinds apart by "schema". Errors name the file: unreadable, truncated or
// not JSON, a schema that is neither ocicert.conform/v1|v2 nor ocicert.bench/v1|v2, a malformed field.
base::Result<LoadedResult> LoadResultFile(const std::string& path);

// The paths to merge: files as given; a folder stands for every results.json and bench.json under it
// (sorted), as CI artifact downloads and shared volumes lay them out. kInvalidArgument for a path
// that does not exist or a folder with no results in it.
base::Result<std::vector<std::string>> ExpandResultPaths(const std::vector<std::string>& paths);

// An entry of hosts.json (--expect): {"hosts": [{"name": "ws2022", "match": {"os_family": "windows",
// "build": "20348"}}]}. A host satisfies it when every `match` field equals its identity's.
struct ExpectedHost {
  std::string name;
  std::map<std::string, std::string> match;
};
// kInvalidArgument naming the entry and field (unknown field names are refused, so a typo cannot
// make every host match).
base::Result<std::vector<ExpectedHost>> ParseExpectedHosts(const std::string& text);
base::Result<std::vector<ExpectedHost>> LoadExpectedHosts(const std::string& path);

struct MergeOptions {
  bool allow_mixed_suites = false;  // else different suite versions are an error
  std::vector<ExpectedHost> expect;
};

struct MergedHost {
  std::string label;  // unique: the hostname, with the build when two hosts share a name
  HostIdentity identity;
  std::vector<std::string> files;
  std::vector<std::string> isolations;  // seen in its results, sorted
  std::string pod_matrix;               // the pod-matrix cells of its Windows build, or why none
  std::vector<std::string> expected_as; // names of --expect entries it satisfies
  // "runtime/isolation" -> the runtime's verdict as the host's results.json summary gives it ("pass",
  // or "fail: " and its reasons); "not recorded" for files written before verdicts. Copied, never computed.
  std::map<std::string, std::string> run_verdicts;
};

// A verdict column: one host, runtime and isolation.
struct MergeColumn {
  size_t host = 0;
  std::string runtime, isolation;
  std::string label;  // "<host>/<runtime>/<isolation>"
};

struct MatrixRow {
  size_t host = 0;
  std::string runtime, isolation, suite;
  RuntimeSummary counts;
};

struct MergedCase {
  std::string id, suite, title;
  std::vector<std::optional<RuntimeResult>> cells;  // by column; nullopt: not run there
  bool differs = false;  // two hosts gave different verdicts for the same runtime and isolation
};

struct BenchCell {
  double median_ns = 0;
  std::optional<double> ratio;  // to the run's reference runtime
  std::string status = "ok";
};

struct MergedBench {
  std::string name;  // the bench case name ("create/ocirun"), with the isolation when not process
  std::vector<std::optional<BenchCell>> per_host;  // by host index
};

struct MergedReport {
  std::vector<MergedHost> hosts;
  std::vector<MergeColumn> columns;
  std::vector<MatrixRow> matrix;
  std::vector<MergedCase> cases;  // differing first, then in the order first seen
  int differing = 0;
  std::vector<MergedBench> bench;
  std::vector<std::string> suite_versions;  // distinct, sorted
  std::vector<std::string> expected;        // names of --expect entries
  std::vector<std::string> missing_hosts;   // --expect entries no input satisfies
  std::vector<std::string> warnings;        // each names the file it is about
};

// Merges loaded files. Errors (kInvalidArgument, naming the files): no input, different suite versions
// without allow_mixed_suites, a verdict or bench case given twice for one host.
base::Result<MergedReport> MergeResults(const std::vector<LoadedResult>& inputs, const MergeOptions& options);

// Renderers (reports/merge_writers.cc): pure functions of the merged report.
std::string MergedHtml(const MergedReport& m);
std::string MergedMarkdown(const MergedReport& m);
std::string MergedJunitXml(const MergedReport& m);
std::string MergedJson(const MergedReport& m);

// Writes report.html, summary.md, junit.xml and merged.json into `dir` (created if missing).
base::Status WriteMergedReports(const std::string& dir, const MergedReport& m);

}  // namespace reports
