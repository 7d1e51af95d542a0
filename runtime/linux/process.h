// The process setup shared by the container init and `exec` (one copy of it): rlimits, oom score,
// user and groups, capabilities, noNewPrivileges, umask, cwd, the executable lookup, then execve.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "specs/spec.h"

namespace ocirun::linux {

struct PreparedProcess {
  std::string path;  // the resolved executable
  std::vector<std::string> argv;
  std::vector<std::string> env;
};

// Applies every setting of `p` to the calling process except exec. Errors use runc's words
// ("chdir to cwd (\"/x\") set in config.json failed: ...", "exec: \"x\": executable file not found
// in $PATH") or name the field.
base::Result<PreparedProcess> SetupProcess(const ocispec::Process& p);

// Marks every fd >= 3 + preserve_fds close-on-exec and execs. Returns only on failure.
base::Status ExecProcess(const PreparedProcess& prepared, int preserve_fds);

// RLIMIT_* name -> resource number; kInvalidArgument for unknown names.
base::Result<int> RlimitNumber(const std::string& name);

}  // namespace ocirun::linux
