// OCI lifecycle hooks (runtime.md "Lifecycle", config.md "POSIX-platform Hooks"): run one hook or
// a list with the container state JSON on stdin, honouring `timeout`.
//
// fork/exec based, no threads: usable from the runtime process and from the container init after
// clone (createContainer/startContainer run in the container's namespaces). Between fork and exec
// the child only calls async-signal-safe functions on memory prepared before the fork.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "specs/spec.h"

namespace ocirun::linux {

enum class HookKind {
  kPrestart,
  kCreateRuntime,
  kCreateContainer,
  kStartContainer,
  kPoststart,
  kPoststop,
};

// The config.json key: "prestart", "createRuntime", ...
std::string_view HookKindName(HookKind kind);

// The hooks of `kind` in `hooks`.
const std::vector<ocispec::Hook>& HooksOf(const ocispec::Hooks& hooks, HookKind kind);

// Runs one hook: argv = hook.args (hook.path alone when empty), env = hook.env (ours when empty,
// as runc does), stdin = `state_json`, stdout+stderr captured, fds >= 3 closed, own process group.
// Fails (naming the kind, index and path) when exec fails, the hook exits non-zero or by a signal
// (the end of its output is in the message), or `timeout` seconds pass (kTimeout; the hook's
// process group is killed). A timeout <= 0 is refused (config.md: MUST be greater than zero).
base::Status RunHook(HookKind kind, size_t index, const ocispec::Hook& hook,
                     std::string_view state_json);

enum class OnHookFailure {
  kStop,      // prestart, createRuntime, createContainer, startContainer, poststart
  kContinue,  // poststop: run the remaining hooks, report the first failure (a warning)
};

// Runs `hooks` in order. kStop: returns the first failure at once. kContinue: runs them all and
// returns the first failure.
base::Status RunHooks(HookKind kind, const std::vector<ocispec::Hook>& hooks,
                      std::string_view state_json, OnHookFailure on_failure);

// The policy runtime.md gives each kind.
OnHookFailure DefaultOnFailure(HookKind kind);

}  // namespace ocirun::linux
