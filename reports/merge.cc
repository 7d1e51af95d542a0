#include "reports/merge.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "base/file.h"
#include "runtime/pod/pod_policy.h"
#include "runtime/pod/windows_builds.h"

namespace reports {
namespace {

using Json = nlohmann::json;
using ocicert::reports::BenchRun;

// --- Hosts ---

// Files with equal fingerprints come from one host. A v1 file has no identity: its "host" map stands in.
std::string Fingerprint(const LoadedResult& in) {
  const HostIdentity& id = in.identity();
  if (!id.present) {
    const auto& h = in.conform ? in.conform->host : in.bench->host;
    auto get = [&](const char* k) { return h.count(k) ? h.at(k) : std::string(); };
    return "v1|" + get("hostname") + "|" + get("kernel") + "|" + get("os");
  }
  const HostFacts& f = id.host;
  return f.hostname + "|" + f.os_family + "|" + f.os + "|" + f.edition + "|" + f.build + "|" + f.ubr + "|" + f.kernel +
         "|" + f.arch + "|" + f.cgroup;
}

// A v1 file's identity, as far as its "host" map tells.
HostIdentity IdentityOf(const LoadedResult& in) {
  if (in.identity().present) return in.identity();
  HostIdentity id;
  const auto& h = in.conform ? in.conform->host : in.bench->host;
  auto get = [&](const char* k) { return h.count(k) ? h.at(k) : std::string(); };
  id.host.hostname = get("hostname");
  id.host.kernel = get("kernel");
  id.host.os = get("os");
  return id;
}

std::string PodCell(const ocirun::pod::Host& host, ocirun::pod::ContainerOs os, ocirun::pod::Isolation iso) {
  ocirun::pod::PodSupportCell cell = ocirun::pod::PodSupportFor(host, os, iso);
  return std::string(ocirun::pod::Name(os)) + "/" + std::string(ocirun::pod::Name(iso)) + ": " +
         std::string(ocirun::pod::Name(cell.support));
}

// The cells of fixtures/pod-matrix.json for this host's build and edition (runtime/pod/pod_policy.h).
std::string PodMatrixRow(const HostIdentity& id) {
  if (!id.present) return "unknown (schema v1 file: no OS build recorded)";
  if (id.host.os_family != "windows") return "not applicable (" + id.host.os_family + " host)";
  uint32_t build = 0;
  try {
    build = static_cast<uint32_t>(std::stoul(id.host.build));
  } catch (const std::exception&) {
    return "unknown (no Windows build recorded)";
  }
  ocirun::pod::Host host{build, id.host.edition.find("Server") != std::string::npos ? ocirun::pod::HostEdition::kServer
                                                                                     : ocirun::pod::HostEdition::kClient};
  using ocirun::pod::ContainerOs;
  using ocirun::pod::Isolation;
  return ocirun::pod::DescribeBuild(build) + " " + std::string(ocirun::pod::Name(host.edition)) + ": " +
         PodCell(host, ContainerOs::kWindows, Isolation::kProcess) + ", " +
         PodCell(host, ContainerOs::kWindows, Isolation::kHyperV) + ", " +
         PodCell(host, ContainerOs::kLinux, Isolation::kHyperV);
}

bool Satisfies(const HostIdentity& id, const ExpectedHost& e) {
  for (const auto& [field, want] : e.match)
    if (HostField(id.host, field) != want) return false;
  return true;
}

// Groups inputs by host; returns the host index of each input.
std::vector<size_t> GroupHosts(const std::vector<LoadedResult>& inputs, MergedReport& m) {
  std::map<std::string, size_t> by_fingerprint;
  std::vector<size_t> host_of;
  for (const LoadedResult& in : inputs) {
    auto [it, added] = by_fingerprint.emplace(Fingerprint(in), m.hosts.size());
    if (added) m.hosts.push_back({"", IdentityOf(in), {}, {}, "", {}, {}});
    m.hosts[it->second].files.push_back(in.path);
    host_of.push_back(it->second);
  }
  std::map<std::string, int> name_count;
  for (const MergedHost& h : m.hosts) ++name_count[h.identity.host.hostname];
  for (MergedHost& h : m.hosts) {
    h.label = h.identity.host.hostname.empty() ? "unnamed" : h.identity.host.hostname;
    if (name_count[h.identity.host.hostname] > 1) h.label += " (" + h.identity.HostBuildLabel() + ")";
    h.pod_matrix = PodMatrixRow(h.identity);
  }
  return host_of;
}

base::Status CheckSuites(const std::vector<LoadedResult>& inputs, const MergeOptions& o, MergedReport& m) {
  std::map<std::string, std::vector<std::string>> files_by_version;
  for (const LoadedResult& in : inputs) {
    if (!in.identity().present) {
      m.warnings.push_back(in.path + ": schema v1, no host identity or suite version; host known by its hostname only");
      continue;
    }
    files_by_version[in.identity().suite_version].push_back(in.path);
  }
  for (const auto& [version, files] : files_by_version) m.suite_versions.push_back(version);
  if (m.suite_versions.size() <= 1) return base::Status::Ok();
  std::string detail;
  for (const auto& [version, files] : files_by_version)
    detail += "\n  suite " + (version.empty() ? "(none)" : version) + ": " + files.front() +
              (files.size() > 1 ? " and " + std::to_string(files.size() - 1) + " more" : "");
  if (!o.allow_mixed_suites)
    return base::InvalidArgument("results come from different suite versions (--allow-mixed-suites to merge them):" +
                                 detail);
  m.warnings.push_back("merged results of different suite versions:" + detail);
  return base::Status::Ok();
}

// --- Conformance verdicts ---

size_t ColumnFor(MergedReport& m, size_t host, const std::string& runtime, const std::string& isolation) {
  for (size_t i = 0; i < m.columns.size(); ++i) {
    const MergeColumn& c = m.columns[i];
    if (c.host == host && c.runtime == runtime && c.isolation == isolation) return i;
  }
  m.columns.push_back({host, runtime, isolation, m.hosts[host].label + "/" + runtime + "/" + isolation});
  for (MergedCase& mc : m.cases) mc.cells.emplace_back();
  return m.columns.size() - 1;
}

std::string Isolation(const ConformResults& r) {
  auto it = r.host.find("isolation");
  return it == r.host.end() || it->second.empty() ? "process" : it->second;
}

base::Status AddConform(const LoadedResult& in, size_t host, MergedReport& m,
                        std::map<std::string, size_t>& case_index, std::map<std::string, std::string>& source) {
  const ConformResults& r = *in.conform;
  const std::string iso = Isolation(r);
  for (const CaseResult& c : r.cases) {
    auto [it, added] = case_index.emplace(c.id, m.cases.size());
    if (added) m.cases.push_back({c.id, c.suite, c.title, std::vector<std::optional<RuntimeResult>>(m.columns.size()), false});
    for (const auto& [runtime, result] : c.results) {
      size_t col = ColumnFor(m, host, runtime, iso);
      MergedCase& mc = m.cases[it->second];
      if (mc.cells[col]) {
        return base::InvalidArgument("duplicate host: " + source[c.id + "\n" + std::to_string(col)] + " and " + in.path +
                                     " both give a verdict for " + c.id + " on " + m.columns[col].label +
                                     " (merge one result per host, runtime and isolation)");
      }
      mc.cells[col] = result;
      source[c.id + "\n" + std::to_string(col)] = in.path;
    }
  }
  return base::Status::Ok();
}

void BuildMatrix(MergedReport& m) {
  std::map<std::tuple<size_t, std::string, std::string, std::string>, RuntimeSummary> cells;
  for (const MergedCase& mc : m.cases) {
    for (size_t col = 0; col < m.columns.size(); ++col) {
      if (!mc.cells[col]) continue;
      const MergeColumn& c = m.columns[col];
      Tally(cells[{c.host, c.runtime, c.isolation, mc.suite}], *mc.cells[col]);
    }
  }
  for (const auto& [key, counts] : cells)
    m.matrix.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key), counts});
}

// A case differs when, for one runtime and isolation, two hosts gave different verdicts.
void MarkDiffering(MergedReport& m) {
  for (MergedCase& mc : m.cases) {
    std::map<std::pair<std::string, std::string>, std::set<Verdict>> seen;
    for (size_t col = 0; col < m.columns.size(); ++col)
      if (mc.cells[col]) seen[{m.columns[col].runtime, m.columns[col].isolation}].insert(mc.cells[col]->verdict);
    for (const auto& [key, verdicts] : seen) mc.differs |= verdicts.size() > 1;
    m.differing += mc.differs;
  }
  std::stable_partition(m.cases.begin(), m.cases.end(), [](const MergedCase& c) { return c.differs; });
}

// --- Benchmarks ---

base::Status AddBench(const LoadedResult& in, size_t host, MergedReport& m, std::map<std::string, size_t>& index,
                      std::map<std::string, std::string>& source) {
  for (const ocicert::reports::BenchCase& c : in.bench->cases) {
    std::string name = c.isolation == "process" || c.isolation.empty() ? c.name : c.name + " [" + c.isolation + "]";
    auto [it, added] = index.emplace(name, m.bench.size());
    if (added) m.bench.push_back({name, {}});
    MergedBench& row = m.bench[it->second];
    row.per_host.resize(m.hosts.size());
    if (row.per_host[host]) {
      return base::InvalidArgument("duplicate host: " + source[name + "\n" + std::to_string(host)] + " and " + in.path +
                                   " both measure " + name + " on host " + m.hosts[host].label);
    }
    row.per_host[host] = BenchCell{c.summary.median, c.ratio_to_reference, c.status};
    source[name + "\n" + std::to_string(host)] = in.path;
  }
  return base::Status::Ok();
}

void NoteRunVerdicts(const ConformResults& r, MergedHost& h) {
  for (const auto& [runtime, summary] : r.summary) {
    std::string verdict = summary.verdict.empty() ? "not recorded" : summary.verdict;
    for (size_t i = 0; i < summary.reasons.size(); ++i) verdict += (i ? "; " : ": ") + summary.reasons[i];
    h.run_verdicts[runtime + "/" + Isolation(r)] = verdict;
  }
}

void NoteIsolations(const LoadedResult& in, MergedHost& h) {
  std::set<std::string> isos(h.isolations.begin(), h.isolations.end());
  if (in.conform) isos.insert(Isolation(*in.conform));
  if (in.bench)
    for (const auto& c : in.bench->cases) isos.insert(c.isolation);
  h.isolations.assign(isos.begin(), isos.end());
}

void CheckExpected(const MergeOptions& o, MergedReport& m) {
  for (const ExpectedHost& e : o.expect) {
    m.expected.push_back(e.name);
    bool found = false;
    for (MergedHost& h : m.hosts) {
      if (!Satisfies(h.identity, e)) continue;
      h.expected_as.push_back(e.name);
      found = true;
    }
    if (!found) m.missing_hosts.push_back(e.name);
  }
}

}  // namespace

base::Result<LoadedResult> LoadResultFile(const std::string& path) {
  ASSIGN_OR_RETURN_CTX(std::string text, base::ReadFile(path), "read " + path);
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded()) return base::InvalidArgument(path + ": not valid JSON (truncated or not a results file)");
  std::string schema = j.is_object() && j.contains("schema") && j["schema"].is_string() ? j["schema"].get<std::string>() : "";
  LoadedResult out;
  out.path = path;
  if (schema == kConformSchema || schema == kConformSchemaV1) {
    auto r = ParseConformResults(text);
    if (!r.ok()) return r.status().Wrap(path);
    out.conform = std::move(*r);
    return out;
  }
  if (schema == ocicert::reports::kBenchSchema || schema == ocicert::reports::kBenchSchemaV1) {
    auto r = ocicert::reports::ParseBenchJson(text);
    if (!r.ok()) return r.status().Wrap(path);
    out.bench = std::move(*r);
    return out;
  }
  return base::InvalidArgument(path + ": schema \"" + schema + "\" is not one this ocicert reads (" + kConformSchema +
                               ", " + kConformSchemaV1 + ", " + ocicert::reports::kBenchSchema + ", " +
                               ocicert::reports::kBenchSchemaV1 + ")");
}

base::Result<std::vector<std::string>> ExpandResultPaths(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (!std::filesystem::is_directory(p, ec)) {
      if (!std::filesystem::exists(p, ec)) return base::InvalidArgument(p + ": no such file or folder");
      out.push_back(p);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = std::filesystem::recursive_directory_iterator(p, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (it->is_regular_file(ec) && (name == "results.json" || name == "bench.json")) found.push_back(it->path().string());
    }
    if (found.empty()) return base::InvalidArgument(p + ": no results.json or bench.json under this folder");
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

base::Result<std::vector<ExpectedHost>> ParseExpectedHosts(const std::string& text) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("hosts") || !j["hosts"].is_array())
    return base::InvalidArgument("hosts: want {\"hosts\": [{\"name\": ..., \"match\": {...}}]}");
  std::vector<ExpectedHost> out;
  std::set<std::string> names;
  for (size_t i = 0; i < j["hosts"].size(); ++i) {
    const Json& e = j["hosts"][i];
    std::string where = "hosts[" + std::to_string(i) + "]";
    if (!e.is_object() || !e.contains("name") || !e["name"].is_string() || e["name"].get<std::string>().empty())
      return base::InvalidArgument(where + ".name: missing or not a string");
    ExpectedHost h{e["name"].get<std::string>(), {}};
    if (!names.insert(h.name).second) return base::InvalidArgument(where + ".name: \"" + h.name + "\" given twice");
    if (!e.contains("match") || !e["match"].is_object() || e["match"].empty())
      return base::InvalidArgument(where + ".match: missing, empty or not an object");
    for (const auto& [field, value] : e["match"].items()) {
      if (!IsHostField(field)) return base::InvalidArgument(where + ".match." + field + ": not a host identity field");
      if (!value.is_string()) return base::InvalidArgument(where + ".match." + field + ": not a string");
      h.match[field] = value.get<std::string>();
    }
    out.push_back(std::move(h));
  }
  return out;
}

base::Result<std::vector<ExpectedHost>> LoadExpectedHosts(const std::string& path) {
  ASSIGN_OR_RETURN_CTX(std::string text, base::ReadFile(path), "read " + path);
  auto hosts = ParseExpectedHosts(text);
  if (!hosts.ok()) return hosts.status().Wrap(path);
  return hosts;
}

base::Result<MergedReport> MergeResults(const std::vector<LoadedResult>& inputs, const MergeOptions& o) {
  if (inputs.empty()) return base::InvalidArgument("no results files to merge");
  MergedReport m;
  RETURN_IF_ERROR(CheckSuites(inputs, o, m));
  std::vector<size_t> host_of = GroupHosts(inputs, m);
  std::map<std::string, size_t> case_index, bench_index;
  std::map<std::string, std::string> source;
  for (size_t i = 0; i < inputs.size(); ++i) {
    NoteIsolations(inputs[i], m.hosts[host_of[i]]);
    if (inputs[i].conform) {
      RETURN_IF_ERROR(AddConform(inputs[i], host_of[i], m, case_index, source));
      NoteRunVerdicts(*inputs[i].conform, m.hosts[host_of[i]]);
    }
    if (inputs[i].bench) RETURN_IF_ERROR(AddBench(inputs[i], host_of[i], m, bench_index, source));
  }
  for (MergedBench& b : m.bench) b.per_host.resize(m.hosts.size());
  BuildMatrix(m);
  MarkDiffering(m);
  CheckExpected(o, m);
  return m;
}

}  // namespace reports
