// The bench's cases: one per (operation, variant, runtime), registered from the options, and what is
// measured for each. The runner (runner.cc) measures them; AssembleRun turns them into the run's
// results.
#pragma once

#include <cstdio>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bench/operations.h"
#include "bench/runner.h"
#include "bench/runtime_cli.h"
#include "reports/bench_result.h"

namespace ocicert::bench {

using Body = std::function<base::Status(Fixture&, Timer&)>;

// One benchmark case and everything measured for it.
struct MeasuredCase {
  reports::BenchCase meta;
  const RuntimeCli* rt = nullptr;
  Body body;
  std::vector<double> rss_kb;  // peak RSS of the runtime per sample
  int threads = 1;             // concurrent lifecycles per iteration
  bool library = false;        // measured by ocirun-libbench through ocirun's library
};

// Progress lines on stderr, each stamped with the time since the run began.
class ProgressLog {
 public:
  explicit ProgressLog(FILE* out) : out_(out) {}

  template <typename... Args>
  void operator()(const char* format, Args... args) const {
    if (!out_) return;
    auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start_);
    std::fprintf(out_, "[bench %3lldm%02llds] ", static_cast<long long>(elapsed.count() / 60),
                 static_cast<long long>(elapsed.count() % 60));
    if constexpr (sizeof...(args) == 0) {
      std::fputs(format, out_);
    } else {
      std::fprintf(out_, format, args...);
    }
    std::fputc('\n', out_);
    std::fflush(out_);
  }

 private:
  FILE* out_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// Marks `c` failed with `s` (the first failure wins) and says so.
void FailCase(MeasuredCase& c, const base::Status& s, const ProgressLog& progress);

// Registration: which cases a run has, from its options.
class CaseRegistry {
 public:
  explicit CaseRegistry(const BenchOptions& o) : o_(o) {}

  // The operations measured (--ops, else all) and whether one is.
  std::vector<std::string> Operations() const;
  bool Wants(const std::string& op) const;
  bool Isolation(const char* mode) const;

  MeasuredCase& Add(const RuntimeCli& rt, const std::string& op, const std::string& variant, Body body);
  // Per runtime: every operation, its library twin (--library-helper), the concurrent lifecycles; then
  // the hyperv cases, skipped with the reason (said on `progress`).
  void AddMainCases(const std::vector<std::unique_ptr<RuntimeCli>>& rts, const ProgressLog& progress);

  MeasuredCase& at(size_t index) { return cases_[index]; }
  const MeasuredCase& at(size_t index) const { return cases_[index]; }
  size_t size() const { return cases_.size(); }
  std::deque<MeasuredCase>& cases() { return cases_; }
  const std::vector<reports::BenchCase>& skipped() const { return skipped_; }

 private:
  void AddHypervCases(const std::vector<std::unique_ptr<RuntimeCli>>& rts, const ProgressLog& progress);

  const BenchOptions& o_;
  std::deque<MeasuredCase> cases_;  // deque: lambdas hold indexes, addresses stay valid while growing
  std::vector<reports::BenchCase> skipped_;
};

// Results: the finished run (host facts, settings, runtimes, each case's summary and counters).
reports::BenchRun AssembleRun(const BenchOptions& o, const std::vector<std::unique_ptr<RuntimeCli>>& rts,
                              CaseRegistry& registry);

}  // namespace ocicert::bench
