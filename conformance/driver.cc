#include "conformance/driver.h"

#include <fmt/format.h>

#include "base/file.h"
#include "harness/runtime_command.h"

namespace conform {

Driver::Driver(const RuntimeUnderTest& rt, std::string state_root, std::string scratch,
               Clock::time_point deadline)
    : rt_(rt), state_root_(std::move(state_root)), scratch_(std::move(scratch)), deadline_(deadline) {}

const Call& Driver::Run(const std::vector<std::string>& args, const InvokeOptions& options) {
  if (options.record && Interrupted().load()) throw CaseAbort{CaseAbort::kError, "interrupted"};
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
  if (options.record && left.count() <= 0) {
    timed_out_ = true;
    throw CaseAbort{CaseAbort::kError, "case timed out"};
  }
  Call call;
  int n;
  {
    std::lock_guard<std::mutex> lock(mu_);
    n = ++counter_;
  }
  call.stdout_path = fmt::format("{}/call-{:03}.out", scratch_, n);
  call.stderr_path = fmt::format("{}/call-{:03}.err", scratch_, n);
  harness::RuntimeCommand cmd;
  cmd.root = options.root.empty() ? state_root_ : options.root;
  cmd.global_args = options.global_args;
  cmd.args = args;
  cmd.stdin_data = options.stdin_data;
  cmd.stdout_file = call.stdout_path;
  cmd.stderr_file = call.stderr_path;
  cmd.extra_fds = options.extra_fds;
  cmd.cwd = scratch_;
  auto timeout = harness::CommandTimeout(rt_, options.timeout);
  cmd.timeout = options.record ? std::min(timeout, std::max(left, std::chrono::milliseconds(1))) : timeout;
  call.inv.argv = harness::RuntimeArgv(rt_, cmd);
  auto result = harness::RunRuntime(rt_, cmd);
  if (!result.ok()) {
    call.inv.exit_code = -1;
    call.inv.stderr_text = "ocicert: " + result.status().ToString();
  } else {
    call.inv.exit_code = result->shell_status();
    call.signal = result->timed_out ? 0 : result->term_signal;
    call.inv.timed_out = result->timed_out;
    call.inv.duration_s = std::chrono::duration<double>(result->duration).count();
  }
  call.inv.stdout_text = base::ReadFile(call.stdout_path).value_or("");
  call.inv.stderr_text = base::ReadFile(call.stderr_path).value_or("");
  // Kept apart from the transcript; a deque keeps earlier references valid. (Not a thread_local: in
  // the mingw build its destructor, run by winpthreads at worker exit, freed a bad pointer.)
  std::lock_guard<std::mutex> lock(mu_);
  std::deque<Call>& store = options.record ? calls_ : unrecorded_;
  store.push_back(std::move(call));
  if (options.record && store.back().inv.timed_out) {
    timed_out_ = true;
    throw CaseAbort{CaseAbort::kError, fmt::format("`{}` timed out after {} ms: the runtime did not answer",
                                                   args.empty() ? "" : args[0], cmd.timeout.count())};
  }
  return store.back();
}

std::string Driver::OutputOf(const Call& call) const { return base::ReadFile(call.stdout_path).value_or(""); }
std::string Driver::ErrorsOf(const Call& call) const { return base::ReadFile(call.stderr_path).value_or(""); }

std::vector<reports::Invocation> Driver::Transcript() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<reports::Invocation> out;
  for (const Call& c : calls_) out.push_back(c.inv);
  return out;
}

}  // namespace conform
