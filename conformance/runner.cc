#include "conformance/runner.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "base/subprocess.h"
#include "harness/sha256.h"
#include "conformance/spec_versions.h"
#include "harness/clock.h"
#include "harness/runtime_command.h"
#include "harness/windows_image.h"

namespace conform {
namespace {

using Clock = std::chrono::steady_clock;

// After this many cases in a row whose runtime calls timed out, the runtime is taken as hung: its
// remaining cases are errors without running, which keeps a run against a hung runtime short.
constexpr int kHungAfterTimeouts = 3;

// The runtime's folder under <work>/cases: its name, with anything but letters, digits, '-', '_' as '-'.
std::string RuntimeFolder(const RuntimeUnderTest& rt) {
  std::string out;
  for (char c : rt.name) out += (isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '-';
  return out.empty() || out[0] == '-' ? "rt" + out : out;
}

bool WildcardMatch(const char* p, const char* s) {
  if (*p == 0) return *s == 0;
  if (*p == '*') return WildcardMatch(p + 1, s) || (*s && WildcardMatch(p, s + 1));
  return *s && *p == *s && WildcardMatch(p + 1, s + 1);
}

std::map<std::string, std::string> HostInfo(const std::string& isolation) {
  std::map<std::string, std::string> info = host::Info();
  info["isolation"] = isolation;
  return info;
}

// The rootfs: the given one, or make-rootfs.sh DEST PROBE, plus /oct (bind target) and the probe at
// <rootfs-path>/bin/probe inside, so that a hook path resolves both before and after pivot_root.
base::Status PrepareRootfs(const ConformOptions& o, const std::string& work, std::string& rootfs) {
  if (!o.rootfs.empty()) {
    rootfs = std::filesystem::absolute(o.rootfs).string();
    if (!host::IsExecutable(rootfs + "/bin/probe"))
      return base::InvalidArgument("--rootfs " + o.rootfs + ": no executable /bin/probe in it");
    return base::Status::Ok();
  }
  if (!host::IsExecutable(o.probe))
    return base::NotFound("probe binary \"" + o.probe + "\" not found (pass --probe or --rootfs)");
  if (o.make_rootfs.empty() || !std::filesystem::exists(o.make_rootfs))
    return base::NotFound("make-rootfs.sh \"" + o.make_rootfs + "\" not found (pass --rootfs)");
  rootfs = work + "/rootfs";
  base::SubprocessOptions sp;
  sp.argv = {"bash", o.make_rootfs, rootfs, o.probe};
  sp.timeout = std::chrono::seconds(60);
  auto r = base::RunSubprocess(sp);
  if (!r.ok()) return r.status().Wrap("make-rootfs");
  if (!r->success()) return base::Internal("make-rootfs.sh failed: " + r->err);
  std::error_code ec;
  std::filesystem::create_directories(rootfs + "/oct", ec);
  std::filesystem::create_directories(rootfs + rootfs + "/bin", ec);
  std::filesystem::create_symlink("/bin/probe", rootfs + rootfs + "/bin/probe", ec);
  if (ec) return base::ErrnoError("prepare rootfs " + rootfs, ec.value());
  return base::Status::Ok();
}

// How a case went for hang detection: it never called the runtime (skipped up front), it timed out,
// or the runtime answered.
enum class Answer { kNotAsked, kTimedOut, kAnswered };

reports::RuntimeResult RunOne(const Case& c, const RuntimeUnderTest& rt, const CaseEnv& env, int slot, Answer& answer) {
  reports::RuntimeResult r;
  answer = Answer::kNotAsked;
  if (!rt.profile.isolations.count(env.isolation)) {
    r.verdict = reports::Verdict::kSkip;
    r.message = fmt::format("{} (profile {}) has no {} isolation", rt.name, rt.profile.name, env.isolation);
    return r;
  }
  const std::string container_os = rt.profile.windows ? "windows" : "linux";
  if (c.os != "any" && c.os != container_os) {
    r.verdict = reports::Verdict::kSkip;
    r.message = c.os == "windows" ? rt.name + " runs Linux containers; this case is for Windows containers (HCS)"
                                  : "inspects Linux kernel facts: not applicable to " + rt.name + "'s Windows containers";
    return r;
  }
  if (std::string why = SpecVersionSkip(c, rt.spec_version); !why.empty()) {
    r.verdict = reports::Verdict::kSkip;
    r.message = why;
    return r;
  }
  if (c.host_side && env.isolation != "process") {
    r.verdict = reports::Verdict::kSkip;
    r.message = "inspects namespaces and cgroups from the host: process isolation only";
    return r;
  }
  std::string scratch = fmt::format("{}/cases/{}/{:04}", env.work_dir, RuntimeFolder(rt), slot);
  std::filesystem::create_directories(scratch);
  auto start = Clock::now();
  CaseContext ctx(env, rt, host::NativePath(scratch), start + c.timeout * rt.profile.timeout_scale);
  reports::Verdict verdict = reports::Verdict::kPass;
  std::string message;
  try {
    c.run(ctx);
  } catch (const CaseAbort& abort) {
    if (abort.kind == CaseAbort::kSkip) verdict = reports::Verdict::kSkip, message = abort.message;
    if (abort.kind == CaseAbort::kError) verdict = reports::Verdict::kError, message = abort.message;
  } catch (const std::exception& e) {
    verdict = reports::Verdict::kError;
    message = std::string("case raised: ") + e.what();
  }
  if (verdict == reports::Verdict::kPass && ctx.failures().empty())
    for (const std::string& n : ctx.notes()) message += (message.empty() ? "" : "; ") + n;
  if (verdict == reports::Verdict::kPass && !ctx.failures().empty()) {
    verdict = reports::Verdict::kFail;
    for (const std::string& f : ctx.failures()) message += (message.empty() ? "" : "; ") + f;
  }
  answer = ctx.timed_out() ? Answer::kTimedOut : Answer::kAnswered;
  r.invocations = ctx.rt().Transcript();
  // What the runtime left behind fails the case that leaked it (a skip included: it created things).
  std::vector<std::string> leaks = ctx.Cleanup();
  if (!leaks.empty()) {
    std::string all;
    for (const std::string& l : leaks) all += (all.empty() ? "" : ", ") + l;
    if (verdict == reports::Verdict::kPass || verdict == reports::Verdict::kSkip) {
      verdict = reports::Verdict::kFail;
      message.clear();
    }
    message += (message.empty() ? "" : "; ") + std::string("left behind after cleanup: ") + all;
  }
  r.verdict = verdict;
  r.message = message;
  if (verdict == reports::Verdict::kFail) r.failures = ctx.failures();
  r.duration_s = std::chrono::duration<double>(Clock::now() - start).count();
  return r;
}

// The state roots of the cases still on disk (<work>/cases/<runtime>/<slot>/state/root): after a
// forced interrupt, every container there whose id this run generated is force-deleted. Ids the
// runtime lists that the run did not generate ("..", "/", another tool's) are left alone.
void SweepStateRoots(const std::vector<RuntimeUnderTest>& runtimes, const CaseEnv& env) {
  for (const RuntimeUnderTest& rt : runtimes) {
    std::error_code ec;
    for (const auto& slot : std::filesystem::directory_iterator(env.work_dir + "/cases/" + RuntimeFolder(rt), ec)) {
      std::string root = host::NativePath(slot.path().string() + "/state/root");
      if (!std::filesystem::is_directory(root, ec)) continue;
      harness::RuntimeCommand cmd;
      cmd.root = root;
      cmd.args = {"list", "-q"};
      cmd.timeout = std::chrono::seconds(5);
      auto list = harness::RunRuntime(rt, cmd);
      if (!list.ok() || !list->success()) continue;
      std::istringstream ids(list->out);
      std::string id;
      while (ids >> id) {
        if (!IsRunContainerId(id, env.run_tag)) continue;
        cmd.args = {"delete", "--force", id};
        harness::RunRuntime(rt, cmd).status().IgnoreError();
      }
    }
  }
}

base::Status CheckWaivers(const Waivers& waivers, const std::vector<Case>& all, const Catalogue& catalogue) {
  std::set<std::string> known;
  for (const Case& c : all) known.insert(c.id);
  for (const Waiver& w : waivers.all()) {
    // A build without the Linux-container suites (Windows) cannot tell their waivers from typos.
    std::string suite = w.id.substr(0, w.id.find('.'));
    bool built = std::find(SuiteNames().begin(), SuiteNames().end(), suite) != SuiteNames().end();
    if (!built && !BuildsLinuxContainerSuites()) continue;
    if (!known.count(w.id) && !catalogue.Find(w.id))
      return base::InvalidArgument("waiver for \"" + w.id + "\": no case or requirement has this ID");
  }
  return base::Status::Ok();
}

// Work items: (case, runtime). Results land in fixed slots, so their order never depends on timing.
struct Item {
  const Case* c;
  size_t rt;
};
struct Slot {
  bool ran = false;
  reports::RuntimeResult result;
};

// The run's private folder under the temp folder, its tag, and what the bundles are made from: the
// shared rootfs for Linux containers, the image's layer folders for Windows containers.
base::Result<CaseEnv> PrepareEnv(const ConformOptions& o) {
  CaseEnv env;
  env.isolation = o.isolation;
  env.keep = o.keep;
  env.soak_lifecycles = o.soak_lifecycles;
  env.soak_parallel = o.soak_parallel;
  bool linux_containers = false;
  std::string windows_runtime;
  for (const RuntimeUnderTest& rt : o.runtimes) {
    if (rt.profile.windows) windows_runtime = rt.name;
    else linux_containers = true;
  }
  if (!windows_runtime.empty()) {
    if (o.windows_layers.empty())
      return base::InvalidArgument("--windows-layers is required: " + windows_runtime +
                                   " runs Windows containers, made from an image's layer folders");
    ASSIGN_OR_RETURN(env.windows_layers, harness::ResolveWindowsLayers(o.windows_layers));
  }
  std::random_device rd;
  env.run_tag = fmt::format("{:04x}", rd() & 0xffff);
  env.work_dir = host::NativePath(fmt::format("{}/oct-conform-{}-{}", host::TempDir(), host::SelfPid(), env.run_tag));
  std::error_code ec;
  std::filesystem::create_directories(env.work_dir, ec);
  if (ec) return base::ErrnoError("create " + env.work_dir, ec.value());
  if (linux_containers) {
    base::Status st = PrepareRootfs(o, env.work_dir, env.rootfs);
    if (!st.ok()) {
      host::RemoveTree(env.work_dir);
      return st;
    }
  }
  return env;
}

// Independent items first (run by -j workers), exclusive ones (stress) after, one at a time.
std::vector<Item> PlanItems(const std::vector<const Case*>& cases, size_t runtimes, size_t& parallel) {
  std::vector<Item> items, exclusive;
  for (const Case* c : cases)
    for (size_t i = 0; i < runtimes; ++i) (c->exclusive ? exclusive : items).push_back({c, i});
  parallel = items.size();
  items.insert(items.end(), exclusive.begin(), exclusive.end());
  return items;
}

std::vector<Slot> RunItems(const std::vector<Item>& items, size_t parallel, const ConformOptions& o,
                           const CaseEnv& env, const Waivers& waivers, WaiverUses& used, ProgressSink* progress) {
  std::vector<Slot> slots(items.size());
  int total = static_cast<int>(items.size()), done = 0;
  if (progress) progress->Started(total);
  std::mutex mu;
  std::vector<int> timeouts_in_a_row(o.runtimes.size(), 0);  // guarded by mu
  auto run_item = [&](size_t k) {
    const RuntimeUnderTest& rt = o.runtimes[items[k].rt];
    bool hung;
    {
      std::lock_guard<std::mutex> lock(mu);
      hung = timeouts_in_a_row[items[k].rt] >= kHungAfterTimeouts;
    }
    reports::RuntimeResult r;
    Answer answer = Answer::kNotAsked;
    std::vector<const Waiver*> waived;
    if (hung) {
      r.verdict = reports::Verdict::kError;
      r.message = fmt::format("not run: {} timed out in {} cases in a row (hung); its remaining cases are not run",
                              rt.name, kHungAfterTimeouts);
    } else {
      r = RunOne(*items[k].c, rt, env, static_cast<int>(k), answer);
      waived = ApplyWaiver(waivers, *items[k].c, rt, r);
    }
    std::lock_guard<std::mutex> lock(mu);
    for (const Waiver* w : waived) used.insert({w, rt.name});
    int& streak = timeouts_in_a_row[items[k].rt];
    if (answer == Answer::kTimedOut) ++streak;
    else if (answer == Answer::kAnswered && streak < kHungAfterTimeouts) streak = 0;
    slots[k] = {true, std::move(r)};
    if (progress) progress->CaseDone(*items[k].c, rt, slots[k].result, ++done, total);
  };
  auto watch = host::WatchInterrupts([&] { SweepStateRoots(o.runtimes, env); });
  std::atomic<size_t> next{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < std::max(1, o.jobs); ++w) {
    workers.emplace_back([&] {
      for (size_t k; !Interrupted() && (k = next++) < parallel;) run_item(k);
    });
  }
  for (std::thread& t : workers) t.join();
  for (size_t k = parallel; k < items.size() && !Interrupted(); ++k) run_item(k);
  if (Interrupted()) SweepStateRoots(o.runtimes, env);
  return slots;
}

// Cases in selection order with each runtime's result; coverage and the per-runtime summary.
void Assemble(const std::vector<const Case*>& cases, const std::vector<Item>& items, std::vector<Slot>& slots,
              const std::vector<RuntimeUnderTest>& runtimes, reports::ConformResults& results) {
  std::map<const Case*, size_t> index;
  for (const Case* c : cases) {
    index[c] = results.cases.size();
    results.cases.push_back({c->id, c->suite, c->title, c->requirements, {}});
  }
  for (size_t k = 0; k < items.size(); ++k) {
    reports::RuntimeResult r = slots[k].ran ? std::move(slots[k].result)
                                            : reports::RuntimeResult{reports::Verdict::kError, "not run: interrupted", 0, {}, {}};
    results.cases[index[items[k].c]].results[runtimes[items[k].rt].name] = std::move(r);
  }
  reports::Summarize(results);
}

}  // namespace

bool CaseMatches(const std::string& pattern, const std::string& id) {
  if (pattern.find('*') != std::string::npos) return WildcardMatch(pattern.c_str(), id.c_str());
  return id == pattern || (id.rfind(pattern, 0) == 0 && id.size() > pattern.size() && id[pattern.size()] == '.');
}

base::Result<std::vector<const Case*>> SelectCases(const std::vector<Case>& all,
                                                   const std::vector<std::string>& suites,
                                                   const std::vector<std::string>& patterns) {
  for (const std::string& s : suites) {
    bool known = false;
    for (const std::string& name : SuiteNames()) known |= name == s;
    if (!known) return base::InvalidArgument("--suite " + s + ": no such suite");
  }
  for (const std::string& p : patterns) {
    bool any = false;
    for (const Case& c : all) any |= CaseMatches(p, c.id);
    if (!any) return base::InvalidArgument("--case " + p + ": matches no case");
  }
  std::vector<const Case*> out;
  for (const Case& c : all) {
    bool suite_ok = suites.empty() && (!patterns.empty() || !c.opt_in);
    for (const std::string& s : suites) suite_ok |= c.suite == s;
    bool case_ok = patterns.empty();
    for (const std::string& p : patterns) case_ok |= CaseMatches(p, c.id);
    if (suite_ok && case_ok) out.push_back(&c);
  }
  return out;
}

base::Result<reports::ConformResults> RunConformance(const ConformOptions& options, ProgressSink* progress) {
  ConformOptions o = options;  // each runtime gets its target spec version
  for (RuntimeUnderTest& rt : o.runtimes) {
    if (!rt.spec_version.empty()) continue;
    ASSIGN_OR_RETURN(SpecTarget t, ResolveSpecTarget(o.spec_version, o.spec_version.empty() ? harness::RuntimeFeatures(rt) : "",
                                                     rt.profile));
    rt.spec_version = t.version;
    rt.spec_source = t.source;
  }
  const Catalogue& catalogue = o.catalogue ? *o.catalogue : Catalogue::Builtin();
  const Waivers& waivers = o.waivers ? *o.waivers : Waivers::Builtin();
  RETURN_IF_ERROR(CheckWaivers(waivers, AllCases(), catalogue));
  for (RuntimeUnderTest& rt : o.runtimes)  // only when a waiver pins a binary
    if (rt.sha256.empty() && waivers.WantsDigest(TargetOf(rt))) rt.sha256 = harness::Sha256OfFile(rt.path);
  ASSIGN_OR_RETURN(std::vector<const Case*> cases, SelectCases(AllCases(), o.suites, o.cases));
  if (o.runtimes.empty()) return base::InvalidArgument("no --runtime given");
  GateOptions gate = o.gate;
  RETURN_IF_ERROR(ResolveGate(gate, o.runtimes));

  reports::ConformResults results;
  results.started = harness::Rfc3339Now();
  results.host = HostInfo(o.isolation);
  for (const RuntimeUnderTest& rt : o.runtimes)
    results.runtimes.push_back({rt.name, rt.path, rt.version, rt.spec_version + " (" + rt.spec_source + ")"});
  ASSIGN_OR_RETURN(CaseEnv env, PrepareEnv(o));

  size_t parallel = 0;
  std::vector<Item> items = PlanItems(cases, o.runtimes.size(), parallel);
  auto t0 = Clock::now();
  WaiverUses used;
  std::vector<Slot> slots = RunItems(items, parallel, o, env, waivers, used, progress);
  results.duration_s = std::chrono::duration<double>(Clock::now() - t0).count();
  Assemble(cases, items, slots, o.runtimes, results);
  // Verdicts per runtime; coverage counts a requirement only where its cases passed (verdicts.h).
  JudgeRuntimes(cases, o.runtimes, catalogue, gate, StaleWaivers(waivers, cases, o.runtimes, results, used), results);
  if (!o.keep) host::RemoveTree(env.work_dir);
  return results;
}

}  // namespace conform
