// Tree removal never enters another mount: a bind mount of a "host" folder inside a case folder
// stays, and so do the host files under it (privileged: bind mounts, in a private mount namespace).
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "harness/cleanup_posix.h"
#include "harness/cleanup_test_tree.h"

namespace harness::host {
namespace {

namespace fs = std::filesystem;

TEST_F(CleanupTree, NeverEntersAnotherMount) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to bind-mount (in a private mount namespace)";
  pid_t child = ::fork();
  if (child == 0) {
    // A private mount namespace: the bind mount is seen by nobody else and goes away with the child.
    if (::unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) ::_exit(3);
    fs::create_directories(base_ / "case" / "a" / "host mount");
    if (::mount((base_ / "outside").c_str(), (base_ / "case" / "a" / "host mount").c_str(), nullptr, MS_BIND,
                nullptr) != 0)
      ::_exit(4);
    std::vector<std::string> kept;
    bool gone = RemoveTreeOneMount((base_ / "case").string(), &kept);
    bool ok = !gone && kept.size() == 1 && kept[0].find("another mount") != std::string::npos &&
              fs::exists(base_ / "outside" / "keep") && fs::exists(base_ / "outside" / "sub" / "keep") &&
              !fs::exists(base_ / "case" / "a" / "b");  // the rest of the tree went
    ::_exit(ok ? 0 : 5);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "3/4: namespace or mount failed; 5: the tree removal crossed the mount";
  EXPECT_TRUE(fs::exists(base_ / "outside" / "sub" / "keep"));
}

}  // namespace
}  // namespace harness::host
