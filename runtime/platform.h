// The few operating-system facts the platform-neutral core needs. platform_linux.cc implements them
// on Linux, platform_win32.cc on Windows (chosen by CMake, never by #ifdef in shared code).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace ocirun::platform {

// An exclusive advisory lock on a file, released when the object is destroyed.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

// Creates (if needed) and exclusively locks `path`, waiting for other holders. Fails with kNotFound when
// `path` vanished while waiting (the container was deleted meanwhile) or its folder does not exist.
base::Result<std::unique_ptr<FileLock>> LockFile(const std::string& path);

// True when another process holds the lock on `path` right now (probe with a non-blocking attempt).
bool IsLocked(const std::string& path);

// The start time of process `pid` in OS-specific ticks (Linux: /proc/<pid>/stat field 22), used with the
// pid to tell a live process from a recycled pid. kNotFound when no such process (or a zombie).
base::Result<uint64_t> ProcessStartTime(int pid);

// True when `pid` is alive and its start time equals `start_time`.
bool ProcessAlive(int pid, uint64_t start_time);

// The absolute path of the running executable.
base::Result<std::string> SelfExecutable();

// Creates a folder (mode 0700 for state, 0711 for the root); kAlreadyExists when it exists.
base::Status MakeDir(const std::string& path, int mode);
// Creates a folder and its parents; existing folders are fine.
base::Status MakeDirs(const std::string& path, int mode);
// A string unique to this process (its pid), for temporary names.
std::string UniqueSuffix();
// Renames a file or folder; kAlreadyExists when `to` is a non-empty folder.
base::Status Rename(const std::string& from, const std::string& to);
// Removes a folder tree (no symlinks followed). Missing is fine.
base::Status RemoveTree(const std::string& path);
// True when the path exists (lstat).
bool PathExists(const std::string& path);
// The names in a folder, without "." and "..". kNotFound when it does not exist.
base::Result<std::vector<std::string>> ListDir(const std::string& path);
// The user name owning `path` (runc's state "owner"), or the numeric uid when unknown.
std::string OwnerName(const std::string& path);

}  // namespace ocirun::platform
