// Privileged: `update` with a LinuxResources document (-r file, -r - on stdin as containerd sends
// it) and with the per-field flags; the values land in the container's cgroup files, later updates
// keep earlier values, and ocirun records them in its stored config.
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

// Each update changes only the fields it names; the others keep what create or an earlier update
// set (both runtimes, in the cgroup files). ocirun also records every update in its stored config
// (<root>/<id>/config.json: create's resources merged with each update). runc 1.1.5's state.json
// is not compared: its update writes 0 for the fields a later update leaves out.
TEST_P(OpsUpdate, LaterUpdatesKeepEarlierValues) {
  if (V2()) GTEST_SKIP() << "checks v1 file names; this host is cgroup v2";
  std::string id = OpsId("updkeep");
  nlohmann::json c = OpsConfig(id, {"sleep", "1000"});
  c["linux"]["resources"]["cpu"] = {{"shares", 512}};
  Up(id, c);
  auto mem = Rt(rt_, {"update", "--memory", "32m", id});
  ASSERT_TRUE(mem.success()) << mem.err;
  auto pids = Rt(rt_, {"update", "--pids-limit", "20", id});
  ASSERT_TRUE(pids.success()) << pids.err;
  auto quota = Rt(rt_, {"update", "-r", "-", id}, std::string(R"({"cpu":{"quota":20000,"period":100000}})"));
  ASSERT_TRUE(quota.success()) << quota.err;
  EXPECT_EQ(File("memory", id, "memory.limit_in_bytes"), std::to_string(32 << 20));
  EXPECT_EQ(File("pids", id, "pids.max"), "20");
  EXPECT_EQ(File("cpu", id, "cpu.shares"), "512");
  EXPECT_EQ(File("cpu", id, "cpu.cfs_quota_us"), "20000");
  EXPECT_EQ(File("cpu", id, "cpu.cfs_period_us"), "100000");
  if (rt_.name != "ocirun") return;
  auto stored = [&] {
    nlohmann::json j = nlohmann::json::parse(Slurp(rt_.root + "/" + id + "/config.json"), nullptr, false);
    return j.is_object() ? j.value("/linux/resources"_json_pointer, nlohmann::json()) : nlohmann::json();
  };
  EXPECT_EQ(stored(), nlohmann::json::parse(R"({"cpu":{"shares":512,"quota":20000,"period":100000},
      "memory":{"limit":33554432},"pids":{"limit":20}})"));
  // An update the kernel refuses records nothing.
  EXPECT_NE(Rt(rt_, {"update", "--cpuset-cpus", "4096", id}).exit_code, 0);
  EXPECT_FALSE(stored()["cpu"].contains("cpus")) << stored();
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
