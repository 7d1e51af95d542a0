// hooks: all six kinds (prestart, createRuntime, createContainer, startContainer, poststart, poststop).
// Every hook is the probe in hook mode: it appends {kind, namespaces, state from stdin} to a log, so
// the order, the namespace each ran in and the state it got are checked after the fact.
#include <map>
#include <thread>

#include "conformance/case.h"
#include "conformance/cgroups.h"
#include "conformance/helpers.h"

namespace conform {
namespace {

using Json = nlohmann::json;

const char* const kKinds[] = {"prestart", "createRuntime", "createContainer", "startContainer", "poststart",
                              "poststop"};

Json Hook(CaseContext& ctx, const Container& c, const std::string& kind, const std::vector<std::string>& extra = {}) {
  // <rootfs>/bin/probe resolves on the host and, through a link the runner adds, inside the container.
  Json args = {"probe", "hook", kind, c.oct_dir + "/hooks.log"};
  for (const std::string& e : extra) args.push_back(e);
  return Json{{"path", ctx.env().rootfs + "/bin/probe"}, {"args", args}};
}

// slow_start_container: the startContainer hook logs 300 ms late, so a runtime that runs poststart
// hooks without waiting for the program (hence for startContainer) is seen to do so every time.
void AddAllHooks(CaseContext& ctx, Container& c, bool slow_start_container = false) {
  c.config["hooks"]["prestart"] = {Hook(ctx, c, "prestart-1"), Hook(ctx, c, "prestart-2")};
  for (const char* kind : {"createRuntime", "createContainer", "poststart", "poststop"})
    c.config["hooks"][kind] = {Hook(ctx, c, kind)};
  c.config["hooks"]["startContainer"] = {
      Hook(ctx, c, "startContainer", slow_start_container ? std::vector<std::string>{"--delay-ms", "300"}
                                                           : std::vector<std::string>{})};
  c.config["process"]["args"] = {"/bin/probe", "mark", "/oct/hooks.log", "program", "--sleep", "3600"};
}

std::vector<std::string> Kinds(const Container& c) {
  std::vector<std::string> out;
  for (const Json& line : ReadJsonLines(c.oct_dir + "/hooks.log")) out.push_back(line.value("kind", "?"));
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& e : v) s += (s.empty() ? "" : ",") + e;
  return s;
}

// Runs create, start, kill, delete with every hook; returns the host mount namespace and the
// container's (read between create and start).
struct HookedRun {
  std::string host_mnt, container_mnt;
  std::vector<std::string> after_create, after_start;
};

HookedRun RunHookedLifecycle(CaseContext& ctx, Container& c, bool slow_start_container = false) {
  HookedRun run;
  AddAllHooks(ctx, c, slow_start_container);
  int pid = MakeStatus(ctx, c, "created");
  run.host_mnt = NamespaceOf("self", "mnt");
  run.container_mnt = NamespaceOf(std::to_string(pid), "mnt");
  run.after_create = Kinds(c);
  StartOk(ctx, c.id);
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (Join(Kinds(c)).find("program") == std::string::npos && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  run.after_start = Kinds(c);
  const Call& kill = ctx.rt().Run({"kill", c.id, "KILL"});
  ctx.Require(kill.ok(), "kill failed: " + Describe(kill));
  ctx.Require(WaitForStatus(ctx, c.id, "stopped"), "the container did not stop");
  const Call& del = ctx.rt().Run({"delete", c.id});
  ctx.Require(del.ok(), "delete failed: " + Describe(del));
  return run;
}

Case Make(std::string id, std::string title, std::vector<std::string> reqs, std::function<void(CaseContext&)> run,
          bool host_side = false) {
  Case c;
  c.suite = "hooks";
  c.id = "hooks." + id;
  c.title = std::move(title);
  c.requirements = std::move(reqs);
  c.run = std::move(run);
  c.host_side = host_side;
  return c;
}

void CheckOrder(CaseContext& ctx, Container& c) {
  HookedRun run = RunHookedLifecycle(ctx, c, /*slow_start_container=*/true);
  ctx.Check(Join(run.after_create) == "prestart-1,prestart-2,createRuntime,createContainer",
            "after create the hooks that ran are [" + Join(run.after_create) +
                "], want [prestart-1,prestart-2,createRuntime,createContainer]");
  std::vector<std::string> all = Kinds(c);
  std::string s = Join(all);
  // After start: startContainer before the program; poststart after startContainer. poststop last.
  auto pos = [&](const std::string& k) {
    for (size_t i = 0; i < all.size(); ++i)
      if (all[i] == k) return static_cast<int>(i);
    return -1;
  };
  for (const char* k : {"startContainer", "program", "poststart", "poststop"})
    ctx.Check(pos(k) >= 0, std::string(k) + " never ran: [" + s + "]");
  ctx.Check(pos("startContainer") < pos("program"), "startContainer did not run before the program: [" + s + "]");
  // startContainer runs before the program is executed, poststart after it (runtime.md#lifecycle
  // steps 7-9): startContainer first, however slow it is (it logs 300 ms late here).
  ctx.Check(pos("startContainer") < pos("poststart"), "poststart ran before startContainer had finished: [" + s + "]");
  ctx.Check(Join(run.after_start).find("poststart") != std::string::npos,
            "poststart had not run when start returned");
  ctx.Check(!all.empty() && all.back() == "poststop", "poststop is not the last hook: [" + s + "]");
  ctx.Check(all.size() == 8, "hooks ran more or fewer times than configured: [" + s + "]");
}

void CheckNamespaces(CaseContext& ctx, Container& c) {
  HookedRun run = RunHookedLifecycle(ctx, c);
  for (const Json& line : ReadJsonLines(c.oct_dir + "/hooks.log")) {
    std::string kind = line.value("kind", "");
    if (kind == "program") continue;
    std::string mnt = line["namespaces"].value("mnt", "");
    bool in_container = kind == "createContainer" || kind == "startContainer";
    if (in_container)
      ctx.Check(mnt == run.container_mnt, kind + " hook did not run in the container mount namespace");
    else
      ctx.Check(mnt == run.host_mnt, kind + " hook did not run in the runtime mount namespace");
  }
}

void CheckState(CaseContext& ctx, Container& c) {
  RunHookedLifecycle(ctx, c);
  int lines = 0;
  for (const Json& line : ReadJsonLines(c.oct_dir + "/hooks.log")) {
    std::string kind = line.value("kind", "");
    if (kind == "program") continue;
    ++lines;
    const Json& st = line["state"];
    if (!ctx.Check(line.value("state_valid_json", false) && st.is_object(), kind + " hook got no JSON state on stdin"))
      continue;
    ctx.Check(st.value("id", "") == c.id, kind + " hook state.id is " + st["id"].dump());
    ctx.Check(st.value("bundle", "") == c.bundle, kind + " hook state.bundle is " + st["bundle"].dump());
    ctx.Check(st["ociVersion"].is_string() && st["status"].is_string(), kind + " hook state lacks ociVersion/status");
    if (kind != "poststop")
      ctx.Check(st["pid"].is_number_integer() && st["pid"].get<int>() > 0, kind + " hook state has no pid");
  }
  ctx.Check(lines == 7, "expected 7 hook runs, saw " + std::to_string(lines));
}

int Count(const Container& c, const std::string& kind) {
  int n = 0;
  for (const std::string& k : Kinds(c)) n += k == kind;
  return n;
}

// After a failing hook the lifecycle goes on at step 12 (runtime.md#lifecycle): the container is
// destroyed (its process and cgroup gone), then the poststop hooks run, once.
void CheckTornDown(CaseContext& ctx, const Container& c, const std::string& kind, int pid) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3) * ctx.profile().timeout_scale;
  while (pid > 0 && PidAlive(pid) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ctx.Check(pid <= 0 || !PidAlive(pid), "after the failing " + kind + " hook the container process " +
                                            std::to_string(pid) + " still runs");
  std::string left;
  for (const std::string& d : cgroups::Existing(cgroups::HostLayout(), c.CgroupsPath())) left += " " + d;
  ctx.Check(left.empty(), "after the failing " + kind + " hook the container's cgroup is still there:" + left);
  std::string s = Join(Kinds(c));
  ctx.Check(Count(c, "poststop") == 1, "after the failing " + kind + " hook the lifecycle must go on at step 12 "
                                       "and run the poststop hook once; hooks that ran: [" + s + "]");
}

// A failing hook of this kind: the operation errors, the container is stopped and destroyed, and the
// poststop hook still runs (CheckTornDown). A failing poststop hook is a warning only: delete
// succeeds and the next poststop hook runs.
void CheckFailure(CaseContext& ctx, const std::string& kind) {
  Container c = ctx.NewContainer("fail-" + kind);
  c.config["hooks"][kind] = {Hook(ctx, c, kind, {"--fail"})};
  if (kind == "poststop")
    c.config["hooks"]["poststop"] = {Hook(ctx, c, "poststop-1", {"--fail"}), Hook(ctx, c, "poststop-2")};
  else
    c.config["hooks"]["poststop"] = {Hook(ctx, c, "poststop")};
  c.config["process"]["args"] = {"/bin/probe", "mark", "/oct/hooks.log", "program", "--sleep", "3600"};
  bool at_create = kind == "prestart" || kind == "createRuntime" || kind == "createContainer";
  if (at_create) {
    ExpectCreateRefused(ctx, c, "create with a failing " + kind + " hook");
    ctx.Check(!State(ctx, c.id).has_value(), "a failed create left the container behind");
    ctx.Check(Count(c, "program") == 0, "the program ran despite the failing " + kind + " hook");
    CheckTornDown(ctx, c, kind, 0);
    return;
  }
  int pid = MakeStatus(ctx, c, "created");
  if (kind == "poststop") {
    const Call& kill = ctx.rt().Run({"kill", c.id, "KILL"});
    ctx.Require(kill.ok() && WaitForStatus(ctx, c.id, "stopped"), "the container did not stop");
    const Call& del = ctx.rt().Run({"delete", c.id});
    ctx.Check(del.ok(), "a failing poststop hook must only warn; delete returned " + Describe(del));
    ctx.Check(!State(ctx, c.id).has_value(), "delete with a failing poststop hook left the container");
    std::string s = Join(Kinds(c));
    ctx.Check(Count(c, "poststop-2") == 1, "the poststop hook after the failing one must still run once; hooks "
                                           "that ran: [" + s + "]");
    return;
  }
  ExpectRefusal(ctx, {"start", c.id}, "start with a failing " + kind + " hook");
  std::string status = StatusOf(ctx, c.id);
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (PidAlive(pid) && status != "" && status != "stopped" && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    status = StatusOf(ctx, c.id);
  }
  ctx.Check(status == "" || status == "stopped", "after the failed " + kind + " hook the container is " + status +
                                                      ", want stopped or deleted");
  if (kind == "startContainer")
    ctx.Check(Join(Kinds(c)).find("program") == std::string::npos, "the program ran despite the failing hook");
  if (status == "stopped") {  // not destroyed yet: delete finishes steps 12-13
    const Call& del = ctx.rt().Run({"delete", c.id});
    ctx.Check(del.ok(), "delete of the stopped container failed: " + Describe(del));
  }
  CheckTornDown(ctx, c, kind, pid);
}

// Runtime-spec before 1.3: a failing poststart hook is a warning; the remaining hooks and the
// lifecycle continue as if it had succeeded. (The warning itself is not observed: runtimes log it
// to different places.)
void CheckPoststartWarns(CaseContext& ctx) {
  Container c = ctx.NewContainer("fail-poststart-warn");
  c.config["hooks"]["poststart"] = {Hook(ctx, c, "poststart-1", {"--fail"}), Hook(ctx, c, "poststart-2")};
  c.config["process"]["args"] = {"/bin/probe", "mark", "/oct/hooks.log", "program", "--sleep", "3600"};
  MakeStatus(ctx, c, "created");
  const Call& start = ctx.rt().Run({"start", c.id});
  ctx.Check(start.ok(), "start with a failing poststart hook must succeed (a warning only before runtime-spec 1.3), "
                        "got " + Describe(start));
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  auto seen = [&] {
    std::string s = Join(Kinds(c));
    return s.find("program") != std::string::npos && s.find("poststart-2") != std::string::npos;
  };
  while (!seen() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::string s = Join(Kinds(c));
  ctx.Check(s.find("poststart-2") != std::string::npos, "the remaining poststart hook did not run: [" + s + "]");
  ctx.Check(s.find("program") != std::string::npos, "the program did not run: [" + s + "]");
  std::string status = StatusOf(ctx, c.id);
  ctx.Check(status == "running", "after the failing poststart hook the container is " +
                                     (status.empty() ? std::string("gone") : status) + ", want running");
}

}  // namespace

void AddHooksCases(std::vector<Case>& out) {
  out.push_back(Make("order", "all six kinds run once each, in the lifecycle's order and in list order",
                     {"PosixHooksCalledInOrder", "PrestartHooksInvoke", "CreateRuntimeHooksInvoke",
                      "CreateContainerHooksInvoke", "StartContainerHooksInvoke", "PoststartHooksInvoke",
                      "PoststopHooksInvoke", "PrestartTiming", "PoststartTiming", "PoststopTiming"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("order");
                       CheckOrder(ctx, c);
                     }));
  out.push_back(Make("namespaces", "createContainer/startContainer run in the container, the others in the runtime namespace",
                     {"CreateRuntimeTimingNamespace", "CreateContainerTimingNamespace", "StartContainerTimingNamespace",
                      "PrestartTiming", "PoststartTiming"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("ns");
                       CheckNamespaces(ctx, c);
                     }, true));
  out.push_back(Make("state-stdin", "every hook gets the container state as JSON on stdin",
                     {"PosixHooksStateToStdin"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("state");
                       CheckState(ctx, c);
                     }));
  const std::map<std::string, std::vector<std::string>> fail_reqs = {
      {"prestart", {"PrestartHookFailGenError", "ErrorsLeaveStateUnchange", "UndoCreateSteps", "PoststopHooksInvoke"}},
      {"createRuntime", {"CreateRuntimeHookFailGenError", "UndoCreateSteps", "PoststopHooksInvoke"}},
      {"createContainer", {"CreateContainerHookFailGenError", "UndoCreateSteps", "PoststopHooksInvoke"}},
      {"startContainer", {"StartContainerHookFailGenError", "UndoCreateSteps", "PoststopHooksInvoke"}},
      {"poststart", {"PoststartHookFailGenError", "UndoCreateSteps", "PoststopHooksInvoke"}},
      {"poststop", {"PoststopHookFailGenWarn", "WarnsLeaveFlowUnchange"}},
  };
  for (const char* kind : kKinds) {
    out.push_back(Make(std::string("fail.") + kind,
                       std::string("a failing ") + kind + " hook " +
                           (std::string(kind) == "poststop" ? "is a warning only" : "fails the operation and stops the container"),
                       fail_reqs.at(kind), [kind](CaseContext& ctx) { CheckFailure(ctx, kind); }));
    // runtime-spec 1.3 made a failing poststart hook an error (commit c6b3b08); before, a warning.
    if (std::string(kind) == "poststart") out.back().spec_min = "1.3.0";
  }
  out.push_back(Make("fail.poststart-warns", "a failing poststart hook is a warning; the other hooks and the lifecycle go on",
                     {"PoststartHookFailGenWarn", "WarnsLeaveFlowUnchange"}, CheckPoststartWarns));
  out.back().spec_before = "1.3.0";
  out.push_back(Make("timeout", "a hook that outlives its timeout is killed and fails create",
                     {"PosixHooksTimeoutKill"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("timeout");
                       Json h = Hook(ctx, c, "createRuntime", {"--sleep", "30"});
                       h["timeout"] = 1;
                       c.config["hooks"]["createRuntime"] = {h};
                       auto t0 = std::chrono::steady_clock::now();
                       const Call& create = Create(ctx, c);
                       double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                       ctx.Check(create.failed(), "create with a timed-out hook must fail, got " + Describe(create));
                       ctx.Check(took < 8, "create took " + std::to_string(took) + " s: the 1 s hook timeout was not enforced");
                       ctx.Check(!State(ctx, c.id).has_value(), "a failed create left the container behind");
                     }));
}

}  // namespace conform
