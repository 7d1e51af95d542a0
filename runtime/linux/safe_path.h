// Resolving paths inside a rootfs so that symlinks cannot lead outside it (the class of
// CVE-2021-30465): every lookup goes through openat2(RESOLVE_IN_ROOT) from an fd of the rootfs,
// and mounts target the resolved fd through /proc/self/fd/N, never a re-resolved path string.
#pragma once

#include <string>

#include "base/status.h"
#include "base/unique_fd.h"

namespace ocirun::linux {

// Opens `path` (absolute or relative, interpreted inside `root_fd`) with O_PATH, symlinks resolved as
// if `root_fd` were "/". kNotFound when missing.
base::Result<base::UniqueFd> OpenInRoot(int root_fd, const std::string& path, int extra_flags = 0);

// Creates the folders of `path` inside `root_fd` (mode 0755) as needed and returns an O_PATH fd of it.
// With `as_file`, the last component is created as an empty regular file instead (bind mounts of
// files). Components that exist are followed safely (a symlink to "/etc" lands on <root>/etc).
base::Result<base::UniqueFd> MakeInRoot(int root_fd, const std::string& path, bool as_file);

// "/proc/self/fd/N": the path through which mount(2) reaches exactly the resolved inode.
std::string FdPath(int fd);

}  // namespace ocirun::linux
