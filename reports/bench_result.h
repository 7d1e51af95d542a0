// bench.json: the result of one `ocicert bench` run (schema "ocicert.bench/v2", see docs/bench.md; v2 adds
// "identity", reports/host_identity.h; v1 files are still read, without it).
// Also loads Google Benchmark's JSON output, so `report compare` and `report html` accept either.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "reports/host_identity.h"
#include "reports/stats.h"

namespace ocicert::reports {

inline constexpr char kBenchSchema[] = "ocicert.bench/v2";
inline constexpr char kBenchSchemaV1[] = "ocicert.bench/v1";  // read, never written

struct BenchRuntime {
  std::string name;     // as given to --runtime NAME=PATH
  std::string path;
  std::string version;  // first line of `<path> --version`
};

// One benchmark: one operation (and variant) for one runtime.
struct BenchCase {
  std::string name;       // unique, stable across runs: "<operation>[/<variant>]/<runtime>[/<layer>]"
  std::string operation;  // create, start, state, exec_detached, ... lifecycle
  std::string variant;    // "", "others:10", "threads:4"
  std::string runtime;
  std::string isolation = "process";
  std::string layer = "cli";  // cli: through the command line; library: ocirun's library in-process
  std::string status = "ok";  // ok, skipped, error
  std::string message;        // why skipped or what failed
  std::vector<double> samples_ns;  // one per measured iteration, in run order
  Summary summary;                 // of samples_ns
  std::optional<double> ratio_to_reference;  // median / the reference runtime's median of the same case
  bool noisy = false;                        // summary.cv above the run's threshold
  std::map<std::string, double> counters;    // peak_rss_kb, container_rss_kb, lifecycles_per_s, ...
};

struct BenchSettings {
  int repetitions = 0;
  double min_time_s = 0;
  double warmup_s = 0;
  bool quick = false;
  bool interleaved = true;
  double cv_threshold = 0.10;
};

struct BenchRun {
  std::string schema = kBenchSchema;
  std::string created;  // RFC 3339 UTC
  std::map<std::string, std::string> host;  // hostname, kernel, cpus, machine_kind
  ::reports::HostIdentity identity;         // v2; present == false in v1 and Google Benchmark files
  BenchSettings settings;
  std::string reference;  // runtime name ratios are taken against
  std::vector<BenchRuntime> runtimes;
  std::vector<BenchCase> cases;
  std::vector<std::string> warnings;  // e.g. "noisy run: 3 benchmarks above CV 10%"

  const BenchCase* Find(const std::string& name) const;
};

// Fills summary, ratio_to_reference and noisy for every case from the samples; adds a warning
// when any ok case is noisy.
void FinishRun(BenchRun& run);

// Serialises to bench.json text (2-space indented).
std::string BenchRunToJson(const BenchRun& run);

// Parses bench.json, or Google Benchmark's JSON (detected by its "context" object; per-iteration
// entries become samples, one per repetition). Errors name the field that is wrong.
base::Result<BenchRun> ParseBenchJson(const std::string& text);

// Reads and parses a file; errors carry the path.
base::Result<BenchRun> LoadBenchFile(const std::string& path);

}  // namespace ocicert::reports
