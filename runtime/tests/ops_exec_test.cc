// Privileged: exec into running containers (foreground status, detached with a pid file, -p
// process.json, containerd's --process/--detach/--pid-file form, --cwd/-e/-u, namespaces and
// cgroup joined) and its refusals, checked alike on ocirun and runc.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "runtime/tests/ops_util.h"

namespace ocirun::it {
namespace {

class OpsExec : public OpsFixture {
 protected:
  std::string Running(const std::string& what) {
    std::string id = OpsId(what);
    Up(id, OpsConfig(id, {"sleep", "1000"}));
    EXPECT_EQ(StatusOf(id), "running");
    return id;
  }
  static std::string Ns(int pid, const char* ns) {
    std::error_code ec;
    return std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/ns/" + ns, ec).string();
  }
};

TEST_P(OpsExec, ForegroundPassesOutputAndExitStatus) {
  std::string id = Running("exfg");
  auto echo = Rt(rt_, {"exec", id, "echo", "hello"});
  EXPECT_EQ(echo.exit_code, 0) << echo.err;
  EXPECT_EQ(echo.out, "hello\n");
  auto seven = Rt(rt_, {"exec", id, "sh", "-c", "exit 7"});
  EXPECT_EQ(seven.exit_code, 7) << seven.err;
  auto killed = Rt(rt_, {"exec", id, "sh", "-c", "kill -9 $$"});
  EXPECT_EQ(killed.exit_code, 137) << killed.err;
  auto in = Rt(rt_, {"exec", id, "cat"}, std::string("piped stdin"));
  EXPECT_EQ(in.out, "piped stdin");
}

TEST_P(OpsExec, JoinsTheContainersNamespacesAndCgroup) {
  std::string id = Running("exns");
  int init = PidOf(id);
  std::string pid_file = tmp_ + "/exns.pid";
  auto r = RtDetached({"exec", "-d", "--pid-file", pid_file, id, "sleep", "100"});
  ASSERT_TRUE(r.success()) << r.err;
  std::string text = Slurp(pid_file);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.find('\n'), std::string::npos) << "pid file must have no newline";
  int pid = std::stoi(text);
  EXPECT_TRUE(Alive(pid));
  for (const char* ns : {"pid", "mnt", "net", "ipc", "uts"})
    EXPECT_EQ(Ns(pid, ns), Ns(init, ns)) << ns;
  std::string procs = Slurp(CgroupDir("pids", id) + "/cgroup.procs");
  EXPECT_NE(procs.find(std::to_string(pid) + "\n"), std::string::npos) << procs;
  auto ps = Rt(rt_, {"ps", "-f", "json", id});
  EXPECT_NE(ps.out.find(std::to_string(pid)), std::string::npos) << ps.out;
}

TEST_P(OpsExec, ProcessJsonAndContainerdForm) {
  std::string id = Running("exproc");
  std::string proc = tmp_ + "/process.json";
  std::ofstream(proc) << nlohmann::json{
      {"args", {"sh", "-c", "echo $FOO; pwd; id -u"}},
      {"env", {"FOO=bar", "PATH=/bin:/sbin:/usr/bin"}},
      {"cwd", "/tmp"},
      {"user", {{"uid", 1000}, {"gid", 1000}}}}.dump();
  auto r = Rt(rt_, {"exec", "-p", proc, id});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "bar\n/tmp\n1000\n");
  // containerd: exec --process F --detach --pid-file P <id>
  std::ofstream(proc) << nlohmann::json{{"args", {"sleep", "100"}}, {"cwd", "/"},
                                        {"env", {"PATH=/bin"}}, {"user", {{"uid", 0}, {"gid", 0}}}}.dump();
  std::string pid_file = tmp_ + "/ctrd.pid";
  auto d = RtDetached({"exec", "--process", proc, "--detach", "--pid-file", pid_file, id});
  ASSERT_TRUE(d.success()) << d.err;
  EXPECT_TRUE(Alive(std::stoi(Slurp(pid_file))));
}

TEST_P(OpsExec, CwdEnvUserFlags) {
  std::string id = Running("exflags");
  auto r = Rt(rt_, {"exec", "--cwd", "/tmp", "-e", "FOO=baz", "-e", "BAR=1", "-u", "1000:1001",
                    id, "sh", "-c", "echo $FOO$BAR; pwd; id -u; id -g"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "baz1\n/tmp\n1000\n1001\n");
}

TEST_P(OpsExec, RefusesContainersThatAreNotRunning) {
  std::string id = OpsId("exstop");
  Up(id, OpsConfig(id, {"true"}));
  ASSERT_TRUE(WaitStatus(rt_, id, "stopped"));
  auto stopped = Rt(rt_, {"exec", id, "true"});
  EXPECT_NE(stopped.exit_code, 0);
  EXPECT_NE(stopped.err.find("cannot exec in a stopped container"), std::string::npos) << stopped.err;
  auto missing = Rt(rt_, {"exec", "oct-ops-missing", "true"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("does not exist"), std::string::npos) << missing.err;
  std::string running = Running("exbad");
  auto nocmd = Rt(rt_, {"exec", running, "/no/such/binary"});
  EXPECT_NE(nocmd.exit_code, 0);
  EXPECT_EQ(StatusOf(running), "running") << "a failed exec must not harm the container";
}

OCIRUN_INSTANTIATE_FOR_RUNTIMES(OpsExec);

}  // namespace
}  // namespace ocirun::it
