#include "harness/runtime_command.h"

#include <algorithm>

namespace harness {
namespace {

// `<path> <args>` without a state root (--version, features): the output, or "" when it failed.
std::string Ask(const RuntimeUnderTest& rt, const std::string& arg, std::chrono::milliseconds timeout) {
  base::SubprocessOptions o;
  o.argv = {rt.path, arg};
  o.timeout = CommandTimeout(rt, timeout);
  auto r = base::RunSubprocess(o);
  if (!r.ok() || !r->success()) return "";
  return r->out;
}

}  // namespace

std::chrono::milliseconds CommandTimeout(const RuntimeUnderTest& rt, std::chrono::milliseconds wanted) {
  return std::max(wanted, rt.profile.min_command_timeout);
}

std::vector<std::string> RuntimeArgv(const RuntimeUnderTest& rt, const RuntimeCommand& cmd) {
  std::vector<std::string> argv = {rt.path, rt.profile.root_flag, cmd.root};
  argv.insert(argv.end(), cmd.global_args.begin(), cmd.global_args.end());
  argv.insert(argv.end(), cmd.args.begin(), cmd.args.end());
  return argv;
}

base::Result<base::SubprocessResult> RunRuntime(const RuntimeUnderTest& rt, const RuntimeCommand& cmd) {
  base::SubprocessOptions o;
  o.argv = RuntimeArgv(rt, cmd);
  o.stdin_data = cmd.stdin_data;
  o.extra_fds = cmd.extra_fds;
  o.cwd = cmd.cwd;
  if (!cmd.stdout_file.empty()) {
    o.capture_stdout = false;
    o.stdout_file = cmd.stdout_file;
  }
  if (!cmd.stderr_file.empty()) {
    o.capture_stderr = false;
    o.stderr_file = cmd.stderr_file;
  }
  o.timeout = cmd.timeout;
  return base::RunSubprocess(o);
}

std::string RuntimeVersion(const RuntimeUnderTest& rt) {
  std::string out = Ask(rt, "--version", std::chrono::seconds(5));
  size_t nl = out.find('\n');
  return nl == std::string::npos ? out : out.substr(0, nl);
}

std::string RuntimeFeatures(const RuntimeUnderTest& rt) { return Ask(rt, "features", std::chrono::seconds(5)); }

}  // namespace harness
