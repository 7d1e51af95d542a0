// ByteStream: one end of a byte stream (a pipe, a file, a console, an in-memory pipe), the unit the
// stdio relay (stdio_relay.h) copies between; and streams over the OS's own handles, a Win32 HANDLE
// (byte_stream_win32.cc) or a POSIX fd (byte_stream_posix.cc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "base/status.h"

namespace ocirun::hcs {

class ByteStream {
 public:
  virtual ~ByteStream() = default;  // closes what the stream owns
  // Reads up to `n` bytes into `buf`; 0 at end of stream (a pipe whose writers are gone).
  virtual base::Result<size_t> Read(char* buf, size_t n) = 0;
  // Writes all `n` bytes; fails when the reader is gone.
  virtual base::Status Write(const char* buf, size_t n) = 0;
  // Ends the stream early: an owned handle is closed (its reader sees end of stream); a borrowed
  // one (this process's own standard handles) is left open.
  virtual void Close() = 0;
};

// Standard input, output and error; any of them may be null (absent).
struct StdioStreams {
  std::unique_ptr<ByteStream> in, out, err;
};

// A HANDLE on Windows, a file descriptor elsewhere.
using NativeHandle = std::intptr_t;
enum class Ownership { kBorrowed, kOwned };

// A stream over `h`; kOwned closes it on Close() and destruction, kBorrowed never does.
// Windows: pipes are read and written through an OVERLAPPED and an event, so a pipe opened for
// overlapped I/O (the HCS's stdio pipes; hcsshim wraps them with go-winio, which issues overlapped
// I/O) works like a synchronous one; files and consoles get plain synchronous I/O (an OVERLAPPED
// would make every write land at its offset 0 in a redirected file). A broken pipe reads as end of
// stream. POSIX: read(2) / write(2); the process must ignore SIGPIPE (ocirun does).
std::unique_ptr<ByteStream> OsStream(NativeHandle h, Ownership ownership);

// This process's standard input, output and error, borrowed; null for one that is absent
// (Windows: GetStdHandle has none; POSIX: the fd is not open).
StdioStreams OwnStdio();

}  // namespace ocirun::hcs
