#include "bench/runner.h"

#include <algorithm>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "base/subprocess.h"

#include "bench/bundle.h"
#include "bench/cases.h"
#include "bench/driver.h"
#include "bench/memory.h"
#include "bench/operations.h"
#include "bench/windows_bundle.h"
#include "harness/host.h"
#include "harness/runtime_command.h"
#include "runtime/hcs/wclayer.h"

namespace ocicert::bench {
namespace {

namespace host = harness::host;

std::string FormatNs(double ns) {
  if (ns >= 1e6) return fmt::format("{:.2f} ms", ns / 1e6);
  return fmt::format("{:.1f} us", ns / 1e3);
}

double Median(std::vector<double> v) { return reports::Summarize(std::move(v)).median; }

// A repetition through the runtime's command line: one Fixture (and its shared container) for all of
// its iterations; every iteration's time is a sample.
class CliRepetition final : public Repetition {
 public:
  CliRepetition(MeasuredCase& c, Bundles& bundles, ContainerRegistry& registry, const std::string& id_prefix,
                const ProgressLog& progress)
      : c_(c), fixture_(*c.rt, bundles, registry, id_prefix), progress_(progress) {}

  base::Result<double> Next() override {
    Timer t;
    base::Status s = c_.body(fixture_, t);
    if (!s.ok()) {
      FailCase(c_, s, progress_);
      return s;
    }
    double ns = static_cast<double>(t.wall.count());
    c_.meta.samples_ns.push_back(ns);
    // 0 is "unknown" (a host that cannot tell, e.g. wine after the process exited): left out, not averaged in.
    if (t.peak_rss_kb > 0) c_.rss_kb.push_back(static_cast<double>(t.peak_rss_kb));
    peak_rss_kb_ = std::max(peak_rss_kb_, static_cast<double>(t.peak_rss_kb));
    return ns;
  }
  std::map<std::string, double> Counters() const override {
    if (peak_rss_kb_ <= 0) return {};
    return {{"runtime_peak_rss_kb", peak_rss_kb_}};
  }

 private:
  MeasuredCase& c_;
  Fixture fixture_;
  const ProgressLog& progress_;
  double peak_rss_kb_ = 0;
};

// A repetition through ocirun's library: the helper ran all of its iterations up front.
class LibraryRepetition final : public Repetition {
 public:
  LibraryRepetition(MeasuredCase& c, std::vector<double> samples) : c_(c), samples_(std::move(samples)) {}

  base::Result<double> Next() override {
    if (next_ >= samples_.size()) return base::Internal(c_.meta.name + ": more iterations than the helper ran");
    double ns = samples_[next_++];
    c_.meta.samples_ns.push_back(ns);
    return ns;
  }
  std::map<std::string, double> Counters() const override { return {}; }

 private:
  MeasuredCase& c_;
  std::vector<double> samples_;
  size_t next_ = 0;
};

// Measurement: the work folder and bundles, the warm-up and the interleaved phases (main, then each
// scaling level), the library helper, memory; and cleanup. The cases come from a CaseRegistry and the
// results from AssembleRun (cases.h).
class Session final : public CaseSource {
 public:
  explicit Session(const BenchOptions& o) : o_(o), progress_(o.progress), cases_(o) {}
  ~Session() override { Cleanup(); }

  base::Result<reports::BenchRun> Run() {
    RETURN_IF_ERROR(Prepare());
    cases_.AddMainCases(rts_, progress_);
    RunPhase("main", MainCaseIndexes());
    RunScalePhases();
    RETURN_IF_ERROR_CTX(driver_->Finish(), "write " + o_.out_dir + "/gbench.json");
    return AssembleRun(o_, rts_, cases_);
  }

  // CaseSource, for the driver.
  const std::string& Name(size_t index) const override { return cases_.at(index).meta.name; }

  base::Result<std::unique_ptr<Repetition>> Begin(size_t index, int iterations) override {
    MeasuredCase& c = cases_.at(index);
    if (c.meta.status != "ok") return base::Internal(c.meta.message);
    if (!c.library) return std::unique_ptr<Repetition>(new CliRepetition(c, *bundles_, containers_, IdPrefix(), progress_));
    auto samples = RunLibraryHelper(c, iterations);
    if (!samples.ok()) {
      FailCase(c, samples.status(), progress_);
      return samples.status();
    }
    return std::unique_ptr<Repetition>(new LibraryRepetition(c, std::move(samples).value()));
  }

  void End(size_t index) override {
    const MeasuredCase& c = cases_.at(index);
    if (c.meta.status == "ok")
      progress_("%-34s %4zu samples, median %s", c.meta.name.c_str(), c.meta.samples_ns.size(),
                FormatNs(Median(c.meta.samples_ns)).c_str());
  }

 private:
  base::Status Prepare() {
    RETURN_IF_ERROR(MakeWorkDir());
    progress_("work directory %s (measuring with %s)", work_.c_str(), DriverName());
    if (!o_.windows_layers.empty()) {
      bundles_ = std::make_unique<WindowsBundles>(ocirun::hcs::wclayer::HostLayerApi(), work_ + "/bundles",
                                                  o_.windows_layers);
    } else {
      auto shared = std::make_unique<SharedBundles>(work_);
      RETURN_IF_ERROR(shared->Make(o_.busybox));
      bundles_ = std::move(shared);
    }
    std::filesystem::create_directories(work_ + "/io");
    for (const harness::RuntimeUnderTest& spec : o_.runtimes) {
      std::string root = host::NativePath(work_ + "/root-" + spec.name);
      std::filesystem::create_directories(root);
      rts_.push_back(std::make_unique<RuntimeCli>(spec, root, work_ + "/io"));
    }
    DriverSettings settings{o_.repetitions, o_.iterations, o_.min_time_s};
    ASSIGN_OR_RETURN(driver_, MakeDriver(settings, o_.out_dir + "/gbench.json"));
    return base::Status::Ok();
  }

  // A new private folder under --work-dir (default: the temp folder), named after our pid.
  base::Status MakeWorkDir() {
    std::string parent = o_.work_dir.empty() ? host::TempDir() : o_.work_dir;
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
      std::string dir = host::NativePath(
          fmt::format("{}/oct-bench-{}-{:06x}", parent, host::SelfPid(), rd() & 0xffffff));
      std::error_code ec;
      if (std::filesystem::create_directory(dir, ec)) {
        work_ = dir;
        // Private, as mkdtemp makes it: the runtimes' state folders live here. (On Windows this
        // only clears the read-only attribute; the temp folder is the user's own there.)
        std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
        if (ec) return base::ErrnoError("make " + dir + " private", ec.value());
        return base::Status::Ok();
      }
      if (ec) return base::ErrnoError("create work directory " + dir, ec.value());
    }
    return base::Internal("create work directory under " + parent + ": every name taken");
  }

  std::vector<size_t> MainCaseIndexes() const {
    std::vector<size_t> idx;
    for (size_t i = 0; i < cases_.size(); ++i) idx.push_back(i);
    return idx;
  }

  // Warm-up, then the driver measures the cases of `indexes` that survived it.
  void RunPhase(const std::string& phase, const std::vector<size_t>& indexes) {
    progress_("phase %s: warm-up (%d untimed iteration(s) per case)", phase.c_str(), o_.warmup_iterations);
    for (size_t i : indexes) WarmUp(cases_.at(i));
    std::vector<size_t> ok;
    for (size_t i : indexes)
      if (cases_.at(i).meta.status == "ok") ok.push_back(i);
    progress_("phase %s: measuring %zu case(s) x %d repetition(s), interleaved", phase.c_str(), ok.size(),
              o_.repetitions);
    if (!ok.empty()) driver_->RunPhase(*this, ok);
  }

  void WarmUp(MeasuredCase& c) {
    if (c.library) {
      auto samples = RunLibraryHelper(c, o_.warmup_iterations);
      if (!samples.ok()) FailCase(c, samples.status(), progress_);
      return;
    }
    Fixture f(*c.rt, *bundles_, containers_, IdPrefix());
    for (int i = 0; i < o_.warmup_iterations && c.meta.status == "ok"; ++i) {
      Timer t;
      base::Status s = c.body(f, t);
      if (!s.ok()) FailCase(c, s, progress_);
    }
  }

  base::Result<std::vector<double>> RunLibraryHelper(const MeasuredCase& c, int iterations) {
    std::string result = work_ + "/io/libbench-result.json";
    base::SubprocessOptions sp;
    sp.argv = {o_.library_helper, "measure", "--root", work_ + "/root-library", "--sleep", work_ + "/sleep",
               "--true", work_ + "/true", "--op", c.meta.operation, "--iterations", std::to_string(iterations),
               "--prefix", IdPrefix() + "-lib" + std::to_string(library_calls_++), "--result", result};
    sp.capture_stdout = sp.capture_stderr = false;  // containers inherit them: files, not pipes
    sp.stdout_file = work_ + "/io/libbench.out";
    sp.stderr_file = work_ + "/io/libbench.err";
    sp.timeout = std::chrono::seconds(60 + 10 * iterations);
    std::error_code ec;
    std::filesystem::remove(result, ec);
    std::filesystem::remove(sp.stderr_file, ec);
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

  // Levels of containers present (per runtime, in its own root) while state and lifecycle are measured.
  void RunScalePhases() {
    std::vector<int> levels = o_.others;
    std::sort(levels.begin(), levels.end());
    levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
    std::vector<std::string> ops;
    for (const char* op : {"state", "lifecycle"})
      if (cases_.Wants(op)) ops.push_back(op);
    if (ops.empty() || levels.empty() || !cases_.Isolation("process")) return;
    std::vector<std::unique_ptr<Fixture>> pools;
    std::vector<std::vector<std::string>> pool_ids(rts_.size());
    for (const auto& rt : rts_)
      pools.push_back(std::make_unique<Fixture>(*rt, *bundles_, containers_, IdPrefix() + "-bg"));
    bool memory_done = false;
    for (int level : levels) {
      progress_("scaling: growing to %d background container(s) per runtime", level);
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
          MeasuredCase& c = cases_.Add(*rts_[r], op, "others:" + std::to_string(level), FindOperation(op)->run);
          if (!grow_errors[r].empty())
            FailCase(c, base::Internal("start background containers: " + grow_errors[r]), progress_);
          if (level > 0 && !memory_done && op == ops.front()) MeasureMemory(c, *rts_[r], pool_ids[r]);
          idx.push_back(cases_.size() - 1);
        }
      }
      if (level > 0) memory_done = true;
      RunPhase("others:" + std::to_string(level), idx);
    }
    for (size_t r = 0; r < rts_.size(); ++r)
      for (const std::string& id : pool_ids[r]) pools[r]->Remove(id).IgnoreError();
  }

  // Per-container memory: medians over the background containers of one runtime.
  void MeasureMemory(MeasuredCase& c, const RuntimeCli& rt, const std::vector<std::string>& ids) {
    if (!host::ContainerMemoryProblem().empty()) return;  // said once, in the run's warnings
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

  // Containers a crashed ocirun-libbench left in its root, removed through the ocirun CLI.
  int CleanupLibraryRoot() {
    std::string root = work_ + "/root-library";
    const RuntimeCli* cli = nullptr;
    for (const auto& rt : rts_)
      if (rt->runtime().name == o_.library_runtime) cli = rt.get();
    std::error_code ec;
    if (!cli || !std::filesystem::is_directory(root, ec)) return 0;
    RuntimeCli lib(cli->runtime(), root, work_ + "/io");
    int left = 0;
    for (const auto& e : std::filesystem::directory_iterator(root, ec)) {
      std::string id = e.path().filename().string();
      if (!lib.Delete(id, true).ok() && lib.Status(id).ok()) ++left;
    }
    return left;
  }

  void Cleanup() {
    int left = containers_.DeleteAll();
    if (!work_.empty()) left += CleanupLibraryRoot();
    if (work_.empty()) return;
    if (left > 0) {
      progress_("warning: %d container(s) could not be deleted; keeping %s", left, work_.c_str());
      return;
    }
    host::RemoveTree(work_);
  }

  std::string IdPrefix() const { return "oct-bench-" + std::to_string(host::SelfPid()); }

  const BenchOptions& o_;
  ProgressLog progress_;
  std::string work_;
  std::unique_ptr<Bundles> bundles_;
  std::unique_ptr<RepetitionDriver> driver_;
  std::vector<std::unique_ptr<RuntimeCli>> rts_;
  ContainerRegistry containers_;
  CaseRegistry cases_;
  int library_calls_ = 0;
};

// Windows containers need the image's layers; Linux containers cannot use them. The library helper
// and hyperv are Linux-side (docs/bench.md).
base::Status ValidateWindowsOptions(const BenchOptions& o) {
  if (!host::WindowsContainers()) {
    if (!o.windows_layers.empty())
      return base::InvalidArgument("--windows-layers: only for Windows containers, on a Windows host");
    return base::Status::Ok();
  }
  if (o.windows_layers.empty())
    return base::InvalidArgument("--windows-layers is required: Windows containers are made from an image's "
                                 "layer folders (top-most first, or the top layer with its layerchain.json)");
  if (!o.library_helper.empty())
    return base::InvalidArgument("--library-helper: not on Windows (ocirun-libbench drives ocirun's Linux backend)");
  return base::Status::Ok();
}

}  // namespace

base::Status ValidateOptions(const BenchOptions& o) {
  if (o.runtimes.empty()) return base::InvalidArgument("--runtime: no runtime to benchmark");
  std::set<std::string> names;
  for (const harness::RuntimeUnderTest& r : o.runtimes) {
    if (r.name.empty() || r.name.find_first_of("/ ") != std::string::npos)
      return base::InvalidArgument("--runtime " + r.name + "=" + r.path + ": NAME must be non-empty, without '/' or spaces");
    if (!names.insert(r.name).second) return base::InvalidArgument("--runtime: name " + r.name + " given twice");
    if (!host::IsExecutable(r.path))
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
  if (!o.library_helper.empty() && !host::IsExecutable(o.library_helper))
    return base::InvalidArgument("--library-helper " + o.library_helper + ": not an executable file");
  return ValidateWindowsOptions(o);
}

base::Result<reports::BenchRun> RunBenchmarks(const BenchOptions& options) {
  RETURN_IF_ERROR(ValidateOptions(options));
  Session session(options);
  return session.Run();
}

}  // namespace ocicert::bench
