#include "bench/operations.h"

#include <algorithm>
#include <thread>

namespace ocicert::bench {

std::atomic<uint64_t> Fixture::counter_{0};

base::Status Timer::Add(const base::Result<CallCost>& call) {
  if (!call.ok()) return call.status();
  wall += call->wall;
  peak_rss_kb = std::max(peak_rss_kb, call->peak_rss_kb);
  return base::Status::Ok();
}

void ContainerRegistry::Add(const RuntimeCli* rt, const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  live_.insert({rt, id});
}

void ContainerRegistry::Remove(const RuntimeCli* rt, const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  live_.erase({rt, id});
}

int ContainerRegistry::DeleteAll() {
  std::set<std::pair<const RuntimeCli*, std::string>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    live.swap(live_);
  }
  int failed = 0;
  for (const auto& [rt, id] : live) {
    if (rt->Delete(id, true).ok()) continue;
    if (rt->Status(id).status().ok()) ++failed;  // still known to the runtime: really left behind
  }
  return failed;
}

Fixture::Fixture(const RuntimeCli& rt, Bundles& bundles, ContainerRegistry& registry, std::string id_prefix)
    : rt_(rt), bundles_(bundles), registry_(registry), id_prefix_(std::move(id_prefix)) {}

Fixture::~Fixture() {
  if (!shared_.empty()) Remove(shared_).IgnoreError();
}

std::string Fixture::NewId() { return id_prefix_ + "-" + std::to_string(counter_.fetch_add(1)); }

base::Result<std::string> Fixture::Launch(bool start) {
  std::string id = NewId();
  ASSIGN_OR_RETURN(std::string bundle, Bundle(id, Program::kSleep));
  Track(id);
  base::Result<CallCost> created = rt_.Create(id, bundle);
  if (!created.ok()) {
    Remove(id).IgnoreError();
    return created.status();
  }
  if (start) {
    base::Result<CallCost> started = rt_.Start(id);
    if (!started.ok()) {
      Remove(id).IgnoreError();
      return started.status();
    }
  }
  return id;
}

base::Status Fixture::Remove(const std::string& id) {
  base::Result<CallCost> r = rt_.Delete(id, true);
  Forget(id);
  return r.status();
}

void Fixture::Forget(const std::string& id) {
  registry_.Remove(&rt_, id);
  bundles_.Release(id);
}

base::Status Fixture::Finish(const std::string& id, base::Status timed) {
  if (timed.ok()) {
    Forget(id);
  } else {
    Remove(id).IgnoreError();
  }
  return timed;
}

base::Result<std::string> Fixture::Shared() {
  if (shared_.empty()) {
    ASSIGN_OR_RETURN(shared_, Launch(true));
  }
  return shared_;
}

namespace {

base::Status OpCreate(Fixture& f, Timer& t) {
  std::string id = f.NewId();
  ASSIGN_OR_RETURN(std::string bundle, f.Bundle(id, Program::kSleep));
  f.Track(id);
  base::Status s = t.Add(f.rt().Create(id, bundle));
  base::Status removed = f.Remove(id);
  RETURN_IF_ERROR(s);
  return removed;
}

base::Status OpStart(Fixture& f, Timer& t) {
  ASSIGN_OR_RETURN(std::string id, f.Launch(false));
  base::Status s = t.Add(f.rt().Start(id));
  f.Remove(id).IgnoreError();
  return s;
}

base::Status OpState(Fixture& f, Timer& t) {
  ASSIGN_OR_RETURN(std::string id, f.Shared());
  return t.Add(f.rt().State(id));
}

base::Status OpExecDetached(Fixture& f, Timer& t) {
  ASSIGN_OR_RETURN(std::string id, f.Shared());
  return t.Add(f.rt().Exec(id, f.ExecArgs(), true));
}

base::Status OpExecForeground(Fixture& f, Timer& t) {
  ASSIGN_OR_RETURN(std::string id, f.Shared());
  return t.Add(f.rt().Exec(id, f.ExecArgs(), false));
}

base::Status OpKill(Fixture& f, Timer& t) {
  ASSIGN_OR_RETURN(std::string id, f.Launch(true));
  base::Status s = t.Add(f.rt().Kill(id, "KILL"));
  f.Remove(id).IgnoreError();
  return s;
}

base::Status OpDelete(Fixture& f, Timer& t) {
  ASSIGN_OR_RETURN(std::string id, f.Launch(true));
  base::Status ready = f.rt().Kill(id, "KILL").status();
  if (ready.ok()) ready = f.rt().WaitStopped(id, std::chrono::seconds(10));
  if (!ready.ok()) {
    f.Remove(id).IgnoreError();
    return ready;
  }
  return f.Finish(id, t.Add(f.rt().Delete(id, false)));
}

base::Status OpPause(Fixture& f, Timer& t) {
  ASSIGN_OR_RETURN(std::string id, f.Shared());
  RETURN_IF_ERROR(t.Add(f.rt().Pause(id)));
  return f.rt().Resume(id).status();
}

base::Status OpResume(Fixture& f, Timer& t) {
  ASSIGN_OR_RETURN(std::string id, f.Shared());
  RETURN_IF_ERROR(f.rt().Pause(id).status());
  return t.Add(f.rt().Resume(id));
}

base::Status OpPs(Fixture& f, Timer& t) {
  ASSIGN_OR_RETURN(std::string id, f.Shared());
  return t.Add(f.rt().Ps(id));
}

base::Status OpRunTrue(Fixture& f, Timer& t) {
  std::string id = f.NewId();
  ASSIGN_OR_RETURN(std::string bundle, f.Bundle(id, Program::kTrue));
  f.Track(id);
  return f.Finish(id, t.Add(f.rt().Run(id, bundle)));  // `run` deletes on exit
}

base::Status OpLifecycle(Fixture& f, Timer& t) {
  std::string id = f.NewId();
  ASSIGN_OR_RETURN(std::string bundle, f.Bundle(id, Program::kSleep));
  f.Track(id);
  base::Status s = t.Add(f.rt().Create(id, bundle));
  if (s.ok()) s = t.Add(f.rt().Start(id));
  if (s.ok()) s = t.Add(f.rt().State(id));
  if (s.ok()) s = t.Add(f.rt().Kill(id, "KILL"));
  if (s.ok()) s = t.Add(f.rt().Delete(id, true));
  return f.Finish(id, s);
}

}  // namespace

const std::vector<Operation>& AllOperations() {
  static const std::vector<Operation> kOps = {
      {"create", "create of a sleep container (delete untimed)", OpCreate},
      {"start", "start of a created container", OpStart},
      {"state", "state of a running container", OpState},
      {"exec_detached", "exec --detach of a program that exits at once (/bin/true; cmd /c exit 0 on Windows) in a running container", OpExecDetached},
      {"exec_foreground", "exec of a program that exits at once, waiting for it", OpExecForeground},
      {"kill", "kill KILL of a running container", OpKill},
      {"delete", "delete of a stopped container", OpDelete},
      {"pause", "pause of a running container (resume untimed)", OpPause},
      {"resume", "resume of a paused container (pause untimed)", OpResume},
      {"ps", "ps --format json of a running container", OpPs},
      {"run_true", "run of a program that exits at once (create, start, wait, delete)", OpRunTrue},
      {"lifecycle", "create, start, state, kill, delete --force", OpLifecycle},
  };
  return kOps;
}

const Operation* FindOperation(const std::string& name) {
  for (const Operation& op : AllOperations())
    if (name == op.name) return &op;
  return nullptr;
}

base::Status ConcurrentLifecycles(Fixture& f, Timer& t, int threads) {
  std::vector<Timer> timers(static_cast<size_t>(threads));
  std::vector<base::Status> results(static_cast<size_t>(threads));
  auto t0 = std::chrono::steady_clock::now();
  {
    std::vector<std::jthread> workers;
    for (size_t i = 0; i < timers.size(); ++i)
      workers.emplace_back([&, i] { results[i] = OpLifecycle(f, timers[i]); });
  }
  t.wall += std::chrono::steady_clock::now() - t0;
  for (const Timer& w : timers) t.peak_rss_kb = std::max(t.peak_rss_kb, w.peak_rss_kb);
  for (const base::Status& s : results) RETURN_IF_ERROR(s);
  return base::Status::Ok();
}

}  // namespace ocicert::bench
