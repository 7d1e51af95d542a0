#include "runtime/linux/terminal.h"

#include <unistd.h>

#include <cstring>

#include "runtime/linux/console.h"
#include "runtime/linux/init_protocol.h"

namespace ocirun::linux {

base::Status SetupTerminal(int sock, bool terminal, const std::optional<ocispec::ConsoleSize>& size) {
  if (!terminal) {
    if (::setsid() < 0) return base::ErrnoError("setsid");
    return base::Status::Ok();
  }
  auto pty = OpenPty("/dev/ptmx");
  if (!pty.ok()) pty = OpenPty("/dev/pts/ptmx");
  if (!pty.ok()) return pty.status().Wrap("process.terminal");
  if (size) RETURN_IF_ERROR_CTX(SetWindowSize(pty->master.get(), size->height, size->width), "process.consoleSize");
  RETURN_IF_ERROR(SendMessage(sock, MsgType::kConsole, {{"name", pty->slave_name}}));
  RETURN_IF_ERROR(SendFd(sock, pty->master.get()));
  pty->master.Reset();
  int rc = AttachControllingTerminal(pty->slave.Release());
  if (rc != 0) return base::ErrnoError("make " + pty->slave_name + " the controlling terminal", -rc);
  return base::Status::Ok();
}

}  // namespace ocirun::linux
