// Terminals: the pty for `process.terminal`, its hand-over over `--console-socket` (runc's
// protocol: connect to the AF_UNIX stream socket, ONE message whose data is the pty name and whose
// control message is ONE SCM_RIGHTS fd, the master; no reply), and the foreground relay that
// `ocirun run -t` / `exec -t` use between the caller's terminal and the master.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"
#include "base/unique_fd.h"

namespace ocirun::linux {

struct Pty {
  base::UniqueFd master;  // O_CLOEXEC
  base::UniqueFd slave;   // O_CLOEXEC | O_NOCTTY
  std::string slave_name;  // "/dev/pts/3" (as seen through `ptmx`'s devpts)
};

// Opens a new pty from `ptmx` (inside a container after pivot_root: its own /dev/ptmx, so the
// slave lives in the container's devpts). Both ends close-on-exec.
base::Result<Pty> OpenPty(const std::string& ptmx = "/dev/ptmx");

// TIOCSWINSZ (process.consoleSize: height rows, width columns). Zero sizes are left alone.
base::Status SetWindowSize(int fd, uint32_t height, uint32_t width);

// In a forked child before exec (async-signal-safe, no allocation): new session, `slave` becomes
// the controlling terminal (TIOCSCTTY) and fds 0, 1, 2. Returns 0, or -errno naming nothing; the
// caller reports "make <name> the controlling terminal" itself.
int AttachControllingTerminal(int slave) noexcept;

// Connects to the socket at `socket_path` and sends `name` with `master` attached.
base::Status SendConsole(const std::string& socket_path, int master, const std::string& name);

// The receiving side (tests, and a caller of `ocirun create --console-socket`): reads one message
// from a connected socket; the master fd (close-on-exec) and the name sent with it.
struct ReceivedConsole {
  base::UniqueFd master;
  std::string name;
};
base::Result<ReceivedConsole> ReceiveConsole(int connected_socket);

// A listening AF_UNIX stream socket at `path` (the file is replaced if it exists), close-on-exec.
base::Result<base::UniqueFd> ListenUnix(const std::string& path);

struct RelayOptions {
  int in = 0;    // the caller's input (a tty is put in raw mode for the relay and restored after)
  int out = 1;   // where the container's output goes
  // Readable when the relay should end (a pidfd of the container process): the master's pending
  // output is drained first. -1: run until the master hangs up.
  int stop_fd = -1;
  // Copy the caller's window size to the master at start and on every SIGWINCH (when `in` is a tty).
  bool forward_winch = true;
};

// Copies in -> master and master -> out until the master hangs up (every slave closed) or
// `stop_fd` becomes readable. EOF on `in` stops only that direction.
base::Status RelayConsole(int master, const RelayOptions& options);

}  // namespace ocirun::linux
