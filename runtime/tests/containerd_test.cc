// Privileged: containerd 1.6 drives ocirun through its io.containerd.runc.v2 shim. A private
// containerd (own socket, root, state under a temp folder; see
// docs/reference/containerd-on-this-machine.md) imports a busybox OCI-layout image built locally
// (make-oci-image.sh), then `ctr run --runc-binary <ocirun>` runs a container that prints and exits
// with a chosen code, and a detached one is killed with `ctr task kill` and removed. On detached
// tasks: `ctr task exec` (foreground and --detach), `task pause`/`resume` (the freezer follows) and
// `task ps`, i.e. the shim's `exec --process F --detach --pid-file P`, `pause`, `resume` and
// `ps --format json` calls.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "runtime/tests/it_util.h"

namespace ocirun::it {
namespace {

constexpr char kImage[] = "docker.io/library/oct-rt-busybox:latest";
constexpr char kNamespace[] = "oct-rt";

class Containerd : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string reason = PrivilegedSkipReason();
    if (!reason.empty()) GTEST_SKIP() << reason;
    for (const char* tool : {"containerd", "ctr", "containerd-shim-runc-v2"}) {
      if (!base::FindProgram(tool).ok()) GTEST_SKIP() << tool << " not installed (apt-get install containerd)";
    }
    tmp_ = MakeTempDir("oct-rt-ctrd-");
    StartContainerd();
    Import();
  }

  void TearDown() override {
    // Whatever a failed test left: its tasks, containers and cgroups, then the empty namespace
    // parents containerd makes in each hierarchy.
    for (const std::string& id : ids_) {
      if (!daemon_) break;
      Ctr({"task", "kill", "-a", "-s", "SIGKILL", id});
      Ctr({"task", "delete", "-f", id});
      Ctr({"container", "delete", id});
      RemoveCgroupEverywhere(std::string(kNamespace) + "/" + id);
    }
    for (const auto& h : std::filesystem::directory_iterator("/sys/fs/cgroup"))
      ::rmdir((h.path() / kNamespace).c_str());  // fails (harmless) unless empty
    if (daemon_) {
      daemon_->Signal(SIGTERM).IgnoreError();
      (void)daemon_->Wait();
      daemon_.reset();
    }
    // Snapshot mounts are gone with the tasks; unmount anything left before removing the folder.
    base::SubprocessOptions umount;
    umount.argv = {"sh", "-c", "grep -o ' " + tmp_ + "[^ ]*' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l"};
    (void)base::RunSubprocess(umount);
    if (!tmp_.empty()) RemoveTree(tmp_);
  }

  void StartContainerd() {
    std::ofstream(tmp_ + "/config.toml")
        << "version = 2\nroot = \"" << tmp_ << "/root\"\nstate = \"" << tmp_ << "/state\"\ntemp = \"" << tmp_
        << "/tmp\"\ndisabled_plugins = [\"io.containerd.snapshotter.v1.aufs\", \"io.containerd.snapshotter.v1.btrfs\", "
           "\"io.containerd.snapshotter.v1.zfs\", \"io.containerd.snapshotter.v1.devmapper\", "
           "\"io.containerd.internal.v1.opt\", \"io.containerd.grpc.v1.cri\"]\n[grpc]\n  address = \""
        << Socket() << "\"\n[ttrpc]\n  address = \"" << Socket() << ".ttrpc\"\n[debug]\n  address = \"" << tmp_
        << "/debug.sock\"\n";
    base::SubprocessOptions o;
    o.argv = {"containerd", "--config", tmp_ + "/config.toml"};
    o.capture_stdout = false;
    o.capture_stderr = false;
    o.stdout_file = tmp_ + "/containerd.log";
    o.stderr_file = tmp_ + "/containerd.log";
    auto started = base::Subprocess::Start(o);
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    daemon_ = std::move(*started);
    for (int i = 0; i < 200; ++i) {
      if (Ctr({"version"}).success()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "containerd did not answer on " << Socket();
  }

  void Import() {
    std::string image = tmp_ + "/image.tar";
    auto built = base::RunSubprocess(
        {.argv = {std::string(OCICERT_SOURCE_DIR) + "/runtime/tests/make-oci-image.sh", SharedRootfs(), image, kImage}});
    ASSERT_TRUE(built.ok() && built->success()) << (built.ok() ? built->err : built.status().ToString());
    auto imported = Ctr({"images", "import", image});
    ASSERT_TRUE(imported.success()) << imported.err;
  }

  std::string Socket() const { return tmp_ + "/c.sock"; }

  base::SubprocessResult Ctr(std::vector<std::string> args, int timeout_s = 60) {
    std::vector<std::string> argv = {"ctr", "-a", Socket(), "-n", kNamespace};
    argv.insert(argv.end(), args.begin(), args.end());
    base::SubprocessOptions o;
    o.argv = argv;
    o.timeout = std::chrono::seconds(timeout_s);
    auto r = base::RunSubprocess(o);
    if (!r.ok()) return base::SubprocessResult{.err = r.status().ToString()};
    return *r;
  }

  std::vector<std::string> RunArgs() {
    return {"run", "--runc-root", tmp_ + "/runc", "--fifo-dir", tmp_ + "/fifo", "--runc-binary", OCIRUN_BINARY};
  }

  // `ctr run -d` of `args` as container `id` (remembered for TearDown); asserts the task runs.
  void RunDetached(const std::string& id, const std::vector<std::string>& args) {
    ids_.push_back(id);
    std::vector<std::string> argv = RunArgs();
    argv.insert(argv.begin() + 1, "-d");
    argv.push_back(kImage);
    argv.push_back(id);
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = Ctr(argv);
    ASSERT_TRUE(r.success()) << r.err;
    ASSERT_EQ(TaskField(id, kStatusColumn), "RUNNING");
  }

  // A column of the task's line in `ctr task ls` (TASK PID STATUS); "" when the task is absent.
  static constexpr int kPidColumn = 1;
  static constexpr int kStatusColumn = 2;
  std::string TaskField(const std::string& id, int column) {
    std::istringstream lines(Ctr({"task", "ls"}).out);
    for (std::string line; std::getline(lines, line);) {
      std::istringstream fields(line);
      std::vector<std::string> f;
      for (std::string w; fields >> w;) f.push_back(w);
      if (f.size() > static_cast<size_t>(column) && f[0] == id) return f[column];
    }
    return "";
  }

  bool WaitTaskStatus(const std::string& id, const std::string& status) {
    for (int i = 0; i < 200; ++i) {
      if (TaskField(id, kStatusColumn) == status) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  // ocirun's own view, through the root the shim passes it (--root <runc-root>/<namespace>).
  nlohmann::json OcirunState(const std::string& id) {
    return StateOf({"ocirun", OCIRUN_BINARY, tmp_ + "/runc/" + kNamespace}, id);
  }

  // The container's cgroup in the v1 hierarchy `ctrl`: containerd's cgroupsPath /<namespace>/<id>.
  static std::string CgroupDir(const std::string& ctrl, const std::string& id) {
    return "/sys/fs/cgroup/" + ctrl + "/" + kNamespace + "/" + id;
  }

  // Kills and deletes the task, deletes the container, and checks that nothing is left.
  void Remove(const std::string& id) {
    ASSERT_TRUE(Ctr({"task", "kill", "-s", "SIGKILL", id}).success());
    EXPECT_TRUE(WaitTaskStatus(id, "STOPPED"));
    auto deleted = Ctr({"task", "delete", id});
    EXPECT_TRUE(deleted.success()) << deleted.err;
    EXPECT_TRUE(Ctr({"container", "delete", id}).success());
    EXPECT_EQ(TaskField(id, kStatusColumn), "");
    EXPECT_FALSE(std::filesystem::exists(tmp_ + "/runc/" + kNamespace + "/" + id));
    EXPECT_FALSE(CgroupExists(std::string(kNamespace) + "/" + id));
  }

  std::string tmp_;
  std::unique_ptr<base::Subprocess> daemon_;
  std::vector<std::string> ids_;
};

TEST_F(Containerd, RunPrintsAndExitsWithTheChosenCode) {
  std::vector<std::string> args = RunArgs();
  args.insert(args.begin() + 1, "--rm");
  for (const char* a : {kImage, "oct-rt-ctr-run", "sh", "-c", "echo hello from ocirun; exit 5"}) args.push_back(a);
  auto r = Ctr(args);
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_EQ(r.out, "hello from ocirun\n");
  EXPECT_EQ(Ctr({"containers", "ls", "-q"}).out, "");
  // ocirun's state for the task is gone too (the shim ran `delete`).
  EXPECT_FALSE(std::filesystem::exists(tmp_ + "/runc/" + kNamespace + "/oct-rt-ctr-run"));
}

TEST_F(Containerd, DetachedKilledAndRemoved) {
  std::vector<std::string> args = RunArgs();
  args.insert(args.begin() + 1, "-d");
  for (const char* a : {kImage, "oct-rt-ctr-detached", "sleep", "1000"}) args.push_back(a);
  auto r = Ctr(args);
  ASSERT_TRUE(r.success()) << r.err;
  auto tasks = Ctr({"task", "ls"});
  EXPECT_NE(tasks.out.find("RUNNING"), std::string::npos) << tasks.out;
  ASSERT_TRUE(Ctr({"task", "kill", "-s", "SIGKILL", "oct-rt-ctr-detached"}).success());
  bool stopped = false;
  for (int i = 0; i < 100 && !stopped; ++i) {
    stopped = Ctr({"task", "ls"}).out.find("STOPPED") != std::string::npos;
    if (!stopped) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(stopped);
  auto deleted = Ctr({"task", "delete", "oct-rt-ctr-detached"});
  EXPECT_TRUE(deleted.success()) << deleted.err;
  EXPECT_TRUE(Ctr({"container", "delete", "oct-rt-ctr-detached"}).success());
  EXPECT_EQ(Ctr({"task", "ls", "-q"}).out, "");
  EXPECT_FALSE(std::filesystem::exists(tmp_ + "/runc/" + kNamespace + "/oct-rt-ctr-detached"));
}

TEST_F(Containerd, ExecForegroundPrintsAndExitsWithTheChosenCode) {
  const std::string id = "oct-rt-ctr-exec";
  RunDetached(id, {"sleep", "1000"});
  // Pid 1 of the namespace the exec joined is the container's init.
  auto r = Ctr({"task", "exec", "--exec-id", "fg", id, "sh", "-c",
                "echo exec sees $(tr '\\0' ' ' < /proc/1/cmdline); exit 7"});
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_EQ(r.out, "exec sees sleep 1000\n");
  // The exec ran beside the init: the task still runs, and so does ocirun's container.
  EXPECT_EQ(TaskField(id, kStatusColumn), "RUNNING");
  EXPECT_EQ(OcirunState(id).value("status", ""), "running");
  Remove(id);
}

TEST_F(Containerd, ExecDetachedKeepsRunning) {
  const std::string id = "oct-rt-ctr-exec-d";
  RunDetached(id, {"sleep", "1000"});
  auto r = Ctr({"task", "exec", "--detach", "--exec-id", "bg", id, "sh", "-c", "echo up > /tmp/bg; exec sleep 999"});
  ASSERT_TRUE(r.success()) << r.err;
  // The detached process runs in the container: a foreground exec waits for its second sleep
  // (the init is the first), then reads the file it wrote before.
  auto seen = Ctr({"task", "exec", "--exec-id", "look", id, "sh", "-c",
                   "while [ $(pidof sleep | wc -w) != 2 ]; do usleep 20000; done; cat /tmp/bg"});
  EXPECT_TRUE(seen.success()) << seen.err;
  EXPECT_EQ(seen.out, "up\n");
  std::string ps = Ctr({"task", "ps", id}).out;
  EXPECT_EQ(std::count(ps.begin(), ps.end(), '\n'), 3) << ps;  // header, init, detached exec
  Remove(id);
}

TEST_F(Containerd, PauseAndResumeFollowTheFreezer) {
  const std::string id = "oct-rt-ctr-pause";
  RunDetached(id, {"sleep", "1000"});
  const std::string freezer = CgroupDir("freezer", id) + "/freezer.state";
  if (!std::filesystem::exists(freezer)) GTEST_SKIP() << "no v1 freezer at " << freezer;
  auto paused = Ctr({"task", "pause", id});
  ASSERT_TRUE(paused.success()) << paused.err;
  EXPECT_EQ(TaskField(id, kStatusColumn), "PAUSED");
  EXPECT_EQ(Slurp(freezer), "FROZEN\n");
  EXPECT_EQ(OcirunState(id).value("status", ""), "paused");
  auto resumed = Ctr({"task", "resume", id});
  ASSERT_TRUE(resumed.success()) << resumed.err;
  EXPECT_EQ(TaskField(id, kStatusColumn), "RUNNING");
  EXPECT_EQ(Slurp(freezer), "THAWED\n");
  EXPECT_EQ(OcirunState(id).value("status", ""), "running");
  Remove(id);
}

TEST_F(Containerd, PsListsTheInitThatOcirunReports) {
  const std::string id = "oct-rt-ctr-ps";
  RunDetached(id, {"sleep", "1000"});
  int pid = OcirunState(id).value("pid", 0);
  ASSERT_GT(pid, 0);
  EXPECT_EQ(TaskField(id, kPidColumn), std::to_string(pid));
  auto ps = Ctr({"task", "ps", id});
  ASSERT_TRUE(ps.success()) << ps.err;
  // "PID INFO" then one line per process: only the init here.
  std::istringstream lines(ps.out);
  std::string header, line, pid_field;
  std::getline(lines, header);
  EXPECT_EQ(header.substr(0, 3), "PID") << ps.out;
  ASSERT_TRUE(std::getline(lines, line)) << ps.out;
  std::istringstream(line) >> pid_field;
  EXPECT_EQ(pid_field, std::to_string(pid)) << ps.out;
  EXPECT_FALSE(std::getline(lines, line)) << ps.out;
  Remove(id);
}

}  // namespace
}  // namespace ocirun::it
