#include "runtime/container/ps.h"

#include <algorithm>
#include <charconv>
#include <sstream>

#include "base/subprocess.h"
#include "runtime/container/ps_proc.h"

namespace ocirun {
namespace {

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

}  // namespace

base::Result<std::vector<int>> Ps(const Runtime& rt, const std::string& id) {
  ASSIGN_OR_RETURN(Container c, Container::Load(rt, id));
  RETURN_IF_ERROR(c.Check(Operation::kPs));
  auto pids = c.backend().Pids(c.facts());
  if (!pids.ok() && pids.status().code() == base::Code::kNotFound &&
      c.Status() == ContainerStatus::kStopped)
    return std::vector<int>{};
  if (!pids.ok()) return pids.status().Wrap("ps " + id);
  std::vector<int> sorted = *pids;
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

std::string PsJson(const std::vector<int>& pids) {
  if (pids.empty()) return "null";  // runc 1.1.5 encodes its nil slice (a stopped container)
  std::string out = "[";
  for (size_t i = 0; i < pids.size(); ++i) out += (i ? "," : "") + std::to_string(pids[i]);
  return out + "]";
}

base::Result<std::string> FilterPsTable(std::string_view ps_output, const std::vector<int>& pids) {
  std::istringstream in{std::string(ps_output)};
  std::string header;
  std::getline(in, header);
  std::vector<std::string_view> names = Fields(header);
  auto col = std::find(names.begin(), names.end(), "PID");
  if (col == names.end())
    return base::NotFound("ps output has no PID column (header \"" + header + "\")");
  size_t index = static_cast<size_t>(col - names.begin());
  std::string out = header + "\n";
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string_view> f = Fields(line);
    if (f.size() <= index) continue;
    int pid = 0;
    auto [end, ec] = std::from_chars(f[index].data(), f[index].data() + f[index].size(), pid);
    if (ec == std::errc() && std::binary_search(pids.begin(), pids.end(), pid)) out += line + "\n";
  }
  return out;
}

base::Result<std::string> PsTable(const std::vector<int>& pids,
                                  const std::vector<std::string>& ps_args) {
  std::vector<int> sorted = pids;
  std::sort(sorted.begin(), sorted.end());
  if (ps_args.empty()) return ProcPsTable(sorted);
  base::SubprocessOptions o;
  o.argv = {"ps"};
  o.argv.insert(o.argv.end(), ps_args.begin(), ps_args.end());
  o.timeout = std::chrono::seconds(30);
  ASSIGN_OR_RETURN_CTX(base::SubprocessResult r, base::RunSubprocess(o), "run ps");
  if (!r.success()) return base::Internal("ps " + ps_args[0] + " failed: " + r.err);
  return FilterPsTable(r.out, sorted);
}

}  // namespace ocirun
