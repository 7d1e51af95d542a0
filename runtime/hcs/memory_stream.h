// In-memory ByteStreams: the fake HCS's process pipes and the caller's stdio in tests.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "runtime/hcs/stdio_relay.h"

namespace ocirun::hcs {

// A pipe in memory. Reads block until bytes arrive; once the writer is closed (or destroyed) and the
// bytes are consumed they return 0 (end of stream). Writes fail once the reader is closed or gone,
// as on a broken pipe. Unbounded: writes never block.
struct MemoryPipe {
  std::unique_ptr<ByteStream> reader, writer;
};
MemoryPipe MakeMemoryPipe();

// Where a capture stream puts what is written to it; thread-safe.
struct Captured {
  std::string Text() const {
    std::lock_guard lock(mu);
    return text;
  }
  mutable std::mutex mu;
  std::string text;
  std::chrono::milliseconds delay{0};  // each write takes this long (a slow reader)
  bool fail = false;                   // writes fail (the reader went away)
};

// A write-only stream appending to `into`; Close is a no-op (it stands for a borrowed handle).
std::unique_ptr<ByteStream> MakeCapture(std::shared_ptr<Captured> into);

}  // namespace ocirun::hcs
