// The start report: how the container init tells `ocirun start` whether the user program runs.
//
// runtime.md "Lifecycle" step 7: if a startContainer hook fails, the runtime MUST generate an
// error and stop the container. The hooks run in the init, after `start` has opened the exec fifo,
// so `start` must wait for their outcome. The channel is a second fifo, <state dir>/start.fifo:
//   create  makes it beside exec.fifo; the init opens it O_RDWR (a fifo opened for writing only
//           blocks or fails while it has no reader) and close-on-exec, before pivot_root.
//   start   opens it for reading before writing the exec fifo, then waits.
//   init    after the gate: runs the startContainer hooks and execs the user program. A successful
//           exec closes the fifo (close-on-exec): `start` reads EOF, which means "running".
//           A failing hook or exec is sent as one kError message (init_protocol.h) before the
//           init exits 1.
#pragma once

#include <functional>
#include <string>

#include "base/status.h"
#include "base/unique_fd.h"

namespace ocirun::linux {

inline constexpr char kStartFifoName[] = "start.fifo";

// Init side: opens `path` read-write and close-on-exec, at an fd number >= `min_fd` (so that
// ExecProcess, which keeps fds 3..min_fd-1 for preserve_fds, never hands it to the program).
base::Result<base::UniqueFd> OpenStartReportWriter(const std::string& path, int min_fd);

// Start side: opens `path` for reading without blocking. kNotFound when the fifo is absent (a
// container made by an ocirun without the report; start then does not wait).
base::Result<base::UniqueFd> OpenStartReportReader(const std::string& path);

// Start side: waits until the init has exec'd the user program or died (Ok), or reported a
// failure (the init's message, e.g. "startContainer hook #0 (/bin/sh): exit status 9").
// `init_alive` is polled every 100 ms in case the init vanished without closing the fifo.
base::Status AwaitStartReport(int fd, const std::function<bool()>& init_alive);

}  // namespace ocirun::linux
