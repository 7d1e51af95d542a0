// stress: N lifecycles at once (create, start, state, pause, resume, kill, delete) against one
// runtime; afterwards nothing may be left: no container in list, no process, no cgroup, no mount.
#include <filesystem>
#include <fstream>
#include <thread>

#include "conformance/case.h"
#include "conformance/cgroups.h"
#include "conformance/helpers.h"

namespace conform {
namespace {

constexpr int kParallel = 8;

void Lifecycle(CaseContext& ctx, Container& c, int& pid_out) {
  const Call& create = Create(ctx, c);
  if (!ctx.Check(create.ok(), c.id + ": create failed: " + Describe(create))) return;
  auto st = State(ctx, c.id);
  pid_out = st ? st->value("pid", 0) : 0;
  for (std::vector<std::string> op : std::vector<std::vector<std::string>>{
           {"start", c.id}, {"pause", c.id}, {"resume", c.id}, {"kill", c.id, "KILL"}}) {
    const Call& call = ctx.rt().Run(op);
    if (!ctx.Check(call.ok(), c.id + ": " + op[0] + " failed: " + Describe(call))) return;
  }
  if (!ctx.Check(WaitForStatus(ctx, c.id, "stopped"), c.id + ": did not stop")) return;
  const Call& del = ctx.rt().Run({"delete", c.id});
  ctx.Check(del.ok(), c.id + ": delete failed: " + Describe(del));
}

bool MountedUnder(const std::string& prefix) {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.find(" " + prefix) != std::string::npos) return true;
  return false;
}

void Stress(CaseContext& ctx) {
  std::vector<Container> containers;
  for (int i = 0; i < kParallel; ++i) containers.push_back(ctx.NewContainer("stress"));
  for (Container& c : containers) ctx.WriteConfig(c);
  std::vector<int> pids(kParallel, 0);
  std::vector<std::thread> threads;
  std::vector<std::string> aborted(kParallel);
  for (int i = 0; i < kParallel; ++i) {
    threads.emplace_back([&, i] {
      try {
        Lifecycle(ctx, containers[i], pids[i]);
      } catch (const CaseAbort& a) {
        aborted[i] = a.message;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& a : aborted) ctx.Require(a.empty(), a);
  const Call& list = ctx.rt().Run({"list", "-q"});
  ctx.Check(list.ok() && list.inv.stdout_text.empty(), "list after the run is not empty: " + list.inv.stdout_text);
  cgroups::Layout layout = cgroups::HostLayout();
  for (int i = 0; i < kParallel; ++i) {
    ctx.Check(!PidAlive(pids[i]), containers[i].id + ": process " + std::to_string(pids[i]) + " still runs");
    for (const std::string& dir : cgroups::Existing(layout, containers[i].CgroupsPath()))
      ctx.Check(false, containers[i].id + ": cgroup left behind: " + dir);
  }
  ctx.Check(!MountedUnder(ctx.env().rootfs), "mounts left under the rootfs");
}

}  // namespace

void AddStressCases(std::vector<Case>& out) {
  Case c;
  c.suite = "stress";
  c.id = "stress.parallel-lifecycles";
  c.title = std::to_string(kParallel) + " parallel lifecycles leave no container, process, cgroup or mount behind";
  c.requirements = {"DeleteResImplement", "UndoCreateSteps", "StateIDUniq", "CgroupsPathAttach"};
  c.run = Stress;
  c.timeout = std::chrono::seconds(60);
  c.exclusive = true;
  c.host_side = true;
  out.push_back(std::move(c));
}

}  // namespace conform
