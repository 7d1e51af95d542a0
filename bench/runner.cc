#include "bench/runner.h"

#include <stdlib.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <set>
#include <thread>

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "base/subprocess.h"

#include "bench/bundle.h"
#include "bench/gbench_reporter.h"
#include "bench/memory.h"
#include "bench/operations.h"

namespace ocicert::bench {
namespace {

using Body = std::function<base::Status(Fixture&, Timer&)>;

// One benchmark case and everything measured for it.
struct Case {
  reports::BenchCase meta;
  const RuntimeCli* rt = nullptr;
  Body body;
  std::vector<double> rss_kb;  // peak RSS of the runtime per sample
  int threads = 1;             // concurrent lifecycles per iteration
  bool library = false;        // measured by ocirun-libbench through ocirun's library
};

std::string Now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

std::string FormatNs(double ns) {
  if (ns >= 1e6) return fmt::format("{:.2f} ms", ns / 1e6);
  return fmt::format("{:.1f} us", ns / 1e3);
}

double Median(std::vector<double> v) { return reports::Summarize(std::move(v)).median; }

// Why `rt` cannot run hyperv isolation here, or empty when it can.
std::string HypervUnavailable(const RuntimeCli& rt) {
  std::string features = rt.Features();
  if (features.find("hyperv") == std::string::npos)
    return rt.spec().name + " offers no hyperv isolation (its `features` output does not mention it)";
  if (::access("/dev/kvm", R_OK | W_OK) != 0)
    return "hyperv isolation needs a usable /dev/kvm for the utility VM; it is not usable here";
  return "hyperv isolation for " + rt.spec().name + " is not driven by this harness yet";
}

class Session {
 public:
  explicit Session(const BenchOptions& o) : o_(o) {}
  ~Session() { Cleanup(); }

  base::Result<reports::BenchRun> Run() {
    RETURN_IF_ERROR(Prepare());
    RegisterMainCases();
    RETURN_IF_ERROR(RunPhase("main", MainCaseIndexes()));
    RETURN_IF_ERROR(RunScalePhases());
    reporter_.FinalizeAll();
    return Finish();
  }

 private:
  base::Status Prepare() {
    std::string tmpl = (o_.work_dir.empty() ? std::string("/tmp/oct-bench-XXXXXX") : o_.work_dir + "/oct-bench-XXXXXX");
    if (::mkdtemp(tmpl.data()) == nullptr) return base::ErrnoError("create work directory " + tmpl);
    work_ = tmpl;
    Progress("work directory %s", work_.c_str());
    RETURN_IF_ERROR_CTX(MakeRootfs(work_ + "/rootfs", o_.busybox), "build the benchmark rootfs");
    RETURN_IF_ERROR(WriteBenchConfig(work_ + "/sleep", work_ + "/rootfs", {"sleep", "3600"}));
    RETURN_IF_ERROR(WriteBenchConfig(work_ + "/true", work_ + "/rootfs", {"/bin/true"}));
    std::filesystem::create_directories(work_ + "/io");
    for (const RuntimeSpec& spec : o_.runtimes) {
      std::string root = work_ + "/root-" + spec.name;
      std::filesystem::create_directories(root);
      rts_.push_back(std::make_unique<RuntimeCli>(spec, root, work_ + "/io"));
    }
    std::ofstream* out = new std::ofstream(o_.out_dir + "/gbench.json");
    if (!*out) {
      delete out;
      return base::ErrnoError("open " + o_.out_dir + "/gbench.json");
    }
    gbench_out_.reset(out);
    reporter_.SetJsonStream(gbench_out_.get());
    return base::Status::Ok();
  }

  std::vector<std::string> Operations() const {
    if (!o_.operations.empty()) return o_.operations;
    std::vector<std::string> names;
    for (const Operation& op : AllOperations()) names.push_back(op.name);
    return names;
  }

  bool Wants(const std::string& op) const {
    auto ops = Operations();
    return std::find(ops.begin(), ops.end(), op) != ops.end();
  }

  Case& AddCase(const RuntimeCli& rt, const std::string& op, const std::string& variant, Body body) {
    Case c;
    c.rt = &rt;
    c.meta.operation = op;
    c.meta.variant = variant;
    c.meta.runtime = rt.spec().name;
    c.meta.name = op + (variant.empty() ? "" : "/" + variant) + "/" + rt.spec().name;
    c.body = std::move(body);
    cases_.push_back(std::move(c));
    return cases_.back();
  }

  bool Isolation(const char* mode) const {
    return std::find(o_.isolations.begin(), o_.isolations.end(), mode) != o_.isolations.end();
  }

  void RegisterMainCases() {
    for (const auto& rt : rts_) {
      if (!Isolation("process")) break;
      for (const std::string& name : Operations()) {
        const Operation* op = FindOperation(name);
        AddCase(*rt, name, "", op->run);
      }
      if (!o_.library_helper.empty() && rt->spec().name == o_.library_runtime) {
        for (const std::string& name : Operations()) {
          Case& c = AddCase(*rt, name, "", nullptr);
          c.meta.layer = "library";
          c.meta.name += "/library";
          c.library = true;
        }
      }
      if (!Wants("lifecycle")) continue;
      for (int n : o_.threads) {
        Case& c = AddCase(*rt, "lifecycle", "threads:" + std::to_string(n),
                          [n](Fixture& f, Timer& t) { return ConcurrentLifecycles(f, t, n); });
        c.threads = n;
      }
    }
    AddHypervCases();
  }

  void AddHypervCases() {
    if (!Isolation("hyperv")) return;
    for (const auto& rt : rts_) {
      std::string reason = HypervUnavailable(*rt);
      Progress("hyperv skipped for %s: %s", rt->spec().name.c_str(), reason.c_str());
      for (const std::string& name : Operations()) {
        reports::BenchCase c;
        c.name = name + "/" + rt->spec().name + "/hyperv";
        c.operation = name;
        c.runtime = rt->spec().name;
        c.isolation = "hyperv";
        c.status = "skipped";
        c.message = reason;
        skipped_.push_back(c);
      }
    }
  }

  std::vector<size_t> MainCaseIndexes() const {
    std::vector<size_t> idx;
    for (size_t i = 0; i < cases_.size(); ++i) idx.push_back(i);
    return idx;
  }

  // Warm-up, then one Google Benchmark run over `indexes` with repetitions interleaved at random.
  base::Status RunPhase(const std::string& phase, const std::vector<size_t>& indexes) {
    Progress("phase %s: warm-up (%d untimed iteration(s) per case)", phase.c_str(), o_.warmup_iterations);
    for (size_t i : indexes) WarmUp(cases_[i]);
    benchmark::ClearRegisteredBenchmarks();
    size_t registered = 0;
    for (size_t i : indexes) {
      if (cases_[i].meta.status != "ok") continue;
      benchmark::internal::Benchmark* b = benchmark::RegisterBenchmark(
          cases_[i].meta.name.c_str(), [this, i](benchmark::State& st) { Measure(cases_[i], st); });
      b->UseManualTime()->Unit(benchmark::kMillisecond)->Repetitions(o_.repetitions);
      if (o_.iterations > 0) {
        b->Iterations(o_.iterations);
      } else {
        b->MinTime(o_.min_time_s);
      }
      ++registered;
    }
    Progress("phase %s: measuring %zu case(s) x %d repetition(s), interleaved", phase.c_str(), registered,
             o_.repetitions);
    if (registered > 0) benchmark::RunSpecifiedBenchmarks(&reporter_);
    benchmark::ClearRegisteredBenchmarks();
    return base::Status::Ok();
  }

  void WarmUp(Case& c) {
    if (c.library) {
      auto samples = RunLibraryHelper(c, o_.warmup_iterations);
      if (!samples.ok()) Fail(c, samples.status());
      return;
    }
    Fixture f(*c.rt, work_ + "/sleep", work_ + "/true", registry_, IdPrefix());
    for (int i = 0; i < o_.warmup_iterations && c.meta.status == "ok"; ++i) {
      Timer t;
      base::Status s = c.body(f, t);
      if (!s.ok()) Fail(c, s);
    }
  }

  void Measure(Case& c, benchmark::State& st) {
    if (c.meta.status != "ok") {
      st.SkipWithError(c.meta.message.c_str());
      return;
    }
    if (c.library) return MeasureLibrary(c, st);
    Fixture f(*c.rt, work_ + "/sleep", work_ + "/true", registry_, IdPrefix());
    double rss = 0;
    for (auto _ : st) {
      Timer t;
      base::Status s = c.body(f, t);
      if (!s.ok()) {
        Fail(c, s);
        st.SkipWithError(c.meta.message.c_str());
        break;
      }
      st.SetIterationTime(std::chrono::duration<double>(t.wall).count());
      c.meta.samples_ns.push_back(static_cast<double>(t.wall.count()));
      c.rss_kb.push_back(static_cast<double>(t.peak_rss_kb));
      rss = std::max(rss, static_cast<double>(t.peak_rss_kb));
    }
    st.counters["runtime_peak_rss_kb"] = rss;
    if (c.meta.status == "ok")
      Progress("%-34s %4zu samples, median %s", c.meta.name.c_str(), c.meta.samples_ns.size(),
               FormatNs(Median(c.meta.samples_ns)).c_str());
  }

  // The helper runs all of this call's iterations in one process; their times feed the loop.
  void MeasureLibrary(Case& c, benchmark::State& st) {
    auto samples = RunLibraryHelper(c, static_cast<int>(st.max_iterations));
    if (!samples.ok()) {
      Fail(c, samples.status());
      st.SkipWithError(c.meta.message.c_str());
      return;
    }
    size_t i = 0;
    for (auto _ : st) {
      double ns = (*samples)[i++];
      st.SetIterationTime(ns / 1e9);
      c.meta.samples_ns.push_back(ns);
    }
    Progress("%-34s %4zu samples, median %s", c.meta.name.c_str(), c.meta.samples_ns.size(),
             FormatNs(Median(c.meta.samples_ns)).c_str());
  }

  base::Result<std::vector<double>> RunLibraryHelper(const Case& c, int iterations) {
    std::string result = work_ + "/io/libbench-result.json";
    base::SubprocessOptions sp;
    sp.argv = {o_.library_helper, "measure", "--root", work_ + "/root-library", "--sleep", work_ + "/sleep",
               "--true", work_ + "/true", "--op", c.meta.operation, "--iterations", std::to_string(iterations),
               "--prefix", IdPrefix() + "-lib" + std::to_string(library_calls_++), "--result", result};
    sp.capture_stdout = sp.capture_stderr = false;  // containers inherit them: files, not pipes
    sp.stdout_file = work_ + "/io/libbench.out";
    sp.stderr_file = work_ + "/io/libbench.err";
    sp.timeout = std::chrono::seconds(60 + 10 * iterations);
    ::unlink(result.c_str());
    ::unlink(sp.stderr_file.c_str());
    ASSIGN_OR_RETURN_CTX(base::SubprocessResult r, base::RunSubprocess(sp), "run " + o_.library_helper);
    std::string err = base::ReadFile(sp.stderr_file).value_or("");
    auto text = base::ReadFile(result);
    if (!text.ok())
      return base::Internal("ocirun-libbench exit " + std::to_string(r.shell_status()) + ": " + err.substr(0, 600));
    try {
      auto j = nlohmann::json::parse(*text);
      if (!j.at("error").get<std::string>().empty()) return base::Internal(j["error"].get<std::string>());
      auto samples = j.at("samples_ns").get<std::vector<double>>();
      if (static_cast<int>(samples.size()) < iterations)
        return base::Internal("ocirun-libbench returned " + std::to_string(samples.size()) + " samples");
      return samples;
    } catch (const nlohmann::json::exception& e) {
      return base::Internal(std::string("ocirun-libbench result: ") + e.what());
    }
  }

  void Fail(Case& c, const base::Status& s) {
    if (c.meta.status == "error") return;
    c.meta.status = "error";
    c.meta.message = s.message();
    Progress("%s FAILED: %s", c.meta.name.c_str(), s.message().c_str());
  }

  // Levels of containers present (per runtime, in its own root) while state and lifecycle are measured.
  base::Status RunScalePhases() {
    std::vector<int> levels = o_.others;
    std::sort(levels.begin(), levels.end());
    levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
    std::vector<std::string> ops;
    for (const char* op : {"state", "lifecycle"})
      if (Wants(op)) ops.push_back(op);
    if (ops.empty() || levels.empty() || !Isolation("process")) return base::Status::Ok();
    std::vector<std::unique_ptr<Fixture>> pools;
    std::vector<std::vector<std::string>> pool_ids(rts_.size());
    for (const auto& rt : rts_)
      pools.push_back(std::make_unique<Fixture>(*rt, work_ + "/sleep", work_ + "/true", registry_, IdPrefix() + "-bg"));
    bool memory_done = false;
    for (int level : levels) {
      Progress("scaling: growing to %d background container(s) per runtime", level);
      std::vector<std::string> grow_errors(rts_.size());
      for (size_t r = 0; r < rts_.size(); ++r) {
        while (static_cast<int>(pool_ids[r].size()) < level) {
          auto id = pools[r]->Launch(true);
          if (!id.ok()) {
            grow_errors[r] = id.status().message();
            break;
          }
          pool_ids[r].push_back(*id);
        }
      }
      std::vector<size_t> idx;
      for (size_t r = 0; r < rts_.size(); ++r) {
        for (const std::string& op : ops) {
          Case& c = AddCase(*rts_[r], op, "others:" + std::to_string(level), FindOperation(op)->run);
          if (!grow_errors[r].empty()) Fail(c, base::Internal("start background containers: " + grow_errors[r]));
          if (level > 0 && !memory_done && op == ops.front()) MeasureMemory(c, *rts_[r], pool_ids[r]);
          idx.push_back(cases_.size() - 1);
        }
      }
      if (level > 0) memory_done = true;
      RETURN_IF_ERROR(RunPhase("others:" + std::to_string(level), idx));
    }
    for (size_t r = 0; r < rts_.size(); ++r)
      for (const std::string& id : pool_ids[r]) pools[r]->Remove(id).IgnoreError();
    return base::Status::Ok();
  }

  // Per-container memory: medians over the background containers of one runtime.
  void MeasureMemory(Case& c, const RuntimeCli& rt, const std::vector<std::string>& ids) {
    std::vector<double> cgroup_kb, rss_kb;
    for (const std::string& id : ids) {
      auto pid = rt.Pid(id);
      if (!pid.ok()) continue;
      auto m = MeasureProcessMemory(*pid);
      if (!m.ok()) continue;
      if (m->cgroup_kb >= 0) cgroup_kb.push_back(static_cast<double>(m->cgroup_kb));
      if (m->init_rss_kb >= 0) rss_kb.push_back(static_cast<double>(m->init_rss_kb));
    }
    if (!cgroup_kb.empty()) c.meta.counters["container_cgroup_memory_kb"] = Median(cgroup_kb);
    if (!rss_kb.empty()) c.meta.counters["container_init_rss_kb"] = Median(rss_kb);
  }

  reports::BenchRun Finish() {
    reports::BenchRun run;
    run.created = Now();
    struct utsname u {};
    ::uname(&u);
    run.host = {{"hostname", u.nodename},
                {"kernel", u.release},
                {"cpus", std::to_string(std::thread::hardware_concurrency())},
                {"machine_kind", MachineKind()}};
    run.settings.repetitions = o_.repetitions;
    run.settings.min_time_s = o_.iterations > 0 ? 0 : o_.min_time_s;
    run.settings.quick = o_.quick;
    run.settings.interleaved = true;
    run.settings.cv_threshold = o_.cv_threshold;
    run.reference = o_.reference.empty() ? o_.runtimes.front().name : o_.reference;
    for (const auto& rt : rts_) run.runtimes.push_back({rt->spec().name, rt->spec().path, rt->Version()});
    for (Case& c : cases_) {
      if (!c.rss_kb.empty()) c.meta.counters["runtime_peak_rss_kb"] = Median(c.rss_kb);
      if (c.meta.status == "ok" && !c.meta.samples_ns.empty() && c.threads > 1)
        c.meta.counters["lifecycles_per_s"] = c.threads / (Median(c.meta.samples_ns) / 1e9);
      run.cases.push_back(c.meta);
    }
    for (const reports::BenchCase& c : skipped_) run.cases.push_back(c);
    reports::FinishRun(run);
    return run;
  }

  // Containers a crashed ocirun-libbench left in its root, removed through the ocirun CLI.
  int CleanupLibraryRoot() {
    std::string root = work_ + "/root-library";
    const RuntimeCli* cli = nullptr;
    for (const auto& rt : rts_)
      if (rt->spec().name == o_.library_runtime) cli = rt.get();
    std::error_code ec;
    if (!cli || !std::filesystem::is_directory(root, ec)) return 0;
    RuntimeCli lib({cli->spec().name, cli->spec().path}, root, work_ + "/io");
    int left = 0;
    for (const auto& e : std::filesystem::directory_iterator(root, ec)) {
      std::string id = e.path().filename();
      if (!lib.Delete(id, true).ok() && lib.Status(id).ok()) ++left;
    }
    return left;
  }

  void Cleanup() {
    int left = registry_.DeleteAll();
    if (!work_.empty()) left += CleanupLibraryRoot();
    if (work_.empty()) return;
    if (left > 0) {
      Progress("warning: %d container(s) could not be deleted; keeping %s", left, work_.c_str());
      return;
    }
    std::error_code ec;
    std::filesystem::remove_all(work_, ec);
  }

  std::string IdPrefix() const { return "oct-bench-" + std::to_string(::getpid()); }

  template <typename... Args>
  void Progress(const char* format, Args... args) {
    if (!o_.progress) return;
    auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start_);
    std::fprintf(o_.progress, "[bench %3lldm%02llds] ", static_cast<long long>(elapsed.count() / 60),
                 static_cast<long long>(elapsed.count() % 60));
    if constexpr (sizeof...(args) == 0) {
      std::fputs(format, o_.progress);
    } else {
      std::fprintf(o_.progress, format, args...);
    }
    std::fputc('\n', o_.progress);
    std::fflush(o_.progress);
  }

  const BenchOptions& o_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::string work_;
  std::vector<std::unique_ptr<RuntimeCli>> rts_;
  ContainerRegistry registry_;
  std::deque<Case> cases_;  // deque: lambdas hold indexes, Case addresses stay valid while growing
  std::vector<reports::BenchCase> skipped_;
  int library_calls_ = 0;
  std::unique_ptr<std::ofstream> gbench_out_;
  TeeReporter reporter_;
};

}  // namespace

std::string MachineKind() {
  struct utsname u {};
  ::uname(&u);
  std::string os = u.sysname;
  std::transform(os.begin(), os.end(), os.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return os + "-" + u.machine + "-" + std::to_string(std::thread::hardware_concurrency()) + "cpu";
}

base::Status ValidateOptions(const BenchOptions& o) {
  if (o.runtimes.empty()) return base::InvalidArgument("--runtime: no runtime to benchmark");
  std::set<std::string> names;
  for (const RuntimeSpec& r : o.runtimes) {
    if (r.name.empty() || r.name.find_first_of("/ ") != std::string::npos)
      return base::InvalidArgument("--runtime " + r.name + "=" + r.path + ": NAME must be non-empty, without '/' or spaces");
    if (!names.insert(r.name).second) return base::InvalidArgument("--runtime: name " + r.name + " given twice");
    if (::access(r.path.c_str(), X_OK) != 0)
      return base::InvalidArgument("--runtime " + r.name + "=" + r.path + ": not an executable file");
  }
  if (!o.reference.empty() && !names.count(o.reference))
    return base::InvalidArgument("--reference " + o.reference + ": not one of the --runtime names");
  for (const std::string& op : o.operations)
    if (!FindOperation(op)) return base::InvalidArgument("--ops: unknown operation \"" + op + "\"");
  for (const std::string& iso : o.isolations)
    if (iso != "process" && iso != "hyperv")
      return base::InvalidArgument("--isolation " + iso + ": expected process or hyperv");
  if (o.repetitions < 1) return base::InvalidArgument("--repetitions: must be at least 1");
  if (o.iterations == 0 && o.min_time_s <= 0) return base::InvalidArgument("--min-time: must be positive");
  for (int n : o.threads)
    if (n < 1 || n > 64) return base::InvalidArgument("--threads: each value must be 1..64");
  for (int n : o.others)
    if (n < 0 || n > 1000) return base::InvalidArgument("--others: each value must be 0..1000");
  if (o.out_dir.empty()) return base::InvalidArgument("--out: missing");
  if (!o.library_helper.empty() && ::access(o.library_helper.c_str(), X_OK) != 0)
    return base::InvalidArgument("--library-helper " + o.library_helper + ": not an executable file");
  return base::Status::Ok();
}

base::Result<reports::BenchRun> RunBenchmarks(const BenchOptions& options) {
  RETURN_IF_ERROR(ValidateOptions(options));
  static bool initialized = [] {
    // Repetitions of all cases run in random order (A B B A ...), so drift hits every runtime alike.
    static char arg0[] = "ocicert-bench", interleave[] = "--benchmark_enable_random_interleaving=true";
    char* argv[] = {arg0, interleave, nullptr};
    int argc = 2;
    benchmark::Initialize(&argc, argv);
    return true;
  }();
  (void)initialized;
  Session session(options);
  return session.Run();
}

}  // namespace ocicert::bench
