// Privileged: the create -> start -> state -> kill -> delete lifecycle, run, error paths and their
// messages, checked the same way against ocirun and (where installed) runc.
#include <sys/prctl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "runtime/tests/it_util.h"

namespace ocirun::it {
namespace {

class Lifecycle : public RuntimeFixture {
 protected:
  std::string Bundle(const std::string& id, const nlohmann::json& config) {
    return WriteBundle(tmp_ + "/" + id, config);
  }
  // A bundle whose process sees the host folder `out` at /out.
  nlohmann::json WithOut(nlohmann::json config, const std::string& out) {
    config["mounts"].push_back({{"destination", "/out"}, {"type", "bind"}, {"source", out}, {"options", {"rbind", "rw"}}});
    return config;
  }

};

TEST_P(Lifecycle, CreateStartStateKillDelete) {
  std::string id = Id("cycle");
  std::string out = tmp_ + "/out-" + id;
  std::filesystem::create_directories(out);
  std::string bundle = Bundle(id, WithOut(BaseConfig(id, {"sh", "-c", "echo ran > /out/marker; exec sleep 1000"}), out));
  std::string pid_file = tmp_ + "/" + id + ".pid";
  auto created = Rt(rt_, {"create", "--bundle", bundle, "--pid-file", pid_file, id});
  ASSERT_TRUE(created.success()) << created.err;

  // The pid file: decimal, no newline, the init's pid.
  std::string pid_text = Slurp(pid_file);
  ASSERT_FALSE(pid_text.empty());
  EXPECT_EQ(pid_text.find('\n'), std::string::npos);
  nlohmann::json state = StateOf(rt_, id);
  ASSERT_TRUE(state.is_object());
  EXPECT_EQ(state["status"], "created");
  EXPECT_EQ(std::to_string(state["pid"].get<int>()), pid_text);
  EXPECT_EQ(state["id"], id);
  EXPECT_EQ(state["bundle"], bundle);
  EXPECT_TRUE(state.contains("ociVersion") && state.contains("created") && state.contains("rootfs"));
  // The user program has not run before start.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(std::filesystem::exists(out + "/marker"));
  EXPECT_TRUE(CgroupExists("oct-rt-" + id));

  auto started = Rt(rt_, {"start", id});
  ASSERT_TRUE(started.success()) << started.err;
  for (int i = 0; i < 1000 && Slurp(out + "/marker").empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(Slurp(out + "/marker"), "ran\n");
  EXPECT_EQ(StateOf(rt_, id)["status"], "running");

  // Not allowed while running.
  auto start_again = Rt(rt_, {"start", id});
  EXPECT_EQ(start_again.exit_code, 1);
  EXPECT_NE(start_again.err.find("cannot start an already running container"), std::string::npos) << start_again.err;
  auto del_running = Rt(rt_, {"delete", id});
  EXPECT_EQ(del_running.exit_code, 1);
  EXPECT_NE(del_running.err.find("cannot delete container " + id + " that is not stopped: running"), std::string::npos)
      << del_running.err;

  auto killed = Rt(rt_, {"kill", id, "KILL"});
  ASSERT_TRUE(killed.success()) << killed.err;
  ASSERT_TRUE(WaitStatus(rt_, id, "stopped"));
  EXPECT_EQ(StateOf(rt_, id)["pid"], 0);
  auto start_stopped = Rt(rt_, {"start", id});
  EXPECT_NE(start_stopped.err.find("cannot start a container that has stopped"), std::string::npos) << start_stopped.err;
  auto kill_stopped = Rt(rt_, {"kill", id, "TERM"});
  EXPECT_EQ(kill_stopped.exit_code, 1);
  EXPECT_NE(kill_stopped.err.find("container not running"), std::string::npos) << kill_stopped.err;
  // containerd's StopContainer: kill --all on a stopped container succeeds.
  EXPECT_EQ(Rt(rt_, {"kill", "--all", id, "9"}).exit_code, 0);

  auto deleted = Rt(rt_, {"delete", id});
  ASSERT_TRUE(deleted.success()) << deleted.err;
  auto gone = Rt(rt_, {"state", id});
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_NE(gone.err.find("container does not exist"), std::string::npos) << gone.err;
  EXPECT_FALSE(CgroupExists("oct-rt-" + id));
  EXPECT_FALSE(std::filesystem::exists(rt_.root + "/" + id));
}

TEST_P(Lifecycle, DeleteOfCreatedKillsAndRemoves) {
  std::string id = Id("delcreated");
  std::string bundle = Bundle(id, BaseConfig(id, {"sleep", "1000"}));
  ASSERT_TRUE(Rt(rt_, {"create", "-b", bundle, id}).success());
  int pid = StateOf(rt_, id)["pid"].get<int>();
  auto deleted = Rt(rt_, {"delete", id});
  ASSERT_TRUE(deleted.success()) << deleted.err;
  for (int i = 0; i < 100 && Alive(pid); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(Alive(pid));
  EXPECT_FALSE(CgroupExists("oct-rt-" + id));
}

TEST_P(Lifecycle, RunForegroundExitsWithTheProcessStatus) {
  std::string id = Id("run7");
  std::string bundle = Bundle(id, BaseConfig(id, {"sh", "-c", "echo hello from $(hostname); exit 7"}));
  auto r = Rt(rt_, {"run", "-b", bundle, id});
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_EQ(r.out, "hello from oct-rt\n");
  EXPECT_EQ(Rt(rt_, {"state", id}).exit_code, 1);  // removed after the foreground run

  std::string id2 = Id("run137");
  nlohmann::json config2 = BaseConfig(id2, {"sh", "-c", "kill -9 $$"});
  // Not pid 1 of a pid namespace (which cannot be killed from inside), so the signal ends it.
  config2["linux"]["namespaces"].erase(0);
  ASSERT_EQ(config2["linux"]["namespaces"].size(), 4u);
  std::string bundle2 = Bundle(id2, config2);
  auto killed = Rt(rt_, {"run", "--bundle", bundle2, id2});
  EXPECT_EQ(killed.exit_code, 137) << killed.err;
}

TEST_P(Lifecycle, RunDetachedThenKillBySignalNumber) {
  std::string id = Id("detach");
  std::string bundle = Bundle(id, BaseConfig(id, {"sleep", "1000"}));
  auto r = Rt(rt_, {"run", "-d", "-b", bundle, id});
  ASSERT_TRUE(r.success()) << r.err;
  EXPECT_EQ(StateOf(rt_, id)["status"], "running");
  ASSERT_TRUE(Rt(rt_, {"kill", id, "9"}).success());
  ASSERT_TRUE(WaitStatus(rt_, id, "stopped"));
  ASSERT_TRUE(Rt(rt_, {"delete", id}).success());
}

TEST_P(Lifecycle, FlagsMayFollowTheId) {
  std::string id = Id("flagsafter");
  std::string bundle = Bundle(id, BaseConfig(id, {"sleep", "1000"}));
  ASSERT_TRUE(Rt(rt_, {"create", id, "--bundle", bundle}).success());
  EXPECT_EQ(Rt(rt_, {"delete", id, "--force"}).exit_code, 0);
  EXPECT_EQ(Rt(rt_, {"delete", "--force", id}).exit_code, 0);  // already gone: still 0
}

TEST_P(Lifecycle, MissingContainerErrors) {
  for (const char* verb : {"state", "start", "kill", "delete"}) {
    auto r = Rt(rt_, {verb, "oct-rt-nope"});
    EXPECT_EQ(r.exit_code, 1) << verb;
    EXPECT_NE(r.err.find("container does not exist"), std::string::npos) << verb << ": " << r.err;
  }
}

TEST_P(Lifecycle, ListTableJsonQuiet) {
  std::string id = Id("list");
  std::string bundle = Bundle(id, BaseConfig(id, {"sleep", "1000"}));
  ASSERT_TRUE(Rt(rt_, {"create", "-b", bundle, id}).success());
  auto table = Rt(rt_, {"list"});
  ASSERT_TRUE(table.success());
  EXPECT_EQ(table.out.rfind("ID", 0), 0u);
  EXPECT_NE(table.out.find("PID"), std::string::npos);
  EXPECT_NE(table.out.find("OWNER"), std::string::npos);
  EXPECT_NE(table.out.find(id), std::string::npos);
  auto json = Rt(rt_, {"list", "--format", "json"});
  nlohmann::json arr = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_TRUE(arr.is_array()) << json.out;
  ASSERT_EQ(arr.size(), 1u);
  EXPECT_EQ(arr[0]["id"], id);
  EXPECT_EQ(arr[0]["status"], "created");
  EXPECT_EQ(Rt(rt_, {"list", "-q"}).out, id + "\n");
}

TEST_P(Lifecycle, BadConfigNamesTheFieldAndLeavesNothing) {
  std::string id = Id("badcfg");
  nlohmann::json config = BaseConfig(id, {"true"});
  config["process"]["cwd"] = "relative/dir";
  std::string bundle = Bundle(id, config);
  auto r = Rt(rt_, {"create", "-b", bundle, id});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("wd"), std::string::npos) << r.err;  // ocirun: "/process/cwd: ...", runc: "Cwd must be ..." 
  EXPECT_FALSE(std::filesystem::exists(rt_.root + "/" + id));
  EXPECT_FALSE(CgroupExists("oct-rt-" + id));

  // A program that does not exist: the error comes back from the init, nothing is left.
  nlohmann::json missing = BaseConfig(id, {"/no/such/program"});
  Bundle(id, missing);
  auto m = Rt(rt_, {"create", "-b", bundle, id});
  EXPECT_EQ(m.exit_code, 1);
  EXPECT_NE(m.err.find("/no/such/program"), std::string::npos) << m.err;
  EXPECT_FALSE(std::filesystem::exists(rt_.root + "/" + id));
  EXPECT_FALSE(CgroupExists("oct-rt-" + id));

  auto nobundle = Rt(rt_, {"create", "-b", tmp_ + "/nope", id});
  EXPECT_EQ(nobundle.exit_code, 1);
  EXPECT_FALSE(std::filesystem::exists(rt_.root + "/" + id));
}

TEST_P(Lifecycle, InvalidIdIsRefused) {
  std::string bundle = Bundle("badid", BaseConfig("badid", {"true"}));
  for (const char* bad : {"../escape", "a/b", ".."}) {
    auto r = Rt(rt_, {"create", "-b", bundle, bad});
    EXPECT_EQ(r.exit_code, 1) << bad;
  }
  EXPECT_FALSE(std::filesystem::exists(tmp_ + "/escape"));
}

TEST_P(Lifecycle, InitIsReparentedToTheCallersSubreaper) {
  // The test process is a child subreaper, as containerd's shim is: after create returns, the init
  // must be our child (not a grandchild held by a helper).
  ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
  std::string id = Id("reparent");
  std::string bundle = Bundle(id, BaseConfig(id, {"sleep", "1000"}));
  ASSERT_TRUE(Rt(rt_, {"create", "-b", bundle, id}).success());
  int pid = StateOf(rt_, id)["pid"].get<int>();
  std::string stat = Slurp("/proc/" + std::to_string(pid) + "/stat");
  size_t close = stat.rfind(')');
  int ppid = std::atoi(stat.c_str() + close + 4);
  EXPECT_EQ(ppid, ::getpid());
  ASSERT_TRUE(Rt(rt_, {"delete", "--force", id}).success());
  ::prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
}

TEST_P(Lifecycle, ConcurrentCreateOfOneIdExactlyOneWins) {
  if (rt_.name == "runc") {
    // runc 1.1.5 has no lock around create (stat the state folder, then MkdirAll): racers can
    // destroy each other's container, lose with whatever the other left them, or both succeed
    // (all seen here). It promises nothing to assert.
    GTEST_SKIP() << "runc 1.1.5 does not serialise concurrent creates of one id (no lock around its state folder)";
  }
  std::string id = Id("race");
  std::string bundle = Bundle(id, BaseConfig(id, {"sleep", "1000"}));
  constexpr int kRacers = 6;
  std::vector<base::SubprocessResult> results(kRacers);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRacers; ++i) {
    threads.emplace_back([&, i] { results[i] = Rt(rt_, {"create", "-b", bundle, id}); });
  }
  for (auto& t : threads) t.join();
  int wins = 0;
  for (const auto& r : results) {
    if (r.success()) {
      ++wins;
    } else {
      EXPECT_NE(r.err.find("exists"), std::string::npos) << r.err;
    }
  }
  EXPECT_EQ(wins, 1);
  EXPECT_EQ(StateOf(rt_, id)["status"], "created");
  ASSERT_TRUE(Rt(rt_, {"delete", "--force", id}).success());
  EXPECT_FALSE(CgroupExists("oct-rt-" + id));
}

OCIRUN_INSTANTIATE_FOR_RUNTIMES(Lifecycle);

}  // namespace
}  // namespace ocirun::it
