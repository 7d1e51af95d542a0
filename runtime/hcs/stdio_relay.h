// Relaying a container process's stdio, as runhcs's shim does (cmd/runhcs/shim.go): the process that
// holds an HCS process copies its own standard input into the process's stdin pipe and the
// process's stdout / stderr pipes into its own standard output / error, one thread per direction.
//
// Everything here is portable: streams are ByteStreams (OS handles in byte_stream.h, in-memory pipes
// in memory_stream.h), so the relay is unit-tested natively and under wine.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "runtime/hcs/byte_stream.h"

namespace ocirun::hcs {

// What a relay moved, per direction, and the first error it met (for the shim log and tests).
struct RelayReport {
  uint64_t in_bytes = 0, out_bytes = 0, err_bytes = 0;
  bool input_done = false;  // the caller's input ended and the process's stdin was closed
  bool output_done = false;  // both output pipes reached end of stream
  std::string first_error;   // "" when none
};

class StdioRelay {
 public:
  using Duration = std::chrono::milliseconds;

  // Starts relaying:
  //  - caller.in -> process.in; when caller.in ends (or is absent), process.in is closed and then
  //    `stdin_closed` runs once (the HCS backend sends ModifyProcess CloseHandle StdIn there, as
  //    hcsshim's CloseStdin does). caller.in is not read at all when process.in is absent.
  //  - process.out -> caller.out, process.err -> caller.err until the pipe ends, then the caller's
  //    side is closed (ByteStream::Close: borrowed standard handles stay open). When the caller's
  //    side is absent or fails (its reader went away) the output is still read and dropped, so the
  //    process never blocks on a full pipe.
  static std::unique_ptr<StdioRelay> Start(StdioStreams caller, StdioStreams process,
                                           std::function<void()> stdin_closed = {});

  // Does not wait. Directions still running are abandoned: they stop after their current read
  // returns, write nothing more and never run `stdin_closed` (it is destroyed here).
  ~StdioRelay();
  StdioRelay(const StdioRelay&) = delete;
  StdioRelay& operator=(const StdioRelay&) = delete;

  // Waits for both output pipes to end. Gives up once no output byte has moved for `idle`: the
  // HCS may fail to close a pipe when the process exits, and a process the container started may
  // hold it (hcsshim's containerd shim has the same guard, CopyAfterExitTimeout, 1 s). A slow reader
  // on the caller's side is not idle: output that keeps moving is waited for. True when drained.
  bool WaitOutput(Duration idle);
  // Waits up to `timeout` for the input direction to finish (stdin_closed has run). For tests.
  bool WaitInput(Duration timeout);

  RelayReport Report() const;

  struct Shared;  // state the direction threads share with the relay

 private:
  explicit StdioRelay(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}
  std::shared_ptr<Shared> shared_;
};

// The grace after a process exits for its output to drain (see WaitOutput).
inline constexpr StdioRelay::Duration kCopyAfterExitIdle{1000};

}  // namespace ocirun::hcs
