// Shared helpers of the privileged integration tests: a busybox rootfs built by
// scripts/make-rootfs.sh into the test's temp folder, bundles, and the runtime binaries under test
// (ocirun, and runc where installed, driven through the same command line).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/subprocess.h"

namespace ocirun::it {

struct RuntimeBinary {
  std::string name;    // "ocirun" or "runc"
  std::string binary;  // absolute path
  std::string root;    // --root, under the test temp folder
};

// ocirun always; runc when /usr/sbin/runc (or PATH) has it.
std::vector<RuntimeBinary> RuntimesUnderTest(const std::string& tmp);

// Empty when the test can run; otherwise the reason to skip (not root, no user namespaces...).
std::string PrivilegedSkipReason();

// A fresh folder under /tmp (removed by RemoveTree).
std::string MakeTempDir(const std::string& prefix);
void RemoveTree(const std::string& path);

// The busybox rootfs, built once per test binary (scripts/make-rootfs.sh), absolute path.
const std::string& SharedRootfs();

// A config for `args` on the shared rootfs: pid, ipc, uts, mount, network namespaces, the usual
// mounts, no terminal, cgroupsPath /oct-rt-<id>.
nlohmann::json BaseConfig(const std::string& id, const std::vector<std::string>& args);

// Writes <dir>/config.json; returns dir.
std::string WriteBundle(const std::string& dir, const nlohmann::json& config);

// Runs the runtime with --root and args; `timeout` 60 s by default.
base::SubprocessResult Rt(const RuntimeBinary& rt, const std::vector<std::string>& args,
                          std::optional<std::string> stdin_data = std::nullopt, int timeout_s = 60);

// The state JSON, or null when `state` failed.
nlohmann::json StateOf(const RuntimeBinary& rt, const std::string& id);

// Polls until the state's status is `status` (or the container is gone when status is "").
bool WaitStatus(const RuntimeBinary& rt, const std::string& id, const std::string& status, int timeout_ms = 10000);

// True when a cgroup folder for `name` exists in any v1 hierarchy or the unified one.
bool CgroupExists(const std::string& name);
// Kills the processes of cgroup `name` in every hierarchy and removes it (cleanup of what a runtime
// under test left behind).
void RemoveCgroupEverywhere(const std::string& name);
// Process alive (not zombie).
bool Alive(pid_t pid);
// Reads a file, "" when missing.
std::string Slurp(const std::string& path);

// A test run once per runtime under test (parameter 0 = ocirun, 1 = runc). Skips with the reason
// when not privileged or when runc is missing; deletes (--force) every id handed out by Id().
class RuntimeFixture : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override;
  void TearDown() override;
  // A unique container id for this runtime and test, remembered for cleanup.
  std::string Id(const std::string& what);

  std::string tmp_;
  RuntimeBinary rt_;
  std::vector<std::string> ids_;
};

std::string RuntimeParamName(const ::testing::TestParamInfo<int>& info);

}  // namespace ocirun::it

#define OCIRUN_INSTANTIATE_FOR_RUNTIMES(suite) \
  INSTANTIATE_TEST_SUITE_P(Runtimes, suite, ::testing::Values(0, 1), ::ocirun::it::RuntimeParamName)
