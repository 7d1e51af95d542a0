// soak: many lifecycles against one runtime, sequential and concurrent, then a census of what they
// left: processes, mounts, cgroups, state folders, fds of the harness and of anything left. Zero
// leaks expected. Sizes come from --soak-lifecycles and --soak-parallel (CaseEnv); the result's
// message gives the throughput and the census.
//
// The lifecycle calls are not recorded in the transcript (thousands of them): failures are counted
// and the first few described in the verdict.
#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "base/file.h"
#include "conformance/case.h"
#include "conformance/helpers.h"

namespace conform {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Failed lifecycles: counted, the first few kept for the message.
class Failures {
 public:
  void Add(const std::string& what) {
    std::lock_guard<std::mutex> lock(mu_);
    if (count_++ < 3) first_.push_back(what);
  }
  int count() const { return count_; }
  std::string Describe() const {
    std::string s;
    for (const std::string& f : first_) s += (s.empty() ? "" : "; ") + f;
    return s;
  }

 private:
  std::mutex mu_;
  int count_ = 0;
  std::vector<std::string> first_;
};

InvokeOptions Quiet() {
  InvokeOptions o;
  o.record = false;
  return o;
}

// What one lifecycle needs: its id, a bundle with a config of its own (cgroupsPath "/<id>").
Container Variant(CaseContext& ctx, const Container& base, const std::string& id) {
  Container c = base;
  c.id = id;
  c.bundle = ctx.scratch() + "/soak/" + id;
  fs::create_directories(c.bundle);
  c.config["linux"]["cgroupsPath"] = "/" + id;
  ctx.WriteConfig(c);
  return c;
}

bool RunStep(CaseContext& ctx, const std::vector<std::string>& args, Failures& failures, const std::string& id) {
  const Call& call = ctx.rt().Run(args, Quiet());
  if (call.ok()) return true;
  failures.Add(id + ": " + args[0] + " " + conform::Describe(call));
  return false;
}

bool WaitStopped(CaseContext& ctx, const std::string& id) {
  for (int delay = 2, waited = 0; waited < 5000; waited += delay, delay = std::min(delay * 2, 50)) {
    const Call& st = ctx.rt().Run({"state", id}, Quiet());
    Json j = Json::parse(st.inv.stdout_text, nullptr, false);
    if (st.ok() && j.is_object() && j.value("status", "") == "stopped") return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
  }
  return false;
}

// create, state (the pid), start, kill, wait for stopped, delete. Returns the init pid seen (0: none).
int Lifecycle(CaseContext& ctx, const Container& c, Failures& failures) {
  if (!RunStep(ctx, {"create", "--bundle", c.bundle, c.id}, failures, c.id)) return 0;
  const Call& st = ctx.rt().Run({"state", c.id}, Quiet());
  Json j = Json::parse(st.inv.stdout_text, nullptr, false);
  int pid = j.is_object() && j["pid"].is_number_integer() ? j["pid"].get<int>() : 0;
  if (pid <= 0) failures.Add(c.id + ": state gave no pid: " + conform::Describe(st));
  if (!RunStep(ctx, {"start", c.id}, failures, c.id)) return pid;
  if (!RunStep(ctx, {"kill", c.id, "KILL"}, failures, c.id)) return pid;
  if (!WaitStopped(ctx, c.id)) {
    failures.Add(c.id + ": did not stop after kill");
    return pid;
  }
  RunStep(ctx, {"delete", c.id}, failures, c.id);
  return pid;
}

// ---- the census -------------------------------------------------------------------------------------

int CountFds(const std::string& pid) {
  int n = 0;
  std::error_code ec;
  for (auto it = fs::directory_iterator("/proc/" + pid + "/fd", ec); !ec && it != fs::directory_iterator();
       it.increment(ec))
    ++n;
  return n;
}

// Processes whose command line names one of our ids (a runtime's init or shim), with their fds.
void ProcessesNaming(const std::string& prefix, std::vector<int>& pids) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmd = base::ReadFile("/proc/" + name + "/cmdline").value_or("");
    if (cmd.find(prefix) != std::string::npos) pids.push_back(std::stoi(name));
  }
}

// A recorded init pid that is alive is still ours (not reused by the host after thousands of
// lifecycles) when it sits in one of our cgroups or still runs the probe's marker program.
bool OursStill(int pid, const std::string& prefix) {
  std::string dir = "/proc/" + std::to_string(pid);
  return base::ReadFile(dir + "/cgroup").value_or("").find(prefix) != std::string::npos ||
         base::ReadFile(dir + "/cmdline").value_or("").find("/oct/marks.log") != std::string::npos;
}

struct Census {
  int processes = 0, process_fds = 0, mounts = 0, cgroups = 0, state_entries = 0, listed = 0;
  int Total() const { return processes + mounts + cgroups + state_entries + listed; }
  std::string Describe() const {
    return fmt::format("processes {} (holding {} fds), mounts {}, cgroups {}, state folders {}, listed {}", processes,
                       process_fds, mounts, cgroups, state_entries, listed);
  }
};

int MountsNaming(const std::string& text) {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  int n = 0;
  while (std::getline(in, line)) n += line.find(text) != std::string::npos;
  return n;
}

int CgroupsOf(const std::vector<std::string>& ids) {
  int n = 0;
  std::error_code ec;
  std::vector<std::string> roots = {"/sys/fs/cgroup"};
  for (const auto& e : fs::directory_iterator("/sys/fs/cgroup", ec))
    if (e.is_directory(ec)) roots.push_back(e.path().string());
  for (const std::string& id : ids)
    for (const std::string& r : roots) n += fs::exists(r + "/" + id, ec);
  return n;
}

// What the harness holds before the lifecycles: its fds, mounts under the run's work folder.
struct Baseline {
  int fds = CountFds("self");
  int work_mounts = 0;
};

Census Count(CaseContext& ctx, const std::string& prefix, const std::vector<std::string>& ids,
             const std::vector<int>& pids, const Baseline& baseline) {
  Census c;
  std::vector<int> alive;
  for (int pid : pids)
    if (pid > 0 && PidAlive(pid) && OursStill(pid, prefix)) alive.push_back(pid);
  ProcessesNaming(prefix, alive);
  std::sort(alive.begin(), alive.end());
  alive.erase(std::unique(alive.begin(), alive.end()), alive.end());
  c.processes = static_cast<int>(alive.size());
  for (int pid : alive) c.process_fds += CountFds(std::to_string(pid));
  c.mounts = MountsNaming(prefix) + MountsNaming(ctx.scratch() + "/soak") +
             std::max(0, MountsNaming(ctx.env().work_dir) - baseline.work_mounts);
  c.cgroups = CgroupsOf(ids);
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(ctx.rt().state_root(), ec))
    c.state_entries += e.path().filename().string().find(prefix) != std::string::npos;
  const Call& list = ctx.rt().Run({"list", "-q"}, Quiet());
  std::istringstream in(list.inv.stdout_text);
  for (std::string id; in >> id;) c.listed += id.find(prefix) != std::string::npos;
  return c;
}

// Leaks are reported, then handed to cleanup: ids still listed or owning a cgroup are tracked (they
// are ours: the prefix is this case's own id).
void CensusAndTrack(CaseContext& ctx, const std::string& what, const std::string& prefix,
                    const std::vector<std::string>& ids, const std::vector<int>& pids, const Baseline& baseline,
                    double seconds) {
  Census c = Count(ctx, prefix, ids, pids, baseline);
  int fd_delta = CountFds("self") - baseline.fds;
  ctx.Note(fmt::format("{} in {:.1f} s ({:.1f}/s); leaks: {}, harness fds {:+d}", what, seconds,
                       seconds > 0 ? static_cast<double>(ids.size()) / seconds : 0.0, c.Describe(), fd_delta));
  ctx.Check(c.Total() == 0, what + ": left behind: " + c.Describe());
  ctx.Check(fd_delta <= 0, fmt::format("{}: the harness holds {} more fds than before", what, fd_delta));
  if (c.Total() == 0) return;
  for (const std::string& id : ids)
    if (ctx.rt().Run({"state", id}, Quiet()).ok() || CgroupsOf({id}) > 0) ctx.Track(id);
}

void Sequential(CaseContext& ctx) {
  Container base = ctx.NewContainer("soak");
  const int n = ctx.env().soak_lifecycles;
  Baseline baseline{CountFds("self"), MountsNaming(ctx.env().work_dir)};
  Failures failures;
  std::vector<std::string> ids;
  std::vector<int> pids;
  auto t0 = Clock::now();
  for (int i = 0; i < n && !Interrupted(); ++i) {
    Container c = Variant(ctx, base, fmt::format("{}-{}", base.id, i));
    ids.push_back(c.id);
    pids.push_back(Lifecycle(ctx, c, failures));
  }
  double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  if (Interrupted()) throw CaseAbort{CaseAbort::kError, "interrupted"};
  ctx.Check(failures.count() == 0, fmt::format("{} failures in {} lifecycles: {}", failures.count(), n,
                                               failures.Describe()));
  CensusAndTrack(ctx, fmt::format("{} sequential lifecycles", n), base.id + "-", ids, pids, baseline, seconds);
}

void Concurrent(CaseContext& ctx) {
  Container base = ctx.NewContainer("soakp");
  const int m = ctx.env().soak_parallel;
  Baseline baseline{CountFds("self"), MountsNaming(ctx.env().work_dir)};
  Failures failures;
  std::vector<Container> containers;
  for (int i = 0; i < m; ++i) containers.push_back(Variant(ctx, base, fmt::format("{}-{}", base.id, i)));
  std::vector<int> pids(m, 0);
  std::vector<std::thread> threads;
  auto t0 = Clock::now();
  for (int i = 0; i < m; ++i)
    threads.emplace_back([&, i] { pids[i] = Lifecycle(ctx, containers[i], failures); });
  for (std::thread& t : threads) t.join();
  double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  ctx.Check(failures.count() == 0, fmt::format("{} failures in {} concurrent lifecycles: {}", failures.count(), m,
                                               failures.Describe()));
  std::vector<std::string> ids;
  for (const Container& c : containers) ids.push_back(c.id);
  CensusAndTrack(ctx, fmt::format("{} concurrent lifecycles", m), base.id + "-", ids, pids, baseline, seconds);
}

Case Make(std::string name, std::string title, std::vector<std::string> reqs, std::function<void(CaseContext&)> run) {
  Case c;
  c.suite = "soak";
  c.id = "soak." + name;
  c.title = std::move(title);
  c.requirements = std::move(reqs);
  c.run = std::move(run);
  c.timeout = std::chrono::hours(2);  // sized by --soak-*; every command still has its own timeout
  c.exclusive = true;
  c.host_side = true;
  c.opt_in = true;
  return c;
}

}  // namespace

void AddSoakCases(std::vector<Case>& out) {
  out.push_back(Make("sequential",
                     "--soak-lifecycles sequential lifecycles (default 1000) succeed and leave no process, mount, "
                     "cgroup, state folder or fd",
                     {"SoakSequential", "DeleteResImplement", "UndoCreateSteps"}, Sequential));
  out.push_back(Make("concurrent",
                     "--soak-parallel concurrent lifecycles (default 64) succeed and leave no process, mount, "
                     "cgroup, state folder or fd",
                     {"SoakConcurrent", "DeleteResImplement", "StateIDUniq"}, Concurrent));
}

}  // namespace conform
