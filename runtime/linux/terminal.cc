#include "runtime/linux/terminal.h"

namespace ocirun::linux {

base::Status SetupConsole(bool terminal, const std::string& console_socket,
                          const std::optional<ocispec::ConsoleSize>& size) {
  if (!terminal) return base::Status::Ok();
  if (console_socket.empty()) {
    return base::InvalidArgument("process.terminal is true: --console-socket is required");
  }
  return base::Unimplemented("process.terminal: console support is not wired yet");
}

}  // namespace ocirun::linux
