// Helpers shared by the byte stream and stdio relay tests.
#pragma once

#include <memory>
#include <string>

#include "runtime/hcs/byte_stream.h"

namespace ocirun::hcs {

struct Pipe {
  std::unique_ptr<ByteStream> reader, writer;
};

// An anonymous OS pipe as owned streams (pipe(2); CreatePipe). Defined per platform in
// byte_stream_{posix,win32}_test.cc.
Pipe OsPipe();
// A pipe like the HCS's stdio pipes: on Windows a named pipe whose ends are opened with
// FILE_FLAG_OVERLAPPED; elsewhere OsPipe().
Pipe HcsLikePipe();

// Reads `s` to its end (or its first error).
inline std::string ReadAll(ByteStream& s) {
  std::string text;
  char buf[4096];
  for (;;) {
    auto n = s.Read(buf, sizeof buf);
    if (!n.ok() || *n == 0) return text;
    text.append(buf, *n);
  }
}

}  // namespace ocirun::hcs
