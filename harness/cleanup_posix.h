// Cleanup that touches only what the run made (Linux). The harness is pointed at runtimes that are
// buggy by design: whatever a runtime answers (an id "..", a pid of 1, a bind mount of a host folder
// left in a case folder), these functions remove only trees, mounts and cgroups that lie strictly
// inside what the harness created, and signal only processes listed in a cgroup it named.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace harness::host {

// One line of /proc/self/mountinfo (proc(5)); paths unescaped (\040 is a space).
struct MountEntry {
  uint64_t id = 0;
  std::string root;         // the folder of the filesystem that is mounted ("/" for a whole one)
  std::string mount_point;
  std::string fstype;
};
std::vector<MountEntry> ParseMountInfo(const std::string& text);
// The mount table of this process, read from /proc/self/mountinfo.
std::vector<MountEntry> ReadMountTable();

// Mount points of cgroup hierarchies (fstype cgroup or cgroup2, the whole hierarchy mounted): the v1
// controllers and the unified mount of the hybrid layout, or the single root of a pure v2 host.
std::vector<std::string> CgroupMountPoints(const std::vector<MountEntry>& table);
// Mount points strictly below `dir` (not `dir` itself), deepest first.
std::vector<std::string> MountsStrictlyUnder(const std::vector<MountEntry>& table, const std::string& dir);

// Whether the harness must never signal `pid`: pid 0 or 1 (or negative: a process group), ourselves,
// or one of our ancestors.
bool IsProtectedPid(int pid);

// Removes the cgroup `<mount_point>/<leaf>` created for a case: `leaf` must be one path component
// (no '/', not "." or ".."), the folder must be on the cgroup mount itself (no symlink, no other
// mount). Kills (SIGKILL) the processes its cgroup.procs lists, except protected ones, thaws it, and
// removes it with rmdir only: a child cgroup or a process that stays makes it a leak that stays.
// Returns "" when there was no such cgroup, else what was found ("cgroup <path>", plus why it stayed).
std::string RemoveCaseCgroup(const std::string& mount_point, const std::string& leaf);

// Removes a folder tree the way `rm -rf --one-file-system` does, with openat/unlinkat: never follows
// a symlink (it removes the link), never descends into another mount (a mount point found inside is
// kept, with its parents). Appends what it had to keep to `kept`; true when `path` is gone.
bool RemoveTreeOneMount(const std::string& path, std::vector<std::string>* kept);

}  // namespace harness::host
