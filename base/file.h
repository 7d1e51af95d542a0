// Whole-file helpers. Writes that other processes may read concurrently are atomic:
// write a temporary file beside the target, fsync it, rename it over the target.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace base {

// Reads a whole file. kNotFound when it does not exist.
Result<std::string> ReadFile(const std::string& path);

// Writes `data` to `path` atomically (temp file "<dir>/.<name>.tmp-<pid>", fsync, rename, fsync dir).
// The file gets `mode`. Readers see the old content or the new one, never a truncated file.
Status WriteFileAtomic(const std::string& path, std::string_view data, int mode = 0644);

// Writes `data` to `path` (create or truncate), not atomically: for files nobody reads concurrently.
Status WriteFile(const std::string& path, std::string_view data, int mode = 0644);

}  // namespace base
