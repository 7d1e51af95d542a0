// hooks: all six kinds (prestart, createRuntime, createContainer, startContainer, poststart, poststop).
// Every hook is the probe in hook mode: it appends {kind, namespaces, state from stdin} to a log, so
// the order, the namespace each ran in and the state it got are checked after the fact.
#include <map>
#include <thread>

#include "conformance/case.h"
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

void AddAllHooks(CaseContext& ctx, Container& c) {
  c.config["hooks"]["prestart"] = {Hook(ctx, c, "prestart-1"), Hook(ctx, c, "prestart-2")};
  for (const char* kind : {"createRuntime", "createContainer", "startContainer", "poststart", "poststop"})
    c.config["hooks"][kind] = {Hook(ctx, c, kind)};
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

HookedRun RunHookedLifecycle(CaseContext& ctx, Container& c) {
  HookedRun run;
  AddAllHooks(ctx, c);
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
  HookedRun run = RunHookedLifecycle(ctx, c);
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
  // startContainer (in the container) and poststart (in the runtime) race in every runtime here once
  // start has released the container; their relative order is not checked, to keep verdicts stable.
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

// A failing hook of this kind: the operation errors and the container is stopped and destroyed.
void CheckFailure(CaseContext& ctx, const std::string& kind) {
  Container c = ctx.NewContainer("fail-" + kind);
  c.config["hooks"][kind] = {Hook(ctx, c, kind, {"--fail"})};
  c.config["process"]["args"] = {"/bin/probe", "mark", "/oct/hooks.log", "program", "--sleep", "3600"};
  bool at_create = kind == "prestart" || kind == "createRuntime" || kind == "createContainer";
  if (at_create) {
    const Call& create = Create(ctx, c);
    ctx.Check(create.failed(), "create with a failing " + kind + " hook must fail, got " + Describe(create));
    ctx.Check(!State(ctx, c.id).has_value(), "a failed create left the container behind");
    return;
  }
  int pid = MakeStatus(ctx, c, "created");
  if (kind == "poststop") {
    const Call& kill = ctx.rt().Run({"kill", c.id, "KILL"});
    ctx.Require(kill.ok() && WaitForStatus(ctx, c.id, "stopped"), "the container did not stop");
    const Call& del = ctx.rt().Run({"delete", c.id});
    ctx.Check(del.ok(), "a failing poststop hook must only warn; delete returned " + Describe(del));
    ctx.Check(!State(ctx, c.id).has_value(), "delete with a failing poststop hook left the container");
    return;
  }
  const Call& start = ctx.rt().Run({"start", c.id});
  ctx.Check(start.failed(), "start with a failing " + kind + " hook must fail, got " + Describe(start));
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
      {"prestart", {"PrestartHookFailGenError", "ErrorsLeaveStateUnchange"}},
      {"createRuntime", {"CreateRuntimeHookFailGenError"}},
      {"createContainer", {"CreateContainerHookFailGenError"}},
      {"startContainer", {"StartContainerHookFailGenError"}},
      {"poststart", {"PoststartHookFailGenError"}},
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
