// The typed model of an OCI runtime-spec config.json (versions 1.0 to 1.3), see
// https://github.com/opencontainers/runtime-spec/blob/main/config.md.
//
// Conventions:
// - Fields use snake_case; their JSON names are the spec's (mapping in spec_json_*.cc).
// - std::optional where the spec's absence differs from any value (or for uid/gid, whose absence a
//   validator must see); plain vectors and maps where absence and emptiness mean the same thing
//   (ToJson omits them when empty).
// - Every object keeps the properties it does not know in `extra` (a JSON object, possibly null),
//   so a config parsed and written back keeps vendor extensions and newer fields.
// - The parser checks types and ranges only; REQUIRED fields, value sets and cross-field rules are
//   the validator's job (specs/validate.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "specs/spec_linux.h"
#include "specs/spec_windows.h"

namespace ocispec {

// process.consoleSize: the pty size in characters.
struct ConsoleSize {
  uint32_t height = 0;
  uint32_t width = 0;
  nlohmann::json extra;
};

// process.user. uid/gid are REQUIRED on POSIX platforms; username is Windows-only.
struct User {
  std::optional<uint32_t> uid;
  std::optional<uint32_t> gid;
  std::optional<uint32_t> umask;
  std::vector<uint32_t> additional_gids;
  std::optional<std::string> username;
  nlohmann::json extra;
};

// process.capabilities: capability names ("CAP_SYS_ADMIN") per set.
struct Capabilities {
  std::vector<std::string> bounding;
  std::vector<std::string> effective;
  std::vector<std::string> inheritable;
  std::vector<std::string> permitted;
  std::vector<std::string> ambient;
  nlohmann::json extra;
};

// One process.rlimits entry; type is "RLIMIT_*" and unique within the array.
struct Rlimit {
  std::string type;
  uint64_t hard = 0;
  uint64_t soft = 0;
  nlohmann::json extra;
};

// process.ioPriority (1.1+): class is IOPRIO_CLASS_RT|BE|IDLE, priority 0..7.
struct IoPriority {
  std::string io_class;  // JSON "class"
  int32_t priority = 0;
  nlohmann::json extra;
};

// process.scheduler (1.1+): sched_setattr(2) parameters.
struct Scheduler {
  std::string policy;
  std::optional<int32_t> nice;
  std::optional<int32_t> priority;
  std::vector<std::string> flags;
  std::optional<uint64_t> runtime;
  std::optional<uint64_t> deadline;
  std::optional<uint64_t> period;
  nlohmann::json extra;
};

// process.execCPUAffinity (1.2+): CPU lists ("0-3,7") before and after exec.
struct ExecCpuAffinity {
  std::optional<std::string> initial;
  std::optional<std::string> final_cpus;  // JSON "final"
  nlohmann::json extra;
};

// The container process (config `process`, also the document of `exec -p process.json`).
struct Process {
  std::optional<bool> terminal;
  std::optional<ConsoleSize> console_size;
  User user;
  std::vector<std::string> args;
  std::optional<std::string> command_line;  // Windows only
  std::vector<std::string> env;             // "KEY=value"
  std::string cwd;                          // REQUIRED, absolute
  std::optional<Capabilities> capabilities;
  std::vector<Rlimit> rlimits;
  std::optional<bool> no_new_privileges;
  std::optional<std::string> apparmor_profile;
  std::optional<int32_t> oom_score_adj;
  std::optional<std::string> selinux_label;
  std::optional<IoPriority> io_priority;
  std::optional<Scheduler> scheduler;
  std::optional<ExecCpuAffinity> exec_cpu_affinity;
  nlohmann::json extra;
};

// config `root`: the container's root filesystem (REQUIRED except on Windows, where layers apply).
struct Root {
  std::string path;
  std::optional<bool> readonly;
  nlohmann::json extra;
};

// One `mounts` entry, applied in order.
struct Mount {
  std::string destination;  // REQUIRED; absolute on Linux (relative deprecated)
  std::optional<std::string> type;
  std::optional<std::string> source;
  std::vector<std::string> options;
  std::vector<IdMapping> uid_mappings;  // idmapped mount (1.1+)
  std::vector<IdMapping> gid_mappings;
  nlohmann::json extra;
};

// One hook: an absolute `path` run with `args`/`env`, killed after `timeout` seconds (> 0).
struct Hook {
  std::string path;
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::optional<int64_t> timeout;
  nlohmann::json extra;
};

// config `hooks`, in lifecycle order (prestart is deprecated since 1.0.2).
struct Hooks {
  std::vector<Hook> prestart;
  std::vector<Hook> create_runtime;
  std::vector<Hook> create_container;
  std::vector<Hook> start_container;
  std::vector<Hook> poststart;
  std::vector<Hook> poststop;
  nlohmann::json extra;
};

// config `vm` (hypervisor-based runtimes).
struct VmHypervisor {
  std::string path;
  std::vector<std::string> parameters;
  nlohmann::json extra;
};
struct VmKernel {
  std::string path;
  std::vector<std::string> parameters;
  std::optional<std::string> initrd;
  nlohmann::json extra;
};
struct VmImage {
  std::string path;
  std::string format;  // raw, qcow2, vdi, vmdk, vhd
  nlohmann::json extra;
};
struct Vm {
  std::optional<VmHypervisor> hypervisor;
  VmKernel kernel;  // REQUIRED when vm is present
  std::optional<VmImage> image;
  nlohmann::json extra;
};

// The whole config.json.
struct Spec {
  std::string oci_version;  // REQUIRED, SemVer 2.0.0
  std::optional<Process> process;
  std::optional<Root> root;
  std::optional<std::string> hostname;
  std::optional<std::string> domainname;
  std::vector<Mount> mounts;
  std::optional<Hooks> hooks;
  std::map<std::string, std::string> annotations;
  std::optional<Linux> linux;
  std::optional<Windows> windows;
  std::optional<Vm> vm;
  nlohmann::json extra;  // unknown top-level properties (solaris, zos, vendor keys...)
};

}  // namespace ocispec
