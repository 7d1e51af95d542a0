#include "harness/runtime.h"

#include <gtest/gtest.h>

#include "harness/host.h"
#include "harness/runtime_command.h"

namespace harness {
namespace {

TEST(RuntimeTest, ParseRuntimeForms) {
  if (host::WindowsContainers()) GTEST_SKIP() << "looks up the POSIX sh in PATH; Windows hosts have none";
  auto sh = ParseRuntime("sh");
  ASSERT_TRUE(sh.ok());
  EXPECT_EQ(sh->name, "sh");
  EXPECT_EQ(sh->path[0], '/');
  EXPECT_EQ(sh->profile.name, "generic");
  auto named = ParseRuntime("mine=/bin/sh");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->name, "mine");
  std::vector<RuntimeUnderTest> two = {*sh, *sh};
  EXPECT_FALSE(CheckUniqueNames(two).ok());
  EXPECT_TRUE(CheckUniqueNames({*sh, *named}).ok());
}

TEST(RuntimeTest, ParseRuntimeErrorsNameTheFlag) {
  auto missing = ParseRuntime("x=/nonexistent/runtime");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("--runtime x=/nonexistent/runtime"), std::string::npos);
  EXPECT_EQ(ParseRuntime("=/bin/sh").status().code(), base::Code::kInvalidArgument);
  EXPECT_EQ(ParseRuntime("x=").status().code(), base::Code::kInvalidArgument);
  EXPECT_EQ(ParseRuntime("").status().code(), base::Code::kInvalidArgument);
  auto bad_name = ParseRuntime("a/b=" + host::SelfExecutable());
  ASSERT_FALSE(bad_name.ok());
  EXPECT_NE(bad_name.status().message().find("NAME may hold only"), std::string::npos);
}

TEST(RuntimeTest, ProfilesByBasenameThenName) {
  EXPECT_EQ(ProfileFor("x", "/usr/bin/crun").name, "crun");
  EXPECT_EQ(ProfileFor("runc", "/opt/custom/binary").name, "runc");
  Profile ocirun = ProfileFor("mine", "/build/runtime/ocirun");
  EXPECT_EQ(ocirun.name, "ocirun");
  // ocirun runs the host's containers: HCS (with hyperv) on Windows, no utility-VM backend on Linux yet.
  EXPECT_EQ(ocirun.windows, host::WindowsContainers());
  EXPECT_EQ(ocirun.isolations.count("hyperv") > 0, host::WindowsContainers());
  Profile runhcs = ProfileFor("runhcs", "C:/runhcs.exe");
  EXPECT_TRUE(runhcs.windows);
  EXPECT_TRUE(runhcs.isolations.count("hyperv"));
  EXPECT_GT(runhcs.timeout_scale, 1);
  // The default target spec version of runtimes without `features`: crun 1.8.1 takes up to 1.1.x.
  EXPECT_EQ(ProfileFor("crun", "/usr/bin/crun").oci_version, "1.1.0");
  EXPECT_EQ(ProfileFor("other", "/bin/other").oci_version, "1.0.2");
  EXPECT_EQ(ProfileFor("other", "/bin/other").name, "generic");
  EXPECT_EQ(Basename("C:\\tools\\runhcs.exe"), "runhcs");
}

TEST(RuntimeTest, CommandLineCarriesTheProfilesRootFlagAndGlobals) {
  RuntimeUnderTest rt;
  rt.path = "/usr/bin/rt";
  rt.profile.root_flag = "--state-root";
  RuntimeCommand cmd;
  cmd.root = "/tmp/r";
  cmd.global_args = {"--log", "l.json"};
  cmd.args = {"state", "id"};
  EXPECT_EQ(RuntimeArgv(rt, cmd),
            (std::vector<std::string>{"/usr/bin/rt", "--state-root", "/tmp/r", "--log", "l.json", "state", "id"}));
  rt.profile.min_command_timeout = std::chrono::seconds(120);
  EXPECT_EQ(CommandTimeout(rt, std::chrono::seconds(5)), std::chrono::seconds(120));
  EXPECT_EQ(CommandTimeout(rt, std::chrono::seconds(300)), std::chrono::seconds(300));
}

}  // namespace
}  // namespace harness
