// The cleanup's guards: mount-table parsing (v1, hybrid, pure v2, escaped names), which pids are never
// signalled, and tree removal that follows no symlink and enters no other mount.
#include "harness/cleanup_posix.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "harness/cleanup_test_tree.h"

namespace harness::host {
namespace {

namespace fs = std::filesystem;

constexpr const char* kHybrid =
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime shared:9 - cgroup cgroup rw,freezer\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
    "50 23 0:38 /kubepods /var/lib/x/cgroup rw,relatime - cgroup2 cgroup2 rw\n"
    "60 23 0:50 / /tmp/oct-conform-1-ab/cases/runc/0001/host\\040mount rw - ext4 /dev/sda1 rw\n"
    "61 23 0:50 / /tmp/oct-conform-1-ab/cases/runc/0001/a/b rw - ext4 /dev/sda1 rw\n"
    "62 23 0:50 / /tmp/oct-conform-1-ab/cases/runc/00010 rw - ext4 /dev/sda1 rw\n"
    "63 23 0:50 / /tmp/oct-conform-1-ab/cases/runc/0001 rw - ext4 /dev/sda1 rw\n";

TEST(CleanupMounts, CgroupMountPointsOfAHybridHost) {
  auto table = ParseMountInfo(kHybrid);
  // A bind of a sub-folder of a hierarchy (root "/kubepods") is not a hierarchy's mount.
  EXPECT_EQ(CgroupMountPoints(table),
            (std::vector<std::string>{"/sys/fs/cgroup/cpu", "/sys/fs/cgroup/freezer", "/sys/fs/cgroup/unified"}));
}

TEST(CleanupMounts, CgroupMountPointsOfAPureV2Host) {
  auto table = ParseMountInfo("30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
  EXPECT_EQ(CgroupMountPoints(table), (std::vector<std::string>{"/sys/fs/cgroup"}));
}

TEST(CleanupMounts, NoCgroupMountWhenATmpfsOnlyLooksLikeOne) {
  auto table = ParseMountInfo("31 23 0:28 / /sys/fs/cgroup/memory rw - tmpfs cgroup rw\n");
  EXPECT_TRUE(CgroupMountPoints(table).empty());
}

TEST(CleanupMounts, MountsStrictlyUnderAFolderDeepestFirstAndUnescaped) {
  auto table = ParseMountInfo(kHybrid);
  EXPECT_EQ(MountsStrictlyUnder(table, "/tmp/oct-conform-1-ab/cases/runc/0001/"),
            (std::vector<std::string>{"/tmp/oct-conform-1-ab/cases/runc/0001/host mount",
                                       "/tmp/oct-conform-1-ab/cases/runc/0001/a/b"}));
  EXPECT_TRUE(MountsStrictlyUnder(table, "/").empty()) << "never every mount of the host";
}

TEST(CleanupPids, PidOneOurselvesAndAncestorsAreProtected) {
  EXPECT_TRUE(IsProtectedPid(0));
  EXPECT_TRUE(IsProtectedPid(1));
  EXPECT_TRUE(IsProtectedPid(-5));
  EXPECT_TRUE(IsProtectedPid(::getpid()));
  EXPECT_TRUE(IsProtectedPid(::getppid()));
  pid_t child = ::fork();
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  EXPECT_FALSE(IsProtectedPid(child)) << "a child of ours is not protected";
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
}

TEST(CleanupCgroups, RefusesLeafNamesThatAreNotOneComponent) {
  for (const char* leaf : {"..", ".", "", "a/b", "/"}) EXPECT_EQ(RemoveCaseCgroup("/sys/fs/cgroup/pids", leaf), "") << leaf;
  // Not a cgroup filesystem: nothing is touched.
  fs::path dir = fs::temp_directory_path() / ("oct-cleanup-test-" + std::to_string(::getpid()));
  fs::create_directories(dir / "leaf");
  EXPECT_EQ(RemoveCaseCgroup(dir.string(), "leaf"), "");
  EXPECT_TRUE(fs::exists(dir / "leaf"));
  fs::remove_all(dir);
}

TEST_F(CleanupTree, RemovesSymlinksNotWhatTheyPointAt) {
  fs::create_directory_symlink(base_ / "outside", base_ / "case" / "link");
  fs::create_directory_symlink(base_ / "outside", base_ / "case" / "a" / "link");
  fs::create_symlink(base_ / "outside" / "keep", base_ / "case" / "filelink");
  EXPECT_TRUE(RemoveTreeOneMount((base_ / "case").string(), nullptr));
  EXPECT_FALSE(fs::exists(base_ / "case"));
  EXPECT_TRUE(fs::exists(base_ / "outside" / "keep"));
  EXPECT_TRUE(fs::exists(base_ / "outside" / "sub" / "keep"));
}

TEST_F(CleanupTree, ATopLevelSymlinkIsRemovedNotFollowed) {
  fs::create_directory_symlink(base_ / "outside", base_ / "toplink");
  EXPECT_TRUE(RemoveTreeOneMount((base_ / "toplink").string(), nullptr));
  EXPECT_TRUE(fs::exists(base_ / "outside" / "sub" / "keep"));
}

}  // namespace
}  // namespace harness::host
