// OCI mount options -> mount(2) flags, propagation and data (runc's table).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ocirun::linux {

struct MountOptions {
  unsigned long flags = 0;        // MS_* set
  unsigned long propagation = 0;  // one of MS_PRIVATE/MS_SHARED/MS_SLAVE/MS_UNBINDABLE (| MS_REC)
  std::vector<unsigned long> propagations;  // in order, when several are given
  std::string data;               // unknown options, comma-joined, for the filesystem
  bool bind = false;
  bool recursive = false;         // rbind
};

MountOptions ParseMountOptions(const std::vector<std::string>& options);

// Every option name this parser understands as a flag (features.mountOptions).
std::vector<std::string> KnownMountOptions();

// A /proc/<pid>/mountinfo field with its \ooo escapes (space, tab, newline, backslash) decoded.
std::string UnescapeMountField(std::string_view s);

}  // namespace ocirun::linux
