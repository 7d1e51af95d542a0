// The init's terminal step: with process.terminal, a pty whose slave becomes stdio and whose master
// goes to the --console-socket (OPS's console.h does the pty and socket work).
#pragma once

#include <optional>
#include <string>

#include "base/status.h"
#include "specs/spec.h"

namespace ocirun::linux {

// No-op without a terminal. With one: kInvalidArgument when no console socket was given.
base::Status SetupConsole(bool terminal, const std::string& console_socket,
                          const std::optional<ocispec::ConsoleSize>& size);

}  // namespace ocirun::linux
