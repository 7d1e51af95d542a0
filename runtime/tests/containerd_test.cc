// Privileged: containerd 1.6 drives ocirun through its io.containerd.runc.v2 shim. A private
// containerd (own socket, root, state under a temp folder; see
// docs/reference/containerd-on-this-machine.md) imports a busybox OCI-layout image built locally
// (make-oci-image.sh), then `ctr run --runc-binary <ocirun>` runs a container that prints and exits
// with a chosen code, and a detached one is killed with `ctr task kill` and removed.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
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

  std::string tmp_;
  std::unique_ptr<base::Subprocess> daemon_;
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

}  // namespace
}  // namespace ocirun::it
