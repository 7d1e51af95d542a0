// operations: the operations with missing, duplicate and invalid ids, missing or broken bundles,
// configs a runtime must refuse (and then leave nothing behind) or must accept; and the runc
// command-line behaviours containerd relies on (delete --force of a missing id, kill --all, JSON logs).
#include <filesystem>
#include <thread>

#include "base/file.h"
#include "conformance/case.h"
#include "conformance/cgroups.h"
#include "conformance/helpers.h"
#include "conformance/spec_versions.h"

namespace conform {
namespace {

using Json = nlohmann::json;

Case Make(std::string id, std::string title, std::vector<std::string> reqs, std::function<void(CaseContext&)> run) {
  Case c;
  c.suite = "operations";
  c.id = "operations." + id;
  c.title = std::move(title);
  c.requirements = std::move(reqs);
  c.run = std::move(run);
  return c;
}

std::string MissingId(CaseContext& ctx) { return "oct-conform-" + ctx.env().run_tag + "-missing-" + ctx.runtime().name; }

// The host folders of a cgroup path that exist now, in every mounted hierarchy (v1, v2, hybrid).
std::string CgroupLeft(const std::string& cgroups_path) {
  std::string dirs;
  for (const std::string& d : cgroups::Existing(cgroups::HostLayout(), cgroups_path)) dirs += (dirs.empty() ? "" : ", ") + d;
  return dirs;
}

// A create that must be refused and leave nothing: no container, no cgroup, no process.
void ExpectRefusedCreate(CaseContext& ctx, Container& c, const std::string& what) {
  ExpectCreateRefused(ctx, c, "create with " + what);
  ctx.Check(!State(ctx, c.id).has_value(), "create with " + what + " failed but left a container behind");
  std::string left = CgroupLeft(c.CgroupsPath());
  ctx.Check(left.empty(), "create with " + what + " failed but left its cgroup behind: " + left);
}

// An operation on a container that does not exist, or without an id at all.
void AddMissingIdCases(std::vector<Case>& out) {
  struct Op { const char* name; std::vector<std::string> args; std::vector<std::string> reqs; };
  const std::vector<Op> ops = {
      {"state", {"state"}, {"QueryNonExistGenError"}},
      {"start", {"start"}, {"StartNotCreatedGenError"}},
      {"kill", {"kill"}, {"KillNonCreateRunGenError"}},
      {"delete", {"delete"}, {"DeleteNonStopGenError"}},
      {"pause", {"pause"}, {"CliPauseStateErrors"}},
      {"resume", {"resume"}, {"CliPauseStateErrors"}},
      {"ps", {"ps"}, {"CliErrorExit1"}},
      {"exec", {"exec"}, {"CliExecNotRunningError"}},
  };
  for (const Op& op : ops) {
    out.push_back(Make(std::string("missing-id.") + op.name, std::string(op.name) + " of an unknown id fails",
                       op.reqs, [op](CaseContext& ctx) {
                         std::vector<std::string> args = op.args;
                         args.push_back(MissingId(ctx));
                         if (std::string(op.name) == "exec") args.push_back("/bin/true");
                         ExpectRefusal(ctx, args, std::string(op.name) + " of an unknown id");
                         // No effect: the id still names no container.
                         ctx.Check(!State(ctx, MissingId(ctx)).has_value(),
                                   std::string(op.name) + " of an unknown id was refused but a container of that id exists now");
                       }));
  }
  const std::vector<Op> no_id = {
      {"state", {"state"}, {"QueryWithoutIDGenError"}},
      {"start", {"start"}, {"StartWithoutIDGenError"}},
      {"kill", {"kill"}, {"KillWithoutIDGenError"}},
      {"delete", {"delete"}, {"DeleteWithoutIDGenError"}},
  };
  for (const Op& op : no_id) {
    out.push_back(Make(std::string("no-id.") + op.name, std::string(op.name) + " without an id fails", op.reqs,
                       [op](CaseContext& ctx) {
                         ExpectRefusal(ctx, op.args, std::string(op.name) + " without an id");
                         const Call& list = ctx.rt().Run({"list", "-q"});
                         ctx.Check(list.ok() && list.inv.stdout_text.find_first_not_of(" \n") == std::string::npos,
                                   std::string(op.name) + " without an id was refused but list shows a container: " +
                                       list.inv.stdout_text.substr(0, 200));
                       }));
  }
  out.push_back(Make("no-id.create", "create without an id, or without a bundle, fails and creates nothing",
                     {"CreateWithBundlePathAndID", "ErrorsLeaveStateUnchange"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("noid");
                       ctx.WriteConfig(c);
                       ExpectRefusal(ctx, {"create", "--bundle", c.bundle}, "create without an id");
                       // No --bundle: the runtime looks in its working folder, which holds no config.json.
                       ExpectRefusal(ctx, {"create", c.id}, "create without a bundle");
                       const Call& list = ctx.rt().Run({"list", "-q"});
                       ctx.Check(list.inv.stdout_text.find(c.id) == std::string::npos,
                                 "a refused create left a container in list");
                     }));
}

void AddCreateCases(std::vector<Case>& out) {
  out.push_back(Make("create.duplicate-id", "a second create with the same id fails and leaves the first intact",
                     {"CreateWithUniqueID", "StateIDUniq", "ErrorsLeaveStateUnchange", "CreateNewContainer"},
                     [](CaseContext& ctx) {
                       Container a = ctx.NewContainer("dup");
                       int pid = MakeStatus(ctx, a, "running");
                       Container b = ctx.NewContainer("dup2");
                       b.id = a.id;
                       ExpectCreateRefused(ctx, b, "create with a duplicate id");
                       auto st = State(ctx, a.id);
                       ctx.Require(st.has_value(), "the first container is gone after the duplicate create");
                       ctx.Check((*st)["bundle"] == a.bundle, "the duplicate create replaced the bundle");
                       ctx.Check((*st)["pid"] == pid && PidAlive(pid), "the first container's process changed");
                       ctx.Check((*st)["status"] == "running", "the first container is no longer running");
                     }));
  out.push_back(Make("create.invalid-id", "ids that are not valid (path separators, dot-dot) are refused",
                     {"CreateWithUniqueID", "ErrorsLeaveStateUnchange"}, [](CaseContext& ctx) {
                       for (std::string id : {std::string("../oct-conform-escape-") + ctx.env().run_tag,
                                              std::string("oct/conform"), std::string(".."), std::string(".")}) {
                         Container c = ctx.NewContainer("invalid");
                         c.id = id;
                         ctx.WriteConfig(c);
                         const Call& call = ctx.rt().Run({"create", "--bundle", c.bundle, id});
                         // A hostile id is never tracked: cleanup would hand it back to the runtime
                         // (`delete --force ..`). What an accepting runtime started sits in the cgroup of
                         // the generated id this bundle was made for, which cleanup removes.
                         ctx.Check(call.failed(), "create with id \"" + id + "\" must fail, got " + Describe(call));
                       }
                       std::error_code ec;
                       std::string escaped = ctx.env().work_dir + "/oct-conform-escape-" + ctx.env().run_tag;
                       ctx.Check(!std::filesystem::exists(escaped, ec), "an invalid id escaped the state root: " +
                                                                            escaped);
                     }));
  out.push_back(Make("create.missing-bundle", "create with a bundle folder that does not exist fails",
                     {"EnvCreateError", "ErrorsLeaveStateUnchange"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("nobundle");
                       ExpectRefusal(ctx, {"create", "--bundle", c.bundle + "-missing", c.id}, "create with a missing bundle");
                       ctx.Check(!State(ctx, c.id).has_value(), "the refused create left a container");
                     }));
  out.push_back(Make("create.missing-config", "create with a bundle without config.json fails",
                     {"EnvCreateError", "ErrorsLeaveStateUnchange"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("noconfig");
                       ExpectRefusal(ctx, {"create", "--bundle", c.bundle, c.id}, "create without config.json");
                       ctx.Check(!State(ctx, c.id).has_value(), "the refused create left a container");
                     }));
  out.push_back(Make("create.missing-rootfs", "create with a root.path that does not exist fails, leaving nothing",
                     {"RootPathExist", "EnvCreateError", "PropApplyFailGenError", "PropApplyFailNotCreate",
                      "ErrorsLeaveStateUnchange"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("norootfs");
                       c.config["root"]["path"] = ctx.scratch() + "/no-such-rootfs";
                       ExpectRefusedCreate(ctx, c, "a missing root.path");
                     }));
  out.push_back(Make("create.unapplicable-mount", "a mount that cannot be made fails create, leaving nothing",
                     {"PropApplyFailGenError", "PropApplyFailNotCreate", "EnvCreateError", "ErrorsLeaveStateUnchange"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("badmount");
                       c.config["mounts"].push_back({{"destination", "/mnt"}, {"type", "bind"},
                                                     {"source", ctx.scratch() + "/no-such-source"},
                                                     {"options", {"rbind"}}});
                       ExpectRefusedCreate(ctx, c, "a bind mount of a missing source");
                     }));
  out.push_back(Make("create.no-process", "a container without process cannot be started",
                     {"StartWithProcUnsetGenError", "ProcRequiredAtStart"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("noproc");
                       c.config.erase("process");
                       const Call& create = Create(ctx, c);
                       if (!create.ok()) {
                         // Refused at create: the start rule was never exercised. Not a pass.
                         ctx.Require(create.failed(), "create without process crashed or hung: " + Describe(create));
                         ctx.Skip("create refused a config without process (" + Describe(create) +
                                  "), so start without process could not be tried");
                       }
                       ExpectRefusal(ctx, {"start", c.id}, "start of a container without process");
                       std::string status = StatusOf(ctx, c.id);
                       ctx.Check(status == "created", "the refused start changed the status from created to " +
                                                          (status.empty() ? std::string("gone") : status));
                     }));
  out.push_back(Make("create.config-edit-after-create", "editing config.json after create changes nothing",
                     {"ConfigUpdatesWithoutAffect"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("edit");
                       CreateOk(ctx, c);
                       Json edited = c.config;
                       edited["process"]["args"] = {"/bin/probe", "mark", "/oct/marks.log", "edited"};
                       base::WriteFile(c.bundle + "/config.json", edited.dump(2)).IgnoreError();
                       StartOk(ctx, c.id);
                       ctx.Require(WaitForStatus(ctx, c.id, "running"), "the container is not running");
                       auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
                       while (!HasMark(c, "program") && !HasMark(c, "edited") &&
                              std::chrono::steady_clock::now() < until) {
                         std::this_thread::sleep_for(std::chrono::milliseconds(10));
                       }
                       ctx.Check(HasMark(c, "program"), "the original process did not run");
                       ctx.Check(!HasMark(c, "edited"), "the process of the edited config.json ran");
                     }));
}

// cgroupsPath "/../../<id>": a runtime may call it invalid (then create is refused with an error and
// leaves nothing, in any hierarchy), or clean it to "/<id>" (then the container's cgroup, read from
// /proc/<pid>/cgroup, is "/<id>" in every hierarchy it joins). Never a folder outside the cgroup mounts.
void InvalidCgroupsPath(CaseContext& ctx) {
  Container c = ctx.NewContainer("invalid-cgroups-path");
  c.config["linux"]["cgroupsPath"] = "/../../" + c.id;
  const Call& call = Create(ctx, c);
  cgroups::Layout layout = cgroups::HostLayout();
  ctx.Require(layout.Kind() != "none", "no cgroup hierarchy is mounted on this host");
  std::error_code ec;
  for (const std::string& dir : cgroups::Candidates(layout, c.CgroupsPath()))
    ctx.Check(cgroups::InsideHierarchy(layout, dir) || !std::filesystem::exists(dir, ec),
              "cgroupsPath escaped the cgroup mounts: " + dir + " exists");
  if (!call.ok()) {
    ctx.Check(call.failed(), "create must succeed or be refused with an error, got " + Describe(call));
    ctx.Check(!State(ctx, c.id).has_value(), "create refused the cgroupsPath but left a container behind");
    std::string left = CgroupLeft(c.CgroupsPath());
    ctx.Check(left.empty(), "create refused the cgroupsPath but left a cgroup behind: " + left);
    return;
  }
  auto st = State(ctx, c.id);
  ctx.Require(st.has_value() && (*st).value("pid", 0) > 0, "create accepted the cgroupsPath but state has no pid");
  int pid = (*st).value("pid", 0);
  for (const char* ctl : {"memory", "pids"}) {
    cgroups::Location loc = cgroups::LocateProcess(layout, pid, ctl);
    ctx.Check(loc.found() && loc.path == "/" + c.id,
              std::string("accepted, the ") + ctl + " cgroup of pid " + std::to_string(pid) + " must be /" + c.id +
                  " (the path cleaned, inside the hierarchy), is " + (loc.found() ? loc.path : "<none>"));
  }
}

// Configs a runtime must accept (unknown things) or refuse (invalid values).
void AddConfigValueCases(std::vector<Case>& out) {
  out.push_back(Make("config.unknown-properties", "unknown properties and annotations are ignored",
                     {"ExtensibilityIgnoreUnknownProp", "AnnotationsKeyIgnoreUnknown", "AnnotationsInState"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("unknown");
                       c.config["org.ocicert.unknownTop"] = {{"x", 1}};
                       c.config["process"]["org.ocicert.unknownInProcess"] = true;
                       c.config["annotations"]["org.ocicert.unknown-annotation"] = "v1";
                       CreateOk(ctx, c);
                       auto st = State(ctx, c.id);
                       ctx.Require(st.has_value(), "state failed");
                       ctx.Check((*st)["annotations"].is_object() &&
                                     (*st)["annotations"].value("org.ocicert.unknown-annotation", "") == "v1",
                                 "state.annotations does not report the config's annotation");
                     }));
  struct Bad { const char* id; const char* title; std::vector<std::string> reqs; std::function<void(Json&)> edit; };
  const std::vector<Bad> bads = {
      {"invalid-namespace-type", "an unknown namespace type is refused", {"ValidValues", "EnvCreateError"},
       [](Json& c) { c["linux"]["namespaces"].push_back({{"type", "octspace"}}); }},
      {"duplicate-namespace", "a namespace type listed twice is refused", {"NSErrorOnDup", "ValidValues"},
       [](Json& c) { c["linux"]["namespaces"].push_back({{"type", "pid"}}); }},
      {"relative-namespace-path", "a relative namespace path is refused", {"NSPathAbs", "ValidValues"},
       [](Json& c) {
         for (Json& ns : c["linux"]["namespaces"])
           if (ns["type"] == "network") ns["path"] = "proc/self/ns/net";
       }},
      {"namespace-path-wrong-type", "a namespace path of another type is refused", {"NSPathMatchTypeError"},
       [](Json& c) {
         for (Json& ns : c["linux"]["namespaces"])
           if (ns["type"] == "network") ns["path"] = "/proc/self/ns/ipc";
       }},
      {"duplicate-rlimit", "an rlimit type listed twice is refused", {"PosixProcRlimitsErrorOnDup"},
       [](Json& c) { c["process"]["rlimits"].push_back({{"type", "RLIMIT_NOFILE"}, {"hard", 512}, {"soft", 512}}); }},
      {"invalid-rlimit", "an rlimit type unknown to the kernel is refused", {"PosixProcRlimitsTypeGenError"},
       [](Json& c) { c["process"]["rlimits"].push_back({{"type", "RLIMIT_OCTFOO"}, {"hard", 1}, {"soft", 1}}); }},
  };
  for (const Bad& bad : bads) {
    out.push_back(Make(std::string("config.") + bad.id, bad.title, bad.reqs, [bad](CaseContext& ctx) {
      Container c = ctx.NewContainer(bad.id);
      bad.edit(c.config);
      ExpectRefusedCreate(ctx, c, bad.title);
    }));
  }
  out.push_back(Make("config.invalid-cgroups-path", "a cgroupsPath escaping the hierarchy is refused or contained",
                     {"CgroupsPathError", "CgroupsPathAttach"}, InvalidCgroupsPath));
  out.push_back(Make("config.unknown-capability", "an unknown capability is a warning, not an error",
                     {"LinuxProcCapUnknownWarn", "WarnsLeaveFlowUnchange"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("unknowncap");
                       // The warning rule is runtime-spec 1.1's (spec_min); under 1.0.x an unknown
                       // capability MUST cause an error.
                       c.config["process"]["capabilities"]["bounding"].push_back("CAP_OCT_UNKNOWN");
                       c.config["process"]["capabilities"]["effective"].push_back("CAP_OCT_UNKNOWN");
                       std::string log = ctx.scratch() + "/runtime-log.json";
                       InvokeOptions o;
                       o.global_args = {"--log", log, "--log-format", "json"};
                       ctx.WriteConfig(c);
                       const Call& call = ctx.rt().Run({"create", "--bundle", c.bundle, c.id}, o);
                       ctx.Require(call.ok(), "create with an unknown capability must succeed (warning only), got " +
                                                  Describe(call));
                       // The warning leaves the flow unchanged: the container starts and runs its program.
                       const Call& start = ctx.rt().Run({"start", c.id}, o);
                       ctx.Require(start.ok(), "start failed: " + Describe(start));
                       // The MUST: the capability that cannot be granted is logged as a warning, on
                       // stderr or in the --log file, by name.
                       std::string said = call.inv.stderr_text + start.inv.stderr_text + base::ReadFile(log).value_or("");
                       ctx.Check(said.find("CAP_OCT_UNKNOWN") != std::string::npos,
                                 "no warning names CAP_OCT_UNKNOWN, on stderr of create/start or in the --log file");
                       ctx.Check(WaitForStatus(ctx, c.id, "running"), "the container is not running after start");
                       auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
                       while (!HasMark(c, "program") && std::chrono::steady_clock::now() < until)
                         std::this_thread::sleep_for(std::chrono::milliseconds(10));
                       ctx.Check(HasMark(c, "program"), "the container's program did not run");
                     }));
  out.back().spec_min = "1.1.0";
}

void AddCliCases(std::vector<Case>& out) {
  out.push_back(Make("cli.delete-force-missing", "delete --force of an id that does not exist exits 0",
                     {"CliDeleteForceMissingOk"}, [](CaseContext& ctx) {
                       const Call& call = ctx.rt().Run({"delete", "--force", MissingId(ctx)});
                       ctx.Check(call.ok(), "delete --force of a missing id must exit 0, got " + Describe(call));
                     }));
  out.push_back(Make("cli.kill-all-stopped", "kill --all <id> 9 on a stopped container exits 0",
                     {"CliKillAllStoppedOk"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("killall");
                       MakeStatus(ctx, c, "stopped");
                       const Call& call = ctx.rt().Run({"kill", "--all", c.id, "9"});
                       ctx.Check(call.ok(), "kill --all on a stopped container must exit 0, got " + Describe(call));
                       ctx.Check(StatusOf(ctx, c.id) == "stopped", "the container is no longer stopped");
                     }));
  out.push_back(Make("cli.delete-created", "delete without --force of a created container removes it",
                     {"CliDeleteCreated"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("delcreated");
                       int pid = MakeStatus(ctx, c, "created");
                       const Call& call = ctx.rt().Run({"delete", c.id});
                       ctx.Check(call.ok(), "delete of a created container must succeed, got " + Describe(call));
                       ctx.Check(!State(ctx, c.id).has_value(), "the container still exists");
                       ctx.Check(!PidAlive(pid), "the container's init process still runs");
                     }));
  for (const char* status : {"running", "paused"}) {
    out.push_back(Make(std::string("cli.delete-force-") + status,
                       std::string("delete --force of a ") + status + " container kills and removes it",
                       {"CliDeleteForceRunning", "DeleteResImplement"},
                       [status](CaseContext& ctx) {
                         Container c = ctx.NewContainer(std::string("delforce-") + status);
                         int pid = MakeStatus(ctx, c, status);
                         const Call& call = ctx.rt().Run({"delete", "--force", c.id});
                         ctx.Check(call.ok(), "delete --force must succeed, got " + Describe(call));
                         ctx.Check(!State(ctx, c.id).has_value(), "the container still exists");
                         auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
                         while (PidAlive(pid) && std::chrono::steady_clock::now() < until)
                           std::this_thread::sleep_for(std::chrono::milliseconds(10));
                         ctx.Check(!PidAlive(pid), "the container process still runs");
                         std::string left = CgroupLeft(c.CgroupsPath());
                         ctx.Check(left.empty(), "the container's cgroup is still there: " + left);
                       }));
  }
  out.push_back(Make("cli.flags-after-id", "flags may follow the id (delete <id> --force)", {"CliFlagsAfterId"},
                     [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("flagsafter");
                       MakeStatus(ctx, c, "running");
                       const Call& call = ctx.rt().Run({"delete", c.id, "--force"});
                       ctx.Check(call.ok(), "delete <id> --force failed: " + Describe(call));
                       ctx.Check(!State(ctx, c.id).has_value(), "the container still exists");
                     }));
  out.push_back(Make("cli.json-log", "errors go to the --log file as JSON lines with level error and msg",
                     {"CliJsonErrorLog", "CliErrorExit1"}, [](CaseContext& ctx) {
                       std::string log = ctx.scratch() + "/runtime-log.json";
                       InvokeOptions o;
                       o.global_args = {"--log", log, "--log-format", "json"};
                       const Call& call = ctx.rt().Run({"state", MissingId(ctx)}, o);
                       ctx.Check(call.inv.exit_code == 1, "a failed command must exit 1, got " + Describe(call));
                       std::string last_error;
                       for (const Json& line : ReadJsonLines(log))
                         if (line.value("level", "") == "error") last_error = line.value("msg", "");
                       ctx.Check(!last_error.empty(), "no {\"level\":\"error\",\"msg\":...} line in the --log file");
                     }));
  out.push_back(Make("cli.root-isolation", "containers under another --root are invisible",
                     {"CliRootIsolation"}, [](CaseContext& ctx) {
                       Container c = ctx.NewContainer("root");
                       MakeStatus(ctx, c, "created");
                       InvokeOptions other;
                       other.root = ctx.scratch() + "/other-root";
                       ExpectRefusal(ctx, {"state", c.id}, "state under another --root", other);
                     }));
  out.push_back(Make("cli.version", "--version prints a version and exits 0", {"CliVersion"}, [](CaseContext& ctx) {
    const Call& call = ctx.rt().Run({"--version"});
    ctx.Check(call.ok() && !call.inv.stdout_text.empty(), "--version must exit 0 and print, got " + Describe(call));
  }));
  out.push_back(Make("cli.features", "features prints a document valid against the features schema", {"CliFeatures", "FeaturesFormat"}, [](CaseContext& ctx) {
    const Call& call = ctx.rt().Run({"features"});
    ctx.Require(call.ok(), "features must exit 0, got " + Describe(call));
    Json f = Json::parse(call.inv.stdout_text, nullptr, false);
    ctx.Require(f.is_object(), "features did not print a JSON object");
    std::string bad = SchemaViolations(f, "features.json");
    ctx.Check(bad.empty(), "features output does not match the features schema (specs/schema/features.json): " + bad);
    // features.md: ociVersionMax MUST NOT be less than ociVersionMin.
    auto text = [&f](const char* key) { return f[key].is_string() ? f[key].get<std::string>() : std::string(); };
    auto min = ParseSpecVersion(text("ociVersionMin")), max = ParseSpecVersion(text("ociVersionMax"));
    ctx.Check(min && max && !(*max < *min), "features: ociVersionMin " + f["ociVersionMin"].dump() + " and ociVersionMax " +
                                                f["ociVersionMax"].dump() + " are not two versions with min <= max");
  }));
}

}  // namespace

void AddOperationsCases(std::vector<Case>& out) {
  AddMissingIdCases(out);
  AddCreateCases(out);
  AddConfigValueCases(out);
  AddCliCases(out);
}

}  // namespace conform
