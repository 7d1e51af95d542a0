#include "runtime/container/exec_process.h"

#include <gtest/gtest.h>

namespace ocirun {
namespace {

// A Windows config's commandLine is the init's: exec's args must not be overridden by it (the HCS
// process document prefers CommandLine over args). Found running ocirun.exe against the fake HCS.
TEST(ExecProcessTest, ArgsReplaceTheConfigsCommandLine) {
  nlohmann::json config = {{"args", {"ping", "-n", "60", "127.0.0.1"}},
                           {"commandLine", "ping -n 60 127.0.0.1"},
                           {"cwd", "C:\\"},
                           {"env", {"A=1"}}};
  ExecFlags flags;
  flags.args = {"cmd", "/c", "echo from-exec"};
  auto p = BuildExecProcess(flags, config);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_FALSE(p->contains("commandLine"));
  EXPECT_EQ((*p)["args"], nlohmann::json({"cmd", "/c", "echo from-exec"}));
  EXPECT_EQ((*p)["cwd"], "C:\\");
  EXPECT_EQ((*p)["env"], nlohmann::json({"A=1"}));
}

}  // namespace
}  // namespace ocirun
