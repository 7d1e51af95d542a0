// Renderers of a merged fleet report (reports/merge.h): HTML (self-contained, no scripts), Markdown,
// JUnit XML and JSON. Same input, same bytes.
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "reports/conform_writers.h"
#include "reports/merge.h"
#include "reports/svg_charts.h"

namespace reports {
namespace {

using ocicert::reports::HtmlEscape;
using OJson = nlohmann::ordered_json;

constexpr char kStyle[] = R"(<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px auto;max-width:1300px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4}.num{text-align:right}.warn{background:#fff4d6;border:1px solid #e0c060;padding:6px 10px}
.missing{background:#f8d0d0;border:1px solid #c06060;padding:6px 10px}.muted{color:#777}
.pass{background:#d8f5d8}.fail,.error{background:#f8d0d0}.skip{background:#eee}.waived{background:#fff0c0}
tr.differs td:first-child{border-left:4px solid #c03030}code{font-size:12px}
</style>)";

std::string Gib(uint64_t bytes) { return bytes ? fmt::format("{:.1f} GiB", bytes / 1073741824.0) : "?"; }
std::string Or(const std::string& s, const char* dflt = "?") { return s.empty() ? dflt : s; }

std::string Runtimes(const HostIdentity& id, bool html) {
  std::string out;
  for (const RuntimeDigest& r : id.runtimes) {
    std::string digest = r.sha256.empty() ? "no digest: " + r.digest_error : "sha256:" + r.sha256.substr(0, 12);
    std::string line = r.name + " " + Or(r.version, "") + " (" + digest + ")";
    out += html ? HtmlEscape(line) + "<br>" : (out.empty() ? "" : "; ") + line;
  }
  return out.empty() ? "?" : out;
}

// Each runtime's verdict of the host's own run, as its results.json gave it. HTML: the verdict word,
// its reasons in the tooltip (they are long).
std::string RunVerdicts(const MergedHost& h, bool html) {
  std::string out;
  for (const auto& [column, verdict] : h.run_verdicts) {
    if (!html) {
      out += (out.empty() ? "" : "; ") + column + ": " + verdict;
      continue;
    }
    size_t colon = verdict.find(": ");
    std::string word = verdict.substr(0, colon);
    std::string reasons = colon == std::string::npos ? "" : verdict.substr(colon + 2);
    out += fmt::format("{}: <span class=\"{}\" title=\"{}\">{}</span><br>", HtmlEscape(column),
                       word == "pass" || word == "fail" ? word : "muted", HtmlEscape(reasons), HtmlEscape(word));
  }
  return out.empty() ? "no conformance results" : out;
}

std::string Cell(const std::optional<RuntimeResult>& r) { return r ? VerdictName(r->verdict) : "not run"; }

std::string BenchText(const std::optional<BenchCell>& b) {
  if (!b) return "not run";
  if (b->status != "ok") return b->status;
  std::string s = fmt::format("{:.2f} ms", b->median_ns / 1e6);
  if (b->ratio) s += fmt::format(" ({:.2f}x)", *b->ratio);
  return s;
}

// --- HTML ---

std::string HtmlNotes(const MergedReport& m) {
  std::string out;
  if (!m.missing_hosts.empty()) {
    out += "<p class=\"missing\" id=\"missing-hosts\">Missing hosts (expected, no results): ";
    for (size_t i = 0; i < m.missing_hosts.size(); ++i) out += (i ? ", " : "") + HtmlEscape(m.missing_hosts[i]);
    out += "</p>";
  }
  for (const std::string& w : m.warnings) out += "<p class=\"warn\">" + HtmlEscape(w) + "</p>";
  return out;
}

std::string HtmlHosts(const MergedReport& m) {
  std::string out = "<h2 id=\"hosts\">Hosts</h2><table><tr><th>host</th><th>host build</th><th>edition</th>"
                    "<th>kernel</th><th>cgroup</th><th>CPU</th><th>memory</th><th>virtualization</th>"
                    "<th>runtimes</th><th>run verdicts</th><th>suite</th><th>pod matrix row</th><th>expected as</th><th>files</th></tr>";
  for (const MergedHost& h : m.hosts) {
    const HostFacts& f = h.identity.host;
    std::string files, expected;
    for (const std::string& file : h.files) files += HtmlEscape(file) + "<br>";
    for (const std::string& e : h.expected_as) expected += (expected.empty() ? "" : ", ") + HtmlEscape(e);
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} &times; {}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"muted\">{}</td></tr>",
        HtmlEscape(h.label), HtmlEscape(h.identity.HostBuildLabel()), HtmlEscape(Or(f.edition, "")),
        HtmlEscape(Or(f.kernel)), HtmlEscape(Or(f.cgroup)), f.cpus, HtmlEscape(Or(f.cpu_model)), Gib(f.memory_bytes),
        HtmlEscape(Or(f.virtualization)), Runtimes(h.identity, true), RunVerdicts(h, true),
        HtmlEscape(Or(h.identity.suite_version)),
        HtmlEscape(h.pod_matrix), expected.empty() ? "&mdash;" : expected, files);
  }
  return out + "</table>";
}

std::string HtmlMatrix(const MergedReport& m) {
  std::string out = "<h2 id=\"matrix\">Matrix: host build &times; runtime &times; isolation &times; suite</h2>"
                    "<table class=\"matrix\"><tr><th>host</th><th>host build</th><th>runtime</th><th>isolation</th>"
                    "<th>suite</th><th>pass</th><th>fail</th><th>error</th><th>skip</th><th>waived</th></tr>";
  for (const MatrixRow& r : m.matrix) {
    const MergedHost& h = m.hosts[r.host];
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num{}\">{}</td>"
                       "<td class=\"num{}\">{}</td><td class=\"num{}\">{}</td><td class=\"num\">{}</td>"
                       "<td class=\"num\">{}</td></tr>",
                       HtmlEscape(h.label), HtmlEscape(h.identity.HostBuildLabel()), HtmlEscape(r.runtime),
                       HtmlEscape(r.isolation), HtmlEscape(r.suite), r.counts.pass ? " pass" : "", r.counts.pass,
                       r.counts.fail ? " fail" : "", r.counts.fail, r.counts.error ? " error" : "", r.counts.error,
                       r.counts.skip, r.counts.waived);
  }
  return out + "</table>";
}

std::string HtmlCaseRow(const MergedReport& m, const MergedCase& c) {
  std::string row = fmt::format("<tr{}><td><code>{}</code>{}</td>", c.differs ? " class=\"differs\"" : "",
                                HtmlEscape(c.id), c.differs ? " <b>differs</b>" : "");
  for (const auto& cell : c.cells) {
    std::string title = cell && !cell->message.empty() ? " title=\"" + HtmlEscape(cell->message) + "\"" : "";
    row += fmt::format("<td class=\"{}\"{}>{}</td>", cell ? VerdictName(cell->verdict) : "muted", title, Cell(cell));
  }
  return row + "</tr>";
}

std::string HtmlCases(const MergedReport& m) {
  if (m.cases.empty()) return "";
  std::string head = "<tr><th>case</th>";
  for (const MergeColumn& col : m.columns) head += "<th>" + HtmlEscape(col.label) + "</th>";
  head += "</tr>";
  std::string out = fmt::format("<h2 id=\"differs\">Cases whose verdict differs between hosts ({})</h2>", m.differing);
  if (m.differing == 0) out += "<p>None: every host gave the same verdicts.</p>";
  else out += "<table class=\"differs\">" + head;
  for (int i = 0; i < m.differing; ++i) out += HtmlCaseRow(m, m.cases[i]);
  if (m.differing) out += "</table>";
  out += fmt::format("<h2 id=\"cases\">Cases with the same verdict everywhere ({})</h2><table>",
                     m.cases.size() - m.differing) + head;
  for (size_t i = m.differing; i < m.cases.size(); ++i) out += HtmlCaseRow(m, m.cases[i]);
  return out + "</table>";
}

std::string HtmlBench(const MergedReport& m) {
  if (m.bench.empty()) return "";
  std::string out = "<h2 id=\"bench\">Benchmarks per host: median (ratio to the run's reference runtime)</h2>"
                    "<table><tr><th>benchmark</th>";
  for (const MergedHost& h : m.hosts) out += "<th>" + HtmlEscape(h.label) + "</th>";
  out += "</tr>";
  for (const MergedBench& b : m.bench) {
    out += "<tr><td><code>" + HtmlEscape(b.name) + "</code></td>";
    for (const auto& cell : b.per_host)
      out += fmt::format("<td class=\"num{}\">{}</td>", cell ? "" : " muted", HtmlEscape(BenchText(cell)));
    out += "</tr>";
  }
  return out + "</table>";
}

// --- Markdown ---

std::string MdEscape(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
  return out;
}

std::string MdCases(const MergedReport& m) {
  std::string head = "| case |", rule = "|---|";
  for (const MergeColumn& col : m.columns) head += " " + MdEscape(col.label) + " |", rule += "---|";
  std::string out = fmt::format("\n## Cases whose verdict differs between hosts ({})\n\n", m.differing);
  if (m.differing == 0) out += "None: every host gave the same verdicts.\n";
  for (size_t i = 0; i < m.cases.size(); ++i) {
    if (i == 0 && m.differing) out += head + "\n" + rule + "\n";
    if (i == static_cast<size_t>(m.differing))
      out += fmt::format("\n## Cases with the same verdict everywhere ({})\n\n{}\n{}\n", m.cases.size() - m.differing,
                         head, rule);
    std::string row = "| `" + m.cases[i].id + "` |";
    for (const auto& cell : m.cases[i].cells) {
      std::string v = Cell(cell);
      row += " " + (cell && (cell->verdict == Verdict::kFail || cell->verdict == Verdict::kError) ? "**" + v + "**" : v) + " |";
    }
    out += row + "\n";
  }
  return out;
}

std::string MdBench(const MergedReport& m) {
  if (m.bench.empty()) return "";
  std::string out = "\n## Benchmarks per host: median (ratio to the reference)\n\n| benchmark |", rule = "|---|";
  for (const MergedHost& h : m.hosts) out += " " + MdEscape(h.label) + " |", rule += "---|";
  out += "\n" + rule + "\n";
  for (const MergedBench& b : m.bench) {
    out += "| `" + b.name + "` |";
    for (const auto& cell : b.per_host) out += " " + BenchText(cell) + " |";
    out += "\n";
  }
  return out;
}

}  // namespace

std::string MergedHtml(const MergedReport& m) {
  std::string suites;
  for (const std::string& v : m.suite_versions) suites += (suites.empty() ? "" : ", ") + Or(v);
  return fmt::format("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>ocicert fleet report</title>{}"
                     "</head><body><h1>ocicert fleet report</h1><p>{} hosts &middot; {} verdict columns &middot; "
                     "{} cases, {} differ between hosts &middot; suite {}</p>{}{}{}{}{}</body></html>\n",
                     kStyle, m.hosts.size(), m.columns.size(), m.cases.size(), m.differing, HtmlEscape(Or(suites)),
                     HtmlNotes(m), HtmlHosts(m), HtmlMatrix(m), HtmlCases(m), HtmlBench(m));
}

std::string MergedMarkdown(const MergedReport& m) {
  std::string out = fmt::format("# ocicert fleet report\n\n{} hosts, {} cases, {} differ between hosts.\n",
                                m.hosts.size(), m.cases.size(), m.differing);
  if (!m.missing_hosts.empty()) {
    out += "\n**Missing hosts** (expected, no results):";
    for (const std::string& h : m.missing_hosts) out += " " + h;
    out += "\n";
  }
  for (const std::string& w : m.warnings) out += "\n> warning: " + MdEscape(w) + "\n";
  out += "\n## Hosts\n\n| host | host build | cgroup | CPUs | memory | virtualization | runtimes | run verdicts | pod matrix row |\n"
         "|---|---|---|---|---|---|---|---|---|\n";
  for (const MergedHost& h : m.hosts) {
    const HostFacts& f = h.identity.host;
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", MdEscape(h.label),
                       MdEscape(h.identity.HostBuildLabel()), Or(f.cgroup), f.cpus, Gib(f.memory_bytes),
                       Or(f.virtualization), MdEscape(Runtimes(h.identity, false)), MdEscape(RunVerdicts(h, false)),
                       MdEscape(h.pod_matrix));
  }
  out += "\n## Matrix\n\n| host | host build | runtime | isolation | suite | pass | fail | error | skip | waived |\n"
         "|---|---|---|---|---|---|---|---|---|---|\n";
  for (const MatrixRow& r : m.matrix) {
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", MdEscape(m.hosts[r.host].label),
                       MdEscape(m.hosts[r.host].identity.HostBuildLabel()), r.runtime, r.isolation, r.suite,
                       r.counts.pass, r.counts.fail, r.counts.error, r.counts.skip, r.counts.waived);
  }
  return out + MdCases(m) + MdBench(m);
}

std::string MergedJunitXml(const MergedReport& m) {
  std::string body;
  int all = 0, all_fail = 0, all_err = 0, all_skip = 0;
  for (size_t col = 0; col < m.columns.size(); ++col) {
    std::string cases;
    int tests = 0, fail = 0, err = 0, skip = 0;
    for (const MergedCase& c : m.cases) {
      const auto& cell = c.cells[col];
      if (!cell) continue;
      ++tests;
      std::string classname = XmlEscape(m.columns[col].label + "." + c.suite);
      std::string inner;
      if (cell->verdict == Verdict::kFail) ++fail, inner = "<failure message=\"" + XmlEscape(cell->message) + "\"/>";
      if (cell->verdict == Verdict::kError) ++err, inner = "<error message=\"" + XmlEscape(cell->message) + "\"/>";
      if (cell->verdict == Verdict::kSkip) ++skip, inner = "<skipped message=\"" + XmlEscape(cell->message) + "\"/>";
      if (cell->verdict == Verdict::kWaived)
        ++skip, inner = "<skipped message=\"waived: " + XmlEscape(cell->message) + "\"/>";
      cases += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3f}\">{}</testcase>\n", classname,
                           XmlEscape(c.id), cell->duration_s, inner);
    }
    body += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n{}"
                        "  </testsuite>\n",
                        XmlEscape(m.columns[col].label), tests, fail, err, skip, cases);
    all += tests, all_fail += fail, all_err += err, all_skip += skip;
  }
  return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"ocicert fleet\" tests=\"{}\" "
                     "failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n{}</testsuites>\n",
                     all, all_fail, all_err, all_skip, body);
}

std::string MergedJson(const MergedReport& m) {
  OJson hosts = OJson::array();
  for (const MergedHost& h : m.hosts) {
    hosts.push_back(OJson{{"label", h.label}, {"host_build", h.identity.HostBuildLabel()},
                          {"identity", HostIdentityToJson(h.identity)}, {"isolations", h.isolations},
                          {"pod_matrix", h.pod_matrix}, {"run_verdicts", h.run_verdicts}, {"expected_as", h.expected_as},
                          {"files", h.files}});
  }
  OJson matrix = OJson::array();
  for (const MatrixRow& r : m.matrix) {
    matrix.push_back(OJson{{"host", m.hosts[r.host].label}, {"runtime", r.runtime}, {"isolation", r.isolation},
                           {"suite", r.suite}, {"pass", r.counts.pass}, {"fail", r.counts.fail},
                           {"error", r.counts.error}, {"skip", r.counts.skip}, {"waived", r.counts.waived}});
  }
  OJson cases = OJson::array();
  for (const MergedCase& c : m.cases) {
    OJson verdicts = OJson::object();
    for (size_t col = 0; col < m.columns.size(); ++col)
      if (c.cells[col]) verdicts[m.columns[col].label] = VerdictName(c.cells[col]->verdict);
    cases.push_back(OJson{{"id", c.id}, {"suite", c.suite}, {"differs", c.differs}, {"verdicts", std::move(verdicts)}});
  }
  OJson bench = OJson::array();
  for (const MergedBench& b : m.bench) {
    OJson per_host = OJson::object();
    for (size_t h = 0; h < b.per_host.size(); ++h) {
      if (!b.per_host[h]) continue;
      const BenchCell& c = *b.per_host[h];
      per_host[m.hosts[h].label] = OJson{{"status", c.status}, {"median_ns", c.median_ns},
                                         {"ratio_to_reference", c.ratio ? OJson(*c.ratio) : OJson(nullptr)}};
    }
    bench.push_back(OJson{{"name", b.name}, {"hosts", std::move(per_host)}});
  }
  OJson doc{{"schema", kMergeSchema}, {"suite_versions", m.suite_versions}, {"hosts", std::move(hosts)},
            {"expected", m.expected},  {"missing_hosts", m.missing_hosts},   {"warnings", m.warnings},
            {"matrix", std::move(matrix)}, {"differing", m.differing},       {"cases", std::move(cases)},
            {"bench", std::move(bench)}};
  return doc.dump(2, ' ', false, OJson::error_handler_t::replace) + "\n";
}

base::Status WriteMergedReports(const std::string& dir, const MergedReport& m) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return base::InvalidArgument("create " + dir + ": " + ec.message());
  RETURN_IF_ERROR(base::WriteFileAtomic(dir + "/report.html", MergedHtml(m)));
  RETURN_IF_ERROR(base::WriteFileAtomic(dir + "/summary.md", MergedMarkdown(m)));
  RETURN_IF_ERROR(base::WriteFileAtomic(dir + "/junit.xml", MergedJunitXml(m)));
  return base::WriteFileAtomic(dir + "/merged.json", MergedJson(m));
}

}  // namespace reports
