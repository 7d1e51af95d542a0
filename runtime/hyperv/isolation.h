// Isolation modes on Linux (ARCHITECTURE.md "Isolation modes"): `process` (namespaces + cgroups on
// the host kernel: runtime/linux/) or `hyperv` (a utility VM per container under QEMU: this folder).
// A container's mode comes from its annotation kIsolationAnnotation, else from ocirun's global
// --isolation flag (default process). create records it in state.json (facts.backend["isolation"]);
// every later verb dispatches on the recorded mode, never on the flag.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "runtime/container/state_store.h"

namespace ocirun::hyperv {

enum class Isolation { kProcess, kHyperv };

inline constexpr char kIsolationAnnotation[] = "io.ocirun.isolation";

// "process" / "hyperv".
std::string_view IsolationName(Isolation mode);
// kInvalidArgument naming `what` (the flag or annotation) for anything but "process" or "hyperv".
base::Result<Isolation> ParseIsolation(std::string_view text, std::string_view what);
// The mode a new container gets: config.annotations[kIsolationAnnotation], else `default_mode`.
base::Result<Isolation> ChooseIsolation(const nlohmann::json& config, Isolation default_mode);
// The mode create recorded; containers made before modes existed are process-isolated.
Isolation RecordedIsolation(const StateFacts& facts);

}  // namespace ocirun::hyperv
