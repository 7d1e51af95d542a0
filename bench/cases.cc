#include "bench/cases.h"

#include <algorithm>

#include "bench/driver.h"
#include "harness/clock.h"
#include "harness/host.h"
#include "harness/runtime_command.h"

namespace ocicert::bench {
namespace {

double Median(std::vector<double> v) { return reports::Summarize(std::move(v)).median; }

// Why `rt` cannot run hyperv isolation here, or empty when it can.
std::string HypervUnavailable(const RuntimeCli& rt) {
  std::string features = harness::RuntimeFeatures(rt.runtime());
  if (features.find("hyperv") == std::string::npos)
    return rt.runtime().name + " offers no hyperv isolation (its `features` output does not mention it)";
  if (std::string problem = harness::host::HypervProblem(); !problem.empty()) return problem;
  return "hyperv isolation for " + rt.runtime().name + " is not driven by this harness yet";
}

}  // namespace

void FailCase(MeasuredCase& c, const base::Status& s, const ProgressLog& progress) {
  if (c.meta.status == "error") return;
  c.meta.status = "error";
  c.meta.message = s.message();
  progress("%s FAILED: %s", c.meta.name.c_str(), s.message().c_str());
}

std::vector<std::string> CaseRegistry::Operations() const {
  if (!o_.operations.empty()) return o_.operations;
  std::vector<std::string> names;
  for (const Operation& op : AllOperations()) names.push_back(op.name);
  return names;
}

bool CaseRegistry::Wants(const std::string& op) const {
  auto ops = Operations();
  return std::find(ops.begin(), ops.end(), op) != ops.end();
}

bool CaseRegistry::Isolation(const char* mode) const {
  return std::find(o_.isolations.begin(), o_.isolations.end(), mode) != o_.isolations.end();
}

MeasuredCase& CaseRegistry::Add(const RuntimeCli& rt, const std::string& op, const std::string& variant, Body body) {
  MeasuredCase c;
  c.rt = &rt;
  c.meta.operation = op;
  c.meta.variant = variant;
  c.meta.runtime = rt.runtime().name;
  c.meta.name = op + (variant.empty() ? "" : "/" + variant) + "/" + rt.runtime().name;
  c.body = std::move(body);
  cases_.push_back(std::move(c));
  return cases_.back();
}

void CaseRegistry::AddMainCases(const std::vector<std::unique_ptr<RuntimeCli>>& rts, const ProgressLog& progress) {
  for (const auto& rt : rts) {
    if (!Isolation("process")) break;
    for (const std::string& name : Operations()) Add(*rt, name, "", FindOperation(name)->run);
    if (!o_.library_helper.empty() && rt->runtime().name == o_.library_runtime) {
      for (const std::string& name : Operations()) {
        MeasuredCase& c = Add(*rt, name, "", nullptr);
        c.meta.layer = "library";
        c.meta.name += "/library";
        c.library = true;
      }
    }
    if (!Wants("lifecycle")) continue;
    for (int n : o_.threads) {
      MeasuredCase& c = Add(*rt, "lifecycle", "threads:" + std::to_string(n),
                            [n](Fixture& f, Timer& t) { return ConcurrentLifecycles(f, t, n); });
      c.threads = n;
    }
  }
  AddHypervCases(rts, progress);
}

void CaseRegistry::AddHypervCases(const std::vector<std::unique_ptr<RuntimeCli>>& rts, const ProgressLog& progress) {
  if (!Isolation("hyperv")) return;
  for (const auto& rt : rts) {
    std::string reason = HypervUnavailable(*rt);
    progress("hyperv skipped for %s: %s", rt->runtime().name.c_str(), reason.c_str());
    for (const std::string& name : Operations()) {
      reports::BenchCase c;
      c.name = name + "/" + rt->runtime().name + "/hyperv";
      c.operation = name;
      c.runtime = rt->runtime().name;
      c.isolation = "hyperv";
      c.status = "skipped";
      c.message = reason;
      skipped_.push_back(c);
    }
  }
}

reports::BenchRun AssembleRun(const BenchOptions& o, const std::vector<std::unique_ptr<RuntimeCli>>& rts,
                              CaseRegistry& registry) {
  reports::BenchRun run;
  run.created = harness::Rfc3339Now();
  std::map<std::string, std::string> info = harness::host::Info();
  run.host = {{"hostname", info["hostname"]}, {"kernel", info["kernel"]}, {"cpus", info["cpus"]}};
  run.host["machine_kind"] = harness::host::MachineKind();
  run.host["bench_driver"] = DriverName();
  run.settings.repetitions = o.repetitions;
  run.settings.min_time_s = o.iterations > 0 ? 0 : o.min_time_s;
  run.settings.quick = o.quick;
  run.settings.interleaved = true;
  run.settings.cv_threshold = o.cv_threshold;
  run.reference = o.reference.empty() ? o.runtimes.front().name : o.reference;
  for (const auto& rt : rts) run.runtimes.push_back({rt->runtime().name, rt->runtime().path, rt->runtime().version});
  for (MeasuredCase& c : registry.cases()) {
    if (!c.rss_kb.empty()) c.meta.counters["runtime_peak_rss_kb"] = Median(c.rss_kb);
    if (c.meta.status == "ok" && !c.meta.samples_ns.empty() && c.threads > 1)
      c.meta.counters["lifecycles_per_s"] = c.threads / (Median(c.meta.samples_ns) / 1e9);
    run.cases.push_back(c.meta);
  }
  for (const reports::BenchCase& c : registry.skipped()) run.cases.push_back(c);
  reports::FinishRun(run);
  if (std::string problem = harness::host::ContainerMemoryProblem(); !problem.empty()) run.warnings.push_back(problem);
  return run;
}

}  // namespace ocicert::bench
