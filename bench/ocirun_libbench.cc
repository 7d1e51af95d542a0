// ocirun-libbench: the benchmarked operations through ocirun's library (ocirun_core + the Linux
// backend), without its command line, so `ocicert bench` can separate the CLI's cost.
//   ocirun-libbench measure --root R --sleep BUNDLE --true BUNDLE --op OP --iterations N --prefix P --result FILE
// writes {"samples_ns": [...], "error": "..."} to FILE. Setup and cleanup of each iteration are untimed.
//   ocirun-libbench init   is the backend's re-executed container init (as `ocirun init`).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/file.h"
#include "runtime/container/operations.h"
#include "runtime/container/pause.h"
#include "runtime/container/ps.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Ctx {
  ocirun::Runtime rt;
  std::string sleep_bundle, true_bundle, prefix;
  int next = 0;
  std::chrono::nanoseconds timed{0};

  std::string NewId() { return prefix + "-" + std::to_string(next++); }
  // Runs `fn` and adds its duration to the iteration's timed total.
  base::Status Time(const std::function<base::Status()>& fn) {
    auto t0 = Clock::now();
    base::Status s = fn();
    timed += Clock::now() - t0;
    return s;
  }
};

base::Status CreateOnly(Ctx& c, const std::string& id) {
  ocirun::CreateOptions o;
  o.id = id;
  o.bundle = c.sleep_bundle;
  return ocirun::Create(c.rt, o);
}

base::Status Launch(Ctx& c, const std::string& id) {
  RETURN_IF_ERROR(CreateOnly(c, id));
  return ocirun::Start(c.rt, id);
}

base::Status WaitStopped(Ctx& c, const std::string& id) {
  for (int i = 0; i < 5000; ++i) {
    ASSIGN_OR_RETURN(auto state, ocirun::State(c.rt, id));
    if (state.value("status", "") == "stopped") return base::Status::Ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return base::Timeout(id + " did not stop after kill");
}

base::Status Exec(Ctx& c, const std::string& id, bool detach) {
  ocirun::ExecFlags f;
  f.args = {"/bin/true"};
  f.detach = detach;
  ASSIGN_OR_RETURN(int status, ocirun::Exec(c.rt, id, f));
  return status == 0 ? base::Status::Ok() : base::Internal("exec /bin/true exited " + std::to_string(status));
}

base::Status RunTrue(Ctx& c, const std::string& id) {
  ocirun::RunOptions o;
  o.create.id = id;
  o.create.bundle = c.true_bundle;
  ASSIGN_OR_RETURN(int status, ocirun::Run(c.rt, o));
  return status == 0 ? base::Status::Ok() : base::Internal("run /bin/true exited " + std::to_string(status));
}

// One iteration of `op` on a fresh container, or on `shared` (a running container) for the read-only
// and pause-style operations.
base::Status Iterate(Ctx& c, const std::string& op, const std::string& shared) {
  auto& rt = c.rt;
  if (op == "state") return c.Time([&] { return ocirun::State(rt, shared).status(); });
  if (op == "ps") return c.Time([&] { return ocirun::Ps(rt, shared).status(); });
  if (op == "exec_detached") return c.Time([&] { return Exec(c, shared, true); });
  if (op == "exec_foreground") return c.Time([&] { return Exec(c, shared, false); });
  if (op == "pause") {
    RETURN_IF_ERROR(c.Time([&] { return ocirun::Pause(rt, shared); }));
    return ocirun::Resume(rt, shared);
  }
  if (op == "resume") {
    RETURN_IF_ERROR(ocirun::Pause(rt, shared));
    return c.Time([&] { return ocirun::Resume(rt, shared); });
  }
  std::string id = c.NewId();
  base::Status s;
  if (op == "create") {
    s = c.Time([&] { return CreateOnly(c, id); });
  } else if (op == "start") {
    s = CreateOnly(c, id);
    if (s.ok()) s = c.Time([&] { return ocirun::Start(rt, id); });
  } else if (op == "kill") {
    s = Launch(c, id);
    if (s.ok()) s = c.Time([&] { return ocirun::Kill(rt, id, 9, false); });
  } else if (op == "delete") {
    s = Launch(c, id);
    if (s.ok()) s = ocirun::Kill(rt, id, 9, false);
    if (s.ok()) s = WaitStopped(c, id);
    if (s.ok()) s = c.Time([&] { return ocirun::Delete(rt, id, false); });
  } else if (op == "run_true") {
    s = c.Time([&] { return RunTrue(c, id); });
  } else if (op == "lifecycle") {
    s = c.Time([&] {
      RETURN_IF_ERROR(Launch(c, id));
      RETURN_IF_ERROR(ocirun::State(rt, id).status());
      RETURN_IF_ERROR(ocirun::Kill(rt, id, 9, false));
      return ocirun::Delete(rt, id, true);
    });
  } else {
    return base::InvalidArgument("--op " + op + ": unknown operation");
  }
  ocirun::Delete(rt, id, true).IgnoreError();  // untimed cleanup; force on a missing id succeeds
  return s;
}

bool NeedsShared(const std::string& op) {
  return op == "state" || op == "ps" || op == "exec_detached" || op == "exec_foreground" || op == "pause" ||
         op == "resume";
}

int Measure(std::map<std::string, std::string>& flags) {
  for (const char* required : {"--root", "--sleep", "--true", "--op", "--iterations", "--prefix", "--result"})
    if (flags[required].empty()) {
      std::fprintf(stderr, "ocirun-libbench: missing %s\n", required);
      return 2;
    }
  auto backend = ocirun::MakeBackend();
  Ctx c;
  c.rt.root = flags["--root"];
  c.rt.backend = backend.get();
  c.sleep_bundle = flags["--sleep"];
  c.true_bundle = flags["--true"];
  c.prefix = flags["--prefix"];
  std::string op = flags["--op"];
  int iterations = std::atoi(flags["--iterations"].c_str());
  nlohmann::json result = {{"samples_ns", nlohmann::json::array()}, {"error", ""}};
  std::string shared;
  base::Status s;
  if (NeedsShared(op)) {
    shared = c.NewId();
    s = Launch(c, shared);
  }
  for (int i = 0; i < iterations && s.ok(); ++i) {
    c.timed = std::chrono::nanoseconds(0);
    s = Iterate(c, op, shared);
    if (s.ok()) result["samples_ns"].push_back(static_cast<double>(c.timed.count()));
  }
  if (!shared.empty()) ocirun::Delete(c.rt, shared, true).IgnoreError();
  if (!s.ok()) result["error"] = "ocirun library " + op + ": " + s.message();
  base::Status w = base::WriteFile(flags["--result"], result.dump());
  if (!w.ok()) {
    std::fprintf(stderr, "ocirun-libbench: %s\n", w.message().c_str());
    return 2;
  }
  return s.ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "init") == 0) return ocirun::MakeBackend()->RunInit();
  if (argc < 2 || std::strcmp(argv[1], "measure") != 0) {
    std::fprintf(stderr, "usage: ocirun-libbench measure --root R --sleep B --true B --op OP --iterations N "
                         "--prefix P --result FILE\n");
    return 2;
  }
  std::map<std::string, std::string> flags;
  for (int i = 2; i + 1 < argc; i += 2) flags[argv[i]] = argv[i + 1];
  return Measure(flags);
}
