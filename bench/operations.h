// The benchmarked operations: one function per verb, each doing its untimed setup, the timed call(s)
// through a Timer, and its untimed cleanup. The same functions serve warm-up and measurement.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "bench/runtime_cli.h"

namespace ocicert::bench {

// The timed part of one iteration: the sum of the timed calls' wall time, and the largest peak RSS
// of the runtime processes they started.
struct Timer {
  std::chrono::nanoseconds wall{0};
  int64_t peak_rss_kb = 0;
  // Adds a call's cost; passes its error through.
  base::Status Add(const base::Result<CallCost>& call);
};

// Containers a run created and has not deleted yet, so that every exit path can remove them.
class ContainerRegistry {
 public:
  void Add(const RuntimeCli* rt, const std::string& id);
  void Remove(const RuntimeCli* rt, const std::string& id);
  // Force-deletes everything still registered; returns how many could not be deleted.
  int DeleteAll();

 private:
  std::mutex mu_;
  std::set<std::pair<const RuntimeCli*, std::string>> live_;
};

// The programs the operations run: a long sleep, one that exits 0 at once, and the exec'd one.
enum class Program { kSleep, kTrue };

// Where containers' bundles come from. Linux: two bundles over one read-only rootfs, shared by every
// container (bundle.h). Windows: one bundle per container, because each needs its own scratch layer
// (windows_bundle.h). Preparing and releasing are untimed.
class Bundles {
 public:
  virtual ~Bundles() = default;
  // The bundle folder container `id` is created from, running `program`.
  virtual base::Result<std::string> Prepare(const std::string& id, Program program) = 0;
  // Removes what Prepare made for `id`; called once the container is deleted.
  virtual void Release(const std::string& id) = 0;
  // The argv `exec` runs in a running container (exits 0 at once).
  virtual std::vector<std::string> ExecArgs() const = 0;
};

// Per runtime and benchmark: where bundles come from, unique ids, and a long-running container shared
// by the operations that need one (state, exec, pause, resume, ps).
class Fixture {
 public:
  Fixture(const RuntimeCli& rt, Bundles& bundles, ContainerRegistry& registry, std::string id_prefix);
  ~Fixture();  // removes the shared container

  const RuntimeCli& rt() const { return rt_; }
  // The bundle for a new container `id` (untimed setup); released when the id is removed or forgotten.
  base::Result<std::string> Bundle(const std::string& id, Program program) { return bundles_.Prepare(id, program); }
  std::vector<std::string> ExecArgs() const { return bundles_.ExecArgs(); }

  std::string NewId();
  // Creates (and with `start`, starts) a container running the sleep program; registers it.
  base::Result<std::string> Launch(bool start);
  // delete --force, untimed; forgets the id and releases its bundle.
  base::Status Remove(const std::string& id);
  void Track(const std::string& id) { registry_.Add(&rt_, id); }
  // The runtime deleted it already (delete, run): forgets the id and releases its bundle.
  void Forget(const std::string& id);
  // After the timed calls: forgets the id when they succeeded (the container is gone), else removes it.
  base::Status Finish(const std::string& id, base::Status timed);
  // The shared running container, created on first use.
  base::Result<std::string> Shared();

 private:
  const RuntimeCli& rt_;
  Bundles& bundles_;
  ContainerRegistry& registry_;
  std::string id_prefix_;
  std::string shared_;
  static std::atomic<uint64_t> counter_;
};

using OperationFn = base::Status (*)(Fixture& f, Timer& t);

struct Operation {
  const char* name;
  const char* what;  // what the timed part covers
  OperationFn run;
};

// create, start, state, exec_detached, exec_foreground, kill, delete, pause, resume, ps, run_true,
// lifecycle, in that order.
const std::vector<Operation>& AllOperations();
const Operation* FindOperation(const std::string& name);

// `threads` lifecycles at once, each in its own thread; the timer holds the wall time of all.
base::Status ConcurrentLifecycles(Fixture& f, Timer& t, int threads);

}  // namespace ocicert::bench
