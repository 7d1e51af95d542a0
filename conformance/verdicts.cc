#include "conformance/verdicts.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

namespace conform {
namespace {

enum class Outcome { kUncovered, kPassed, kWaived, kFailed };  // in rising precedence

// Requirement -> outcome for one runtime, over the selected cases.
std::map<std::string, Outcome> RequirementOutcomes(const reports::ConformResults& results, const std::string& runtime) {
  std::map<std::string, Outcome> out;
  for (const reports::CaseResult& c : results.cases) {
    auto it = c.results.find(runtime);
    if (it == c.results.end()) continue;
    Outcome o = Outcome::kUncovered;
    switch (it->second.verdict) {
      case reports::Verdict::kPass: o = Outcome::kPassed; break;
      case reports::Verdict::kWaived: o = Outcome::kWaived; break;
      case reports::Verdict::kFail:
      case reports::Verdict::kError: o = Outcome::kFailed; break;
      case reports::Verdict::kSkip: break;
    }
    for (const std::string& req : c.requirements) out[req] = std::max(out[req], o);
  }
  return out;
}

void SortRequirements(const Catalogue& catalogue, const std::map<std::string, Outcome>& outcomes,
                      reports::RuntimeSummary& s) {
  for (const Requirement& r : catalogue.requirements()) {
    auto it = outcomes.find(r.id);
    Outcome o = it == outcomes.end() ? Outcome::kUncovered : it->second;
    switch (o) {
      case Outcome::kPassed: s.reqs_passed.push_back(r.id); break;
      case Outcome::kFailed: s.reqs_failed.push_back(r.id); break;
      case Outcome::kWaived: s.reqs_waived.push_back(r.id); break;
      case Outcome::kUncovered: s.reqs_uncovered.push_back(r.id); break;
    }
  }
}

std::vector<std::string> Reasons(const reports::RuntimeSummary& s, int applicable_skips, int applicable,
                                 double coverage_pct, const GateOptions& o) {
  std::vector<std::string> why;
  if (s.fail || s.error) why.push_back(fmt::format("{} case(s) failed and {} erred, unwaived", s.fail, s.error));
  if (s.pass == 0) why.push_back("no case passed: nothing was checked");
  else if (applicable_skips * 2 > applicable)
    why.push_back(fmt::format("mostly skipped: {} of {} applicable cases", applicable_skips, applicable));
  if (o.fail_on_skip && applicable_skips > 0)
    why.push_back(fmt::format("{} applicable case(s) skipped (--fail-on-skip)", applicable_skips));
  if (o.min_coverage > 0 && coverage_pct + 1e-9 < o.min_coverage)
    why.push_back(fmt::format("{:.1f}% of the requirements passed, below --min-coverage {:.1f}%", coverage_pct,
                              o.min_coverage));
  return why;
}

}  // namespace

base::Status ResolveGate(GateOptions& options, const std::vector<RuntimeUnderTest>& runtimes) {
  if (runtimes.empty()) return base::InvalidArgument("no --runtime given");
  if (options.gate.empty()) options.gate = {runtimes.front().name};
  for (const std::string& g : options.gate) {
    bool known = false;
    for (const RuntimeUnderTest& rt : runtimes) known |= rt.name == g;
    if (!known) return base::InvalidArgument("--gate " + g + ": no --runtime has this name");
  }
  if (options.min_coverage < 0 || options.min_coverage > 100)
    return base::InvalidArgument(fmt::format("--min-coverage {}: want a percentage from 0 to 100", options.min_coverage));
  return base::Status::Ok();
}

bool Applicable(const Case& c, const RuntimeUnderTest& rt) {
  return c.os == "any" || c.os == (rt.profile.windows ? "windows" : "linux");
}

void JudgeRuntimes(const std::vector<const Case*>& cases, const std::vector<RuntimeUnderTest>& runtimes,
                   const Catalogue& catalogue, const GateOptions& options,
                   const std::map<std::string, std::vector<std::string>>& stale, reports::ConformResults& results) {
  std::map<std::string, const Case*> by_id;
  for (const Case* c : cases) by_id[c->id] = c;
  results.gate = options.gate;
  for (const RuntimeUnderTest& rt : runtimes) {
    reports::RuntimeSummary& s = results.summary[rt.name];
    s.reqs_passed.clear(), s.reqs_failed.clear(), s.reqs_waived.clear(), s.reqs_uncovered.clear();
    SortRequirements(catalogue, RequirementOutcomes(results, rt.name), s);
    int applicable = 0, applicable_skips = 0;
    for (const reports::CaseResult& cr : results.cases) {
      auto c = by_id.find(cr.id);
      auto r = cr.results.find(rt.name);
      if (c == by_id.end() || r == cr.results.end() || !Applicable(*c->second, rt)) continue;
      ++applicable;
      applicable_skips += r->second.verdict == reports::Verdict::kSkip;
    }
    size_t total = catalogue.requirements().size();
    double pct = total ? 100.0 * static_cast<double>(s.reqs_passed.size()) / static_cast<double>(total) : 0;
    s.reasons = Reasons(s, applicable_skips, applicable, pct, options);
    auto st = stale.find(rt.name);
    s.stale_waivers = st == stale.end() ? std::vector<std::string>{} : st->second;
    if (options.strict_waivers && !s.stale_waivers.empty())
      s.reasons.push_back(fmt::format("{} stale waiver(s) (--strict-waivers)", s.stale_waivers.size()));
    s.verdict = s.reasons.empty() ? "pass" : "fail";
  }
  if (!options.gate.empty() && results.summary.count(options.gate.front())) {
    const reports::RuntimeSummary& g = results.summary.at(options.gate.front());
    results.coverage.covered = static_cast<int>(g.reqs_passed.size());
    results.coverage.total = static_cast<int>(catalogue.requirements().size());
    results.coverage.uncovered = g.reqs_uncovered;
  }
}

WaiverTarget TargetOf(const RuntimeUnderTest& rt) { return {rt.name, rt.profile.name, rt.version, rt.sha256}; }

std::vector<const Waiver*> ApplyWaiver(const Waivers& waivers, const Case& c, const RuntimeUnderTest& rt,
                                       reports::RuntimeResult& r) {
  if (r.verdict != reports::Verdict::kFail) return {};  // errors and timeouts are never waived
  WaiverTarget target = TargetOf(rt);
  std::vector<const Waiver*> holding;
  for (const Waiver* w : waivers.Named(c.id, c.requirements, target))
    if (Waivers::VersionMismatch(*w, target).empty()) holding.push_back(w);
  if (holding.empty()) return {};
  std::vector<std::string> failures = r.failures.empty() ? std::vector<std::string>{r.message} : r.failures;
  std::vector<const Waiver*> used;
  for (const std::string& f : failures) {
    const Waiver* cover = nullptr;
    for (const Waiver* w : holding)
      if (w->check.empty() || f.find(w->check) != std::string::npos) {
        cover = w;
        break;
      }
    if (!cover) return {};  // a failed check no waiver covers: the case fails
    if (std::find(used.begin(), used.end(), cover) == used.end()) used.push_back(cover);
  }
  std::string why;
  for (const Waiver* w : used) why += (why.empty() ? "" : "; ") + w->clause + ": " + w->reason;
  r.message = fmt::format("waived ({}) | was {}: {}", why, reports::VerdictName(r.verdict), r.message);
  r.verdict = reports::Verdict::kWaived;
  return used;
}

std::map<std::string, std::vector<std::string>> StaleWaivers(const Waivers& waivers,
                                                             const std::vector<const Case*>& cases,
                                                             const std::vector<RuntimeUnderTest>& runtimes,
                                                             const reports::ConformResults& results,
                                                             const WaiverUses& used) {
  std::map<std::string, const reports::CaseResult*> by_id;
  for (const reports::CaseResult& cr : results.cases) by_id[cr.id] = &cr;
  std::map<std::string, std::vector<std::string>> out;
  for (const RuntimeUnderTest& rt : runtimes) {
    WaiverTarget target = TargetOf(rt);
    std::map<const Waiver*, std::pair<int, int>> ran;  // waiver -> (cases run, cases passed)
    for (const Case* c : cases) {
      auto cr = by_id.find(c->id);
      if (cr == by_id.end() || !cr->second->results.count(rt.name)) continue;
      reports::Verdict v = cr->second->results.at(rt.name).verdict;
      if (v == reports::Verdict::kSkip) continue;
      for (const Waiver* w : waivers.Named(c->id, c->requirements, target)) {
        ++ran[w].first;
        ran[w].second += v == reports::Verdict::kPass;
      }
    }
    for (const auto& [w, counts] : ran) {
      if (used.count({w, rt.name})) continue;
      std::string why = Waivers::VersionMismatch(*w, target);
      if (why.empty())
        why = counts.second == counts.first ? "its case passes" : "the failure it names did not occur (or erred)";
      out[rt.name].push_back(w->Describe() + ": " + why);
    }
  }
  return out;
}

int GateExitCode(const reports::ConformResults& results) {
  for (const std::string& g : results.gate) {
    auto it = results.summary.find(g);
    if (it == results.summary.end() || it->second.verdict != "pass") return 1;
  }
  return results.gate.empty() ? 1 : 0;
}

}  // namespace conform
