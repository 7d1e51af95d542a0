// linux.seccomp and linux.personality through the CLI, against ocirun and runc: the filter holds
// for the init and for exec'd processes, with and without no_new_privs (without it the filter must
// be loaded before the user switch drops CAP_SYS_ADMIN), and a profile that cannot be applied is
// refused with nothing left behind.
#include <gtest/gtest.h>

#include <filesystem>

#include "runtime/tests/ops_util.h"

namespace ocirun::it {
namespace {

class OpsSeccomp : public OpsFixture {
 protected:
  // mkdir and mkdirat fail with ENOSYS ("Function not implemented"); everything else is allowed.
  static nlohmann::json DenyMkdir() {
    return {{"defaultAction", "SCMP_ACT_ALLOW"},
            {"architectures", {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"}},
            {"syscalls", {{{"names", {"mkdir", "mkdirat"}}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", 38}}}}};
  }
  static std::string SeccompMode(int pid) {
    std::string status = Slurp("/proc/" + std::to_string(pid) + "/status");
    size_t at = status.find("\nSeccomp:");
    return at == std::string::npos ? "" : status.substr(at + 9, status.find('\n', at + 1) - at - 9);
  }
  void ExpectFiltered(bool no_new_privs, uint32_t uid) {
    std::string id = OpsId(no_new_privs ? "scnnp" : "scpriv");
    nlohmann::json c = OpsConfig(id, {"sleep", "1000"});
    c["linux"]["seccomp"] = DenyMkdir();
    c["process"]["noNewPrivileges"] = no_new_privs;
    c["process"]["user"] = {{"uid", uid}, {"gid", uid}};
    c["mounts"].push_back({{"destination", "/scratch"}, {"type", "tmpfs"}, {"source", "tmpfs"},
                           {"options", {"mode=1777"}}});
    Up(id, c);
    EXPECT_NE(SeccompMode(PidOf(id)).find('2'), std::string::npos) << "init is not under a seccomp filter";
    auto denied = Rt(rt_, {"exec", id, "mkdir", "/scratch/denied"});
    EXPECT_NE(denied.exit_code, 0) << "mkdir was allowed in an exec'd process";
    EXPECT_NE(denied.err.find("not implemented"), std::string::npos) << denied.err;  // errno 38
    auto allowed = Rt(rt_, {"exec", id, "touch", "/scratch/allowed"});
    EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  }
};

TEST_P(OpsSeccomp, FilterHoldsForInitAndExecWithNoNewPrivs) { ExpectFiltered(true, 1000); }

TEST_P(OpsSeccomp, FilterIsLoadedBeforeTheUserSwitchWithoutNoNewPrivs) { ExpectFiltered(false, 1000); }

TEST_P(OpsSeccomp, ProfileThatCannotBeAppliedIsRefusedAndLeavesNothing) {
  std::string id = OpsId("scbad");
  nlohmann::json c = OpsConfig(id, {"true"});
  c["linux"]["seccomp"] = {{"defaultAction", "SCMP_ACT_ALLOW"},
                           {"syscalls", {{{"names", {"mkdir"}}, {"action", "SCMP_ACT_EXPLODE"}}}}};
  std::string bundle = WriteBundle(tmp_ + "/" + id, c);
  auto r = RtDetached({"create", "--bundle", bundle, id});
  EXPECT_NE(r.exit_code, 0) << "an unknown seccomp action was accepted";
  if (rt_.name == "ocirun") {
    EXPECT_NE(r.err.find("linux.seccomp.syscalls[0].action"), std::string::npos) << r.err;
  }
  EXPECT_EQ(StatusOf(id), "") << "the refused create left a container";
  EXPECT_FALSE(std::filesystem::exists(CgroupDir("memory", id))) << "the refused create left a cgroup";
}

TEST_P(OpsSeccomp, PersonalityLinux32) {
  if (rt_.name == "runc") GTEST_SKIP() << "runc 1.1.5 ignores linux.personality (added in runc 1.2)";
  std::string id = OpsId("pers");
  nlohmann::json c = OpsConfig(id, {"uname", "-m"});
  c["linux"]["personality"] = {{"domain", "LINUX32"}};
  std::string bundle = WriteBundle(tmp_ + "/" + id, c);
  auto r = Rt(rt_, {"run", "--bundle", bundle, id});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "i686\n");
  c["linux"]["personality"] = {{"domain", "LINUX64"}};
  bundle = WriteBundle(tmp_ + "/" + id + "-bad", c);
  auto bad = RtDetached({"create", "--bundle", bundle, id + "-bad"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("personality"), std::string::npos) << bad.err;
  EXPECT_EQ(StatusOf(id + "-bad"), "");
}

OCIRUN_INSTANTIATE_FOR_RUNTIMES(OpsSeccomp);

}  // namespace
}  // namespace ocirun::it
