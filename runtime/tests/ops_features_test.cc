// Privileged: `features` is complete and true: what it advertises works on this host (hooks,
// namespaces, cgroup versions), what it denies is refused rather than silently ignored.
#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>

#include "runtime/tests/ops_util.h"

namespace ocirun::it {
namespace {

class OpsFeatures : public OpsFixture {
 protected:
  nlohmann::json Features() {
    auto r = Rt(rt_, {"features"});
    EXPECT_TRUE(r.success()) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }
};

TEST_P(OpsFeatures, DocumentIsCompleteAndWellFormed) {
  nlohmann::json f = Features();
  ASSERT_TRUE(f.is_object());
  for (const char* key : {"ociVersionMin", "ociVersionMax", "hooks", "mountOptions", "linux"})
    EXPECT_TRUE(f.contains(key)) << key;
  std::vector<std::string> hooks = f["hooks"].get<std::vector<std::string>>();
  EXPECT_EQ(hooks, (std::vector<std::string>{"prestart", "createRuntime", "createContainer",
                                             "startContainer", "poststart", "poststop"}));
  for (const char* opt : {"ro", "rw", "bind", "rbind", "nosuid", "nodev", "noexec", "rprivate"})
    EXPECT_NE(std::find(f["mountOptions"].begin(), f["mountOptions"].end(), opt),
              f["mountOptions"].end()) << opt;
  const nlohmann::json& cg = f["linux"]["cgroup"];
  bool host_v1 = std::filesystem::exists("/sys/fs/cgroup/freezer");
  if (host_v1) EXPECT_EQ(cg.value("v1", false), true) << "this host is cgroup v1/hybrid";
  else EXPECT_EQ(cg.value("v2", false), true) << "this host is cgroup v2";
}

TEST_P(OpsFeatures, EveryAdvertisedNamespaceWorks) {
  nlohmann::json f = Features();
  std::string id = OpsId("featns");
  nlohmann::json c = OpsConfig(id, {"sleep", "1000"});
  c["linux"]["namespaces"] = nlohmann::json::array();
  for (const auto& ns : f["linux"]["namespaces"]) {
    // time namespaces need clone3 support in the kernel and runtime alike; runc 1.1 lists none.
    c["linux"]["namespaces"].push_back({{"type", ns}});
  }
  bool user = false;
  for (const auto& ns : f["linux"]["namespaces"]) user |= ns == "user";
  if (user) {
    c["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    c["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    // A user namespace cannot mount sysfs without a network namespace it owns, nor keep host
    // ownership of the rootfs: keep the config to what every runtime accepts.
    nlohmann::json mounts = nlohmann::json::array();
    for (const auto& m : c["mounts"])
      if (m["destination"] != "/sys") mounts.push_back(m);
    c["mounts"] = mounts;
  }
  std::string bundle = WriteBundle(tmp_ + "/" + id, c);
  auto r = RtDetached({"run", "-d", "--bundle", bundle, id});
  ASSERT_TRUE(r.success()) << "advertised namespaces " << f["linux"]["namespaces"].dump()
                           << " failed: " << r.err;
  int pid = PidOf(id);
  ASSERT_GT(pid, 0);
  for (const auto& ns : f["linux"]["namespaces"]) {
    std::string name = ns.get<std::string>();
    std::string proc = name == "network" ? "net" : name == "mount" ? "mnt" : name;
    std::error_code e1, e2;
    auto mine = std::filesystem::read_symlink("/proc/self/ns/" + proc, e1);
    auto theirs = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/ns/" + proc, e2);
    if (e1 || e2) continue;  // a namespace type this kernel does not show in /proc
    EXPECT_NE(mine, theirs) << name << " advertised but not unshared";
  }
}

TEST_P(OpsFeatures, DisabledSeccompIsNotSilentlyIgnored) {
  nlohmann::json f = Features();
  if (f["linux"]["seccomp"].value("enabled", false))
    GTEST_SKIP() << rt_.name << " advertises seccomp; ops_seccomp_test and the conformance suite cover it";
  std::string id = OpsId("featsec");
  nlohmann::json c = OpsConfig(id, {"true"});
  c["linux"]["seccomp"] = {{"defaultAction", "SCMP_ACT_ALLOW"},
                           {"syscalls", {{{"names", {"mkdir"}}, {"action", "SCMP_ACT_ERRNO"}}}}};
  std::string bundle = WriteBundle(tmp_ + "/" + id, c);
  auto r = RtDetached({"create", "--bundle", bundle, id});
  EXPECT_NE(r.exit_code, 0) << "a seccomp profile was accepted but cannot be enforced";
  EXPECT_NE(r.err.find("seccomp"), std::string::npos) << r.err;
}

OCIRUN_INSTANTIATE_FOR_RUNTIMES(OpsFeatures);

}  // namespace
}  // namespace ocirun::it
