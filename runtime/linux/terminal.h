// The terminal step of the init (create after pivot_root, exec after joining): with
// process.terminal, open a pty from the container's /dev/ptmx, apply process.consoleSize, pass the
// master to the parent (kConsole + SCM_RIGHTS, init_protocol.h) and make the slave the controlling
// terminal and stdio. Without a terminal: a new session, stdio untouched. console.h does
// the pty work; the parent hands the master to --console-socket or relays it (console.h).
#pragma once

#include <optional>

#include "base/status.h"
#include "specs/spec.h"

namespace ocirun::linux {

base::Status SetupTerminal(int sock, bool terminal, const std::optional<ocispec::ConsoleSize>& size);

}  // namespace ocirun::linux
