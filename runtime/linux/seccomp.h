// linux.seccomp: the OCI seccomp profile compiled with libseccomp and loaded into the container's
// init (or an exec'd process) just before it executes the user program.
//
// Semantics follow runc 1.1 (libcontainer/seccomp): syscall names this libseccomp does not know are
// skipped (profiles list syscalls of newer kernels); a rule whose action equals the default action is
// skipped (libseccomp refuses it); several conditions on the same argument index become separate
// rules (OR), conditions on distinct indexes one rule (AND); errnoRet defaults to EPERM. The filter
// does not set no_new_privs itself: process.noNewPrivileges decides, and without it the filter must be
// loaded while the process still holds CAP_SYS_ADMIN.
#pragma once

#include <memory>

#include "base/status.h"
#include "specs/spec_linux.h"

namespace ocirun::linux {

struct SeccompContextDeleter {
  void operator()(void* ctx) const;
};
// A compiled filter (libseccomp's scmp_filter_ctx), not yet loaded.
using SeccompFilter = std::unique_ptr<void, SeccompContextDeleter>;

// Compiles `profile`. kInvalidArgument naming the field for an action, architecture, operator or
// flag this build cannot apply ("linux.seccomp.syscalls[2].action: unknown action \"SCMP_ACT_FOO\"");
// kUnimplemented for SCMP_ACT_NOTIFY (no seccomp agent support).
base::Result<SeccompFilter> CompileSeccomp(const ocispec::Seccomp& profile);

// Loads the filter into the calling thread (all threads with SECCOMP_FILTER_FLAG_TSYNC).
base::Status LoadSeccomp(const SeccompFilter& filter);

// The actions, architectures and flags CompileSeccomp accepts, for `ocirun features`.
std::vector<std::string> SeccompActions();
std::vector<std::string> SeccompArchitectures();
std::vector<std::string> SeccompOperators();
std::vector<std::string> SeccompFlags();

}  // namespace ocirun::linux
