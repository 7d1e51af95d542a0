// Helpers of the operations' privileged integration tests (ops_*_test.cc), on top of it_util.h: ids and
// cgroups named oct-ops-*, a running container in one call, and the runc-shaped error check.
#pragma once

#include <string>
#include <vector>

#include "runtime/tests/it_util.h"

namespace ocirun::it {

class OpsFixture : public RuntimeFixture {
 protected:
  // "oct-ops-<runtime>-<what>-<pid>", deleted (--force) by TearDown.
  std::string OpsId(const std::string& what);
  // BaseConfig with cgroupsPath /oct-ops-<id>.
  nlohmann::json OpsConfig(const std::string& id, const std::vector<std::string>& args);
  // Rt for commands whose descendants keep our stdio (create, run -d, exec -d): stdout and stderr
  // go to files in tmp_ (read back into the result), so nothing waits for a pipe to close.
  base::SubprocessResult RtDetached(const std::vector<std::string>& args);
  // Writes the bundle, runs `create` (+ `start` when `start`), asserts success; returns the bundle.
  std::string Up(const std::string& id, const nlohmann::json& config, bool start = true);
  // The state's status ("" when `state` fails).
  std::string StatusOf(const std::string& id);
  int PidOf(const std::string& id);
  // Asserts a failed invocation with exit code 1 whose stderr contains `message`.
  static ::testing::AssertionResult FailsWith(const base::SubprocessResult& r,
                                              const std::string& message);
  // The container's cgroup directory in the v1 hierarchy `ctrl` (or the unified one on v2).
  static std::string CgroupDir(const std::string& ctrl, const std::string& id);
};

}  // namespace ocirun::it
