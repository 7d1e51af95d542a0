// The one driver of a runtime's command line (runc/runhcs): `<path> <root flag> <root> [global
// flags] <args>`, run as a child process. conform's case driver (conformance/driver.h) records these
// calls in a case's transcript; bench's RuntimeCli (bench/runtime_cli.h) times them.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/subprocess.h"
#include "harness/runtime.h"

namespace harness {

struct RuntimeCommand {
  std::string root;                          // the state root, passed with the profile's root flag
  std::vector<std::string> global_args;      // e.g. --log FILE --log-format json
  std::vector<std::string> args;             // the command and its arguments
  std::optional<std::string> stdin_data;     // nullopt: /dev/null
  std::vector<int> extra_fds;                // become fd 3, 4, ...
  std::string cwd;                           // empty: ours
  // stdout / stderr go to these files when set. A container inherits the stdio of `create` and
  // `exec -d`: a pipe would keep the caller waiting for the container's exit.
  std::string stdout_file;
  std::string stderr_file;
  std::chrono::milliseconds timeout{10000};  // as given (CommandTimeout applies the profile's floor)
};

// The argv of a command: `<path> <root flag> <root> <global_args> <args>`.
std::vector<std::string> RuntimeArgv(const RuntimeUnderTest& rt, const RuntimeCommand& cmd);

// Runs a command; the result holds its exit status, signal, timeout, duration and peak RSS. Fails
// only when the runtime could not be started.
base::Result<base::SubprocessResult> RunRuntime(const RuntimeUnderTest& rt, const RuntimeCommand& cmd);

// The timeout a command gets: `wanted`, at least the profile's min_command_timeout.
std::chrono::milliseconds CommandTimeout(const RuntimeUnderTest& rt, std::chrono::milliseconds wanted);

// First line of `<path> --version` ("" when it failed).
std::string RuntimeVersion(const RuntimeUnderTest& rt);
// The output of `<path> features` ("" when the runtime has no such command or it failed).
std::string RuntimeFeatures(const RuntimeUnderTest& rt);

}  // namespace harness
