// Privileged: pause/resume through the cgroup freezer, the paused status, what the state table
// allows while paused, and the error paths, checked alike on ocirun and runc.
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "runtime/tests/ops_util.h"

namespace ocirun::it {
namespace {

class OpsPause : public OpsFixture {
 protected:
  // Reads the freezer state of the container's cgroup (v1), or "frozen 0/1" from cgroup.events.
  std::string FreezerState(const std::string& id) {
    std::string v1 = Slurp("/sys/fs/cgroup/freezer/" + id + "/freezer.state");
    if (!v1.empty()) return v1.substr(0, v1.find('\n'));
    std::string events = Slurp("/sys/fs/cgroup/" + id + "/cgroup.events");
    return events.find("frozen 1") != std::string::npos ? "FROZEN" : "THAWED";
  }
};

TEST_P(OpsPause, PauseFreezesResumeThaws) {
  std::string id = OpsId("pause");
  std::string out = tmp_ + "/count-" + id;
  nlohmann::json config = OpsConfig(id, {"sh", "-c", "i=0; while true; do i=$((i+1)); echo $i > /out/n; done"});
  std::filesystem::create_directories(out);
  config["mounts"].push_back({{"destination", "/out"}, {"type", "bind"}, {"source", out}, {"options", {"rbind", "rw"}}});
  Up(id, config);
  ASSERT_EQ(StatusOf(id), "running");

  auto paused = Rt(rt_, {"pause", id});
  ASSERT_TRUE(paused.success()) << paused.err;
  // pause returned: the freeze has really happened (no FREEZING left), the status derives paused.
  EXPECT_EQ(FreezerState(id), "FROZEN");
  EXPECT_EQ(StatusOf(id), "paused");
  std::string before = Slurp(out + "/n");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(Slurp(out + "/n"), before) << "a frozen process kept writing";

  auto resumed = Rt(rt_, {"resume", id});
  ASSERT_TRUE(resumed.success()) << resumed.err;
  EXPECT_EQ(FreezerState(id), "THAWED");
  EXPECT_EQ(StatusOf(id), "running");
  bool moved = false;
  for (int i = 0; i < 250 && !moved; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    moved = Slurp(out + "/n") != before;
  }
  EXPECT_TRUE(moved) << "the process did not run again after resume";
}

TEST_P(OpsPause, TableWhilePaused) {
  std::string id = OpsId("ptable");
  Up(id, OpsConfig(id, {"sleep", "1000"}));
  ASSERT_TRUE(Rt(rt_, {"pause", id}).success());
  // Both runtimes answer a second pause with "container not running" (runc 1.1 libcontainer).
  EXPECT_TRUE(FailsWith(Rt(rt_, {"pause", id}), "container not running"));
  EXPECT_TRUE(FailsWith(Rt(rt_, {"start", id}), "cannot start a container in the paused state"));
  EXPECT_TRUE(FailsWith(Rt(rt_, {"delete", id}),
                        "cannot delete container " + id + " that is not stopped: paused"));
  auto exec = Rt(rt_, {"exec", id, "true"});
  EXPECT_NE(exec.exit_code, 0);
  EXPECT_NE(exec.err.find("cannot exec in a paused container"), std::string::npos) << exec.err;
  // ps and update work on a paused container.
  auto ps = Rt(rt_, {"ps", "--format", "json", id});
  ASSERT_TRUE(ps.success()) << ps.err;
  EXPECT_EQ(nlohmann::json::parse(ps.out, nullptr, false), nlohmann::json::array({PidOf(id)}));
  EXPECT_TRUE(Rt(rt_, {"update", "--pids-limit", "50", id}).success());
  // kill of a paused container is delivered on resume; delete --force cleans everything.
  auto forced = Rt(rt_, {"delete", "--force", id});
  EXPECT_TRUE(forced.success()) << forced.err;
  EXPECT_EQ(StatusOf(id), "");
  EXPECT_FALSE(CgroupExists(id));
}

TEST_P(OpsPause, CreatedContainerPausesAndResumesToCreated) {
  std::string id = OpsId("pcreated");
  Up(id, OpsConfig(id, {"true"}), /*start=*/false);
  ASSERT_EQ(StatusOf(id), "created");
  ASSERT_TRUE(Rt(rt_, {"pause", id}).success());
  EXPECT_EQ(StatusOf(id), "paused");
  ASSERT_TRUE(Rt(rt_, {"resume", id}).success());
  EXPECT_EQ(StatusOf(id), "created");
}

TEST_P(OpsPause, ErrorPaths) {
  std::string id = OpsId("perr");
  Up(id, OpsConfig(id, {"sleep", "1000"}));
  EXPECT_TRUE(FailsWith(Rt(rt_, {"resume", id}), "container not paused"));
  ASSERT_TRUE(Rt(rt_, {"kill", id, "KILL"}).success());
  ASSERT_TRUE(WaitStatus(rt_, id, "stopped"));
  EXPECT_TRUE(FailsWith(Rt(rt_, {"pause", id}), "container not running"));
  EXPECT_TRUE(FailsWith(Rt(rt_, {"resume", id}), "container not paused"));
  EXPECT_TRUE(FailsWith(Rt(rt_, {"pause", "oct-ops-missing"}), "container does not exist"));
  EXPECT_TRUE(FailsWith(Rt(rt_, {"resume", "oct-ops-missing"}), "container does not exist"));
  ASSERT_TRUE(Rt(rt_, {"delete", id}).success());
  EXPECT_FALSE(CgroupExists(id));
}

OCIRUN_INSTANTIATE_FOR_RUNTIMES(OpsPause);

}  // namespace
}  // namespace ocirun::it
