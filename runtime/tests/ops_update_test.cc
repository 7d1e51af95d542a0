// Privileged: `update` with a LinuxResources document (-r file, -r - on stdin as containerd sends
// it) and with the per-field flags; the values land in the container's cgroup files.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "runtime/tests/ops_util.h"

namespace ocirun::it {
namespace {

class OpsUpdate : public OpsFixture {
 protected:
  std::string File(const std::string& ctrl, const std::string& id, const std::string& name) {
    std::string s = Slurp(CgroupDir(ctrl, id) + "/" + name);
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
  }
  bool V2() { return !std::filesystem::exists("/sys/fs/cgroup/memory"); }
};

TEST_P(OpsUpdate, ResourcesFileAndStdin) {
  if (V2()) GTEST_SKIP() << "checks v1 file names; this host is cgroup v2";
  std::string id = OpsId("upd");
  Up(id, OpsConfig(id, {"sleep", "1000"}));
  std::string doc = tmp_ + "/res.json";
  std::ofstream(doc) << R"({"memory":{"limit":67108864},"cpu":{"shares":256,"quota":20000,"period":100000},"pids":{"limit":40}})";
  auto r = Rt(rt_, {"update", "-r", doc, id});
  ASSERT_TRUE(r.success()) << r.err;
  EXPECT_EQ(File("memory", id, "memory.limit_in_bytes"), "67108864");
  EXPECT_EQ(File("cpu", id, "cpu.shares"), "256");
  EXPECT_EQ(File("cpu", id, "cpu.cfs_quota_us"), "20000");
  EXPECT_EQ(File("pids", id, "pids.max"), "40");
  // containerd's form: update --resources - <id>, the document on stdin.
  auto s = Rt(rt_, {"update", "--resources", "-", id}, std::string(R"({"pids":{"limit":41},"cpu":{"cpus":"0"}})"));
  ASSERT_TRUE(s.success()) << s.err;
  EXPECT_EQ(File("pids", id, "pids.max"), "41");
  EXPECT_EQ(File("cpuset", id, "cpuset.cpus"), "0");
  EXPECT_EQ(File("memory", id, "memory.limit_in_bytes"), "67108864");  // untouched fields stay
}

TEST_P(OpsUpdate, PerFieldFlags) {
  if (V2()) GTEST_SKIP() << "checks v1 file names; this host is cgroup v2";
  std::string id = OpsId("updflags");
  Up(id, OpsConfig(id, {"sleep", "1000"}));
  auto r = Rt(rt_, {"update", "--memory", "32m", "--memory-reservation", "16m", "--cpu-share", "300",
                    "--cpu-period", "50000", "--cpu-quota", "10000", "--cpuset-cpus", "0",
                    "--cpuset-mems", "0", "--pids-limit", "30", id});
  ASSERT_TRUE(r.success()) << r.err;
  EXPECT_EQ(File("memory", id, "memory.limit_in_bytes"), std::to_string(32 << 20));
  EXPECT_EQ(File("memory", id, "memory.soft_limit_in_bytes"), std::to_string(16 << 20));
  EXPECT_EQ(File("cpu", id, "cpu.shares"), "300");
  EXPECT_EQ(File("cpu", id, "cpu.cfs_period_us"), "50000");
  EXPECT_EQ(File("cpu", id, "cpu.cfs_quota_us"), "10000");
  EXPECT_EQ(File("cpuset", id, "cpuset.mems"), "0");
  EXPECT_EQ(File("pids", id, "pids.max"), "30");
  // The process keeps running under the new limits.
  EXPECT_EQ(StatusOf(id), "running");
}

TEST_P(OpsUpdate, ErrorPaths) {
  std::string id = OpsId("upderr");
  Up(id, OpsConfig(id, {"sleep", "1000"}));
  auto bad_size = Rt(rt_, {"update", "--memory", "lots", id});
  EXPECT_NE(bad_size.exit_code, 0);
  auto bad_json = Rt(rt_, {"update", "-r", "-", id}, std::string("{not json"));
  EXPECT_NE(bad_json.exit_code, 0);
  // A value the kernel refuses: no such CPU.
  auto bad_cpu = Rt(rt_, {"update", "--cpuset-cpus", "4096", id});
  EXPECT_NE(bad_cpu.exit_code, 0);
  if (rt_.name == "ocirun") {
    EXPECT_TRUE(FailsWith(bad_size, "--memory"));
    EXPECT_TRUE(FailsWith(bad_json, "--resources -"));
    EXPECT_TRUE(FailsWith(bad_cpu, "linux.resources.cpu.cpus"));
  }
  EXPECT_TRUE(FailsWith(Rt(rt_, {"update", "--pids-limit", "3", "oct-ops-missing"}),
                        "container does not exist"));
  ASSERT_TRUE(Rt(rt_, {"kill", id, "KILL"}).success());
  ASSERT_TRUE(WaitStatus(rt_, id, "stopped"));
  EXPECT_TRUE(FailsWith(Rt(rt_, {"update", "--pids-limit", "3", id}), "container not running"));
}

OCIRUN_INSTANTIATE_FOR_RUNTIMES(OpsUpdate);

}  // namespace
}  // namespace ocirun::it
