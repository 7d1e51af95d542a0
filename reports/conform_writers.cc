#include "reports/conform_writers.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "base/file.h"

namespace reports {

std::string XmlEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters even escaped.
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') out += '?';
        else out += static_cast<char>(c);
    }
  }
  return out;
}

namespace {

// The invocations of one result as a readable transcript (for failure bodies).
std::string Transcript(const RuntimeResult& r) {
  std::string out;
  for (const Invocation& inv : r.invocations) {
    std::string cmd;
    for (const std::string& a : inv.argv) cmd += (cmd.empty() ? "" : " ") + a;
    out += fmt::format("$ {}\n-> exit {}{} in {:.3f}s\n", cmd, inv.exit_code, inv.timed_out ? " (timed out)" : "",
                       inv.duration_s);
    if (!inv.stdout_text.empty()) out += "stdout: " + inv.stdout_text.substr(0, 2000) + "\n";
    if (!inv.stderr_text.empty()) out += "stderr: " + inv.stderr_text.substr(0, 2000) + "\n";
  }
  return out;
}

std::string OneLine(const std::string& s) {
  std::string out;
  for (char c : s) out += (c == '\n' || c == '\r') ? ' ' : c;
  return out;
}

}  // namespace

std::string ConformJunitXml(const ConformResults& results) {
  std::string body;
  int all_tests = 0, all_fail = 0, all_err = 0, all_skip = 0;
  for (const RuntimeInfo& rt : results.runtimes) {
    std::string cases;
    int tests = 0, failures = 0, errors = 0, skipped = 0;
    double time = 0;
    for (const CaseResult& c : results.cases) {
      auto it = c.results.find(rt.name);
      if (it == c.results.end()) continue;
      const RuntimeResult& r = it->second;
      ++tests;
      time += r.duration_s;
      cases += fmt::format("    <testcase classname=\"{}.{}\" name=\"{}\" time=\"{:.3f}\">\n", XmlEscape(rt.name),
                           XmlEscape(c.suite), XmlEscape(c.id), r.duration_s);
      std::string msg = XmlEscape(OneLine(r.message));
      switch (r.verdict) {
        case Verdict::kPass: break;
        case Verdict::kFail:
          ++failures;
          cases += fmt::format("      <failure message=\"{}\">{}</failure>\n", msg, XmlEscape(Transcript(r)));
          break;
        case Verdict::kError:
          ++errors;
          cases += fmt::format("      <error message=\"{}\">{}</error>\n", msg, XmlEscape(Transcript(r)));
          break;
        case Verdict::kSkip:
          ++skipped;
          cases += fmt::format("      <skipped message=\"{}\"/>\n", msg);
          break;
        case Verdict::kWaived:
          ++skipped;
          cases += fmt::format("      <skipped message=\"waived: {}\"/>\n", msg);
          cases += fmt::format("      <system-out>{}</system-out>\n", XmlEscape(Transcript(r)));
          break;
      }
      cases += "    </testcase>\n";
    }
    body += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3f}\" "
        "timestamp=\"{}\">\n{}  </testsuite>\n",
        XmlEscape(rt.name), tests, failures, errors, skipped, time, XmlEscape(results.started), cases);
    all_tests += tests; all_fail += failures; all_err += errors; all_skip += skipped;
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"ocicert conform\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" "
      "time=\"{:.3f}\">\n{}</testsuites>\n",
      all_tests, all_fail, all_err, all_skip, results.duration_s, body);
}

std::string ConformTap(const ConformResults& results) {
  std::string points;
  int n = 0;
  for (const CaseResult& c : results.cases) {
    for (const RuntimeInfo& rt : results.runtimes) {
      auto it = c.results.find(rt.name);
      if (it == c.results.end()) continue;
      const RuntimeResult& r = it->second;
      ++n;
      std::string name = fmt::format("{}: {}", rt.name, c.id);
      std::string msg = OneLine(r.message);
      switch (r.verdict) {
        case Verdict::kPass: points += fmt::format("ok {} - {}\n", n, name); break;
        case Verdict::kSkip: points += fmt::format("ok {} - {} # SKIP {}\n", n, name, msg); break;
        case Verdict::kWaived: points += fmt::format("not ok {} - {} # TODO waived: {}\n", n, name, msg); break;
        case Verdict::kFail:
        case Verdict::kError:
          points += fmt::format("not ok {} - {}\n  ---\n  verdict: {}\n  message: \"{}\"\n  requirements: [{}]\n  ...\n",
                                n, name, VerdictName(r.verdict), fmt::format("{}", msg),
                                fmt::join(c.requirements, ", "));
          break;
      }
    }
  }
  return fmt::format("TAP version 13\n1..{}\n{}", n, points);
}

// Failed, waived and uncovered requirements, separately, per runtime.
std::string RequirementsMarkdown(const ConformResults& results) {
  std::string md;
  auto list = [](const std::vector<std::string>& ids) {
    return ids.empty() ? std::string("none") : fmt::format("{}", fmt::join(ids, ", "));
  };
  for (const RuntimeInfo& rt : results.runtimes) {
    auto it = results.summary.find(rt.name);
    if (it == results.summary.end() || it->second.verdict.empty()) continue;
    const RuntimeSummary& s = it->second;
    if (md.empty()) md = "\n## Requirements by runtime\n";
    md += fmt::format("\n### {}\n\n- passed: {}\n- failed: {}\n- waived: {}\n- uncovered: {}\n", rt.name,
                      s.reqs_passed.size(), list(s.reqs_failed), list(s.reqs_waived), list(s.reqs_uncovered));
    if (!s.stale_waivers.empty()) {
      md += "- stale waivers (matched nothing where their case ran):\n";
      for (const std::string& w : s.stale_waivers) md += "  - " + w + "\n";
    }
  }
  return md;
}

std::string ConformSummaryMarkdown(const ConformResults& results) {
  std::string md = "# ocicert conform summary\n\n";
  md += fmt::format("Started {} on {} ({}), {:.1f} s in all.\n\n", results.started,
                    results.host.count("hostname") ? results.host.at("hostname") : "?",
                    results.host.count("kernel") ? results.host.at("kernel") : "?", results.duration_s);
  md += "| runtime | version | verdict | pass | fail | error | waived | skip | requirements passed | cases time (s) |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n";
  for (const RuntimeInfo& rt : results.runtimes) {
    RuntimeSummary s = results.summary.count(rt.name) ? results.summary.at(rt.name) : RuntimeSummary{};
    bool gated = std::find(results.gate.begin(), results.gate.end(), rt.name) != results.gate.end();
    std::string verdict = s.verdict.empty() ? "-" : s.verdict == "pass" ? "pass" : "**FAIL**";
    std::string version = rt.version + (rt.spec_version.empty() ? "" : ", spec " + rt.spec_version);
    md += fmt::format("| {} | {} | {}{} | {} | {} | {} | {} | {} | {} | {:.2f} |\n", rt.name, version, verdict,
                      gated ? " (gate)" : "", s.pass, s.fail, s.error, s.waived, s.skip, s.reqs_passed.size(), s.duration_s);
  }
  std::string reasons;
  for (const RuntimeInfo& rt : results.runtimes) {
    if (!results.summary.count(rt.name)) continue;
    for (const std::string& why : results.summary.at(rt.name).reasons) reasons += "- " + rt.name + ": " + why + "\n";
  }
  if (!reasons.empty()) md += "\n" + reasons;
  // Per-suite time per runtime: summed case durations.
  std::vector<std::string> suites;
  std::map<std::string, std::map<std::string, double>> suite_time;  // suite -> runtime -> s
  for (const CaseResult& c : results.cases) {
    if (!suite_time.count(c.suite)) suites.push_back(c.suite);
    for (const auto& [runtime, r] : c.results) suite_time[c.suite][runtime] += r.duration_s;
  }
  md += "\n## Suite durations (s, summed over cases)\n\n| suite |";
  for (const RuntimeInfo& rt : results.runtimes) md += " " + rt.name + " |";
  md += "\n|---|";
  for (size_t i = 0; i < results.runtimes.size(); ++i) md += "---|";
  md += "\n";
  for (const std::string& suite : suites) {
    md += "| " + suite + " |";
    for (const RuntimeInfo& rt : results.runtimes) md += fmt::format(" {:.2f} |", suite_time[suite][rt.name]);
    md += "\n";
  }
  const Coverage& cov = results.coverage;
  md += fmt::format("\n## Coverage\n\n{} of {} requirements passed{} ({:.0f}%): a requirement counts only where a "
                    "case naming it passed and none failed or was waived.\n",
                    cov.covered, cov.total, results.gate.empty() ? "" : " by " + results.gate.front(),
                    cov.total ? 100.0 * cov.covered / cov.total : 0.0);
  md += "\n## Cases\n\n| case |";
  for (const RuntimeInfo& rt : results.runtimes) md += " " + rt.name + " |";
  md += "\n|---|";
  for (size_t i = 0; i < results.runtimes.size(); ++i) md += "---|";
  md += "\n";
  std::string details;
  for (const CaseResult& c : results.cases) {
    md += "| `" + c.id + "` |";
    for (const RuntimeInfo& rt : results.runtimes) {
      auto it = c.results.find(rt.name);
      if (it == c.results.end()) { md += " - |"; continue; }
      const RuntimeResult& r = it->second;
      static const char* kCell[] = {"pass", "**FAIL**", "skip", "waived", "**ERROR**"};
      md += std::string(" ") + kCell[static_cast<int>(r.verdict)] + " |";
      if (r.verdict != Verdict::kPass && r.verdict != Verdict::kSkip)
        details += fmt::format("- `{}` on {} ({}): {}\n", c.id, rt.name, VerdictName(r.verdict), OneLine(r.message));
    }
    md += "\n";
  }
  if (!details.empty()) md += "\n## Failures, errors and waivers\n\n" + details;
  md += RequirementsMarkdown(results);
  return md;
}

base::Status WriteConformReports(const std::string& dir, const ConformResults& results) {
  RETURN_IF_ERROR(SaveConformResults(dir + "/results.json", results));
  RETURN_IF_ERROR(base::WriteFileAtomic(dir + "/junit.xml", ConformJunitXml(results)));
  RETURN_IF_ERROR(base::WriteFileAtomic(dir + "/results.tap", ConformTap(results)));
  return base::WriteFileAtomic(dir + "/summary.md", ConformSummaryMarkdown(results));
}

}  // namespace reports
