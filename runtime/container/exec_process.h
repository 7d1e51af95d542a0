// exec's flags and how they become an OCI process object (runc's getProcess).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace ocirun {

struct ExecFlags {
  std::string process_file;  // -p/--process: an OCI process object; the other process flags are ignored
  std::vector<std::string> args;
  std::string console_socket;
  std::string cwd;
  std::vector<std::string> env;
  bool tty = false;
  std::string user;  // uid[:gid]
  std::string username;  // process.user.username (Windows: exec -u NAME, cli/platform_win32.cc)
  std::vector<unsigned> additional_gids;
  bool detach = false;
  std::string pid_file;
  int preserve_fds = 0;
  bool no_new_privs = false;
  std::vector<std::string> caps;
  bool ignore_paused = false;
  std::string ignored;
};

// The process to run. With --process, that file (read whole; its `args` must be non-empty). Without,
// the container's config `process` with the flags applied: args replaced, env appended, cwd, user,
// additional gids, tty, capabilities added, noNewPrivileges. Errors name the flag or field.
base::Result<nlohmann::json> BuildExecProcess(const ExecFlags& flags, const nlohmann::json& config_process);

}  // namespace ocirun
