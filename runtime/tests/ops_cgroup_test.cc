// Privileged tests of the cgroup manager on this host's real hierarchy (v1, v2 or hybrid): create,
// apply (values land in the kernel files), add a process, freeze/thaw with a live process, pids,
// kill all, destroy. Cgroups are named /oct-ops-cg-<pid>-<n> and removed by every test.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "base/file.h"
#include "runtime/linux/cgroup.h"

namespace ocirun::linux {
namespace {

std::string Trimmed(const std::string& path) {
  auto text = base::ReadFile(path);
  if (!text.ok()) return "<" + text.status().message() + ">";
  std::string s = *text;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class RealCgroupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to create cgroups";
    static int n = 0;
    name_ = "/oct-ops-cg-" + std::to_string(getpid()) + "-" + std::to_string(n++);
    auto m = NewCgroupManager({name_, "unused"});
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    cg_ = std::move(m).value();
    ASSERT_TRUE(cg_->Create().ok());
  }
  void TearDown() override {
    if (child_ > 0) {
      ::kill(child_, SIGKILL);
      if (cg_) cg_->Thaw().IgnoreError();
      ::waitpid(child_, nullptr, 0);
    }
    if (cg_) {
      base::Status st = cg_->Destroy();
      EXPECT_TRUE(st.ok()) << st.ToString();
      EXPECT_FALSE(cg_->Exists());
    }
  }
  // A child that sleeps until killed, moved into the cgroup.
  void StartChildInCgroup() {
    child_ = fork();
    ASSERT_GE(child_, 0);
    if (child_ == 0) {
      for (;;) pause();
    }
    base::Status st = cg_->AddProcess(child_);
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  std::string Dir(const std::string& ctrl) {
    const auto& dirs = cg_->Paths().dirs;
    return dirs.count(ctrl) ? dirs.at(ctrl) : dirs.at("unified");
  }
  bool V2() const { return cg_->Paths().layout == CgroupLayout::kV2; }

  std::string name_;
  std::unique_ptr<CgroupManager> cg_;
  pid_t child_ = -1;
};

TEST_F(RealCgroupTest, ApplyLandsInKernelFiles) {
  CgroupResources r;
  r.memory = CgroupResources::Memory{};
  r.memory->limit = 64 << 20;
  r.cpu = CgroupResources::Cpu{};
  r.cpu->shares = 512;
  r.cpu->quota = 50000;
  r.cpu->period = 100000;
  r.cpu->cpus = "0";
  r.pids = CgroupResources::Pids{32};
  base::Status st = cg_->Apply(r);
  ASSERT_TRUE(st.ok()) << st.ToString();
  if (V2()) {
    EXPECT_EQ(Trimmed(Dir("memory") + "/memory.max"), "67108864");
    EXPECT_EQ(Trimmed(Dir("cpu") + "/cpu.max"), "50000 100000");
  } else {
    EXPECT_EQ(Trimmed(Dir("memory") + "/memory.limit_in_bytes"), "67108864");
    EXPECT_EQ(Trimmed(Dir("cpu") + "/cpu.shares"), "512");
    EXPECT_EQ(Trimmed(Dir("cpu") + "/cpu.cfs_quota_us"), "50000");
    EXPECT_EQ(Trimmed(Dir("cpuset") + "/cpuset.cpus"), "0");
  }
  EXPECT_EQ(Trimmed(Dir("pids") + "/pids.max"), "32");
}

TEST_F(RealCgroupTest, UnsupportedOrInvalidValueNamesTheField) {
  CgroupResources r;
  r.cpu = CgroupResources::Cpu{};
  r.cpu->cpus = "999";  // no such CPU
  base::Status st = cg_->Apply(r);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("linux.resources.cpu.cpus"), std::string::npos) << st.ToString();
}

TEST_F(RealCgroupTest, FreezeThawPidsKillAll) {
  StartChildInCgroup();
  auto pids = cg_->Pids();
  ASSERT_TRUE(pids.ok()) << pids.status().ToString();
  EXPECT_EQ(*pids, std::vector<pid_t>{child_});

  base::Status st = cg_->Freeze();
  if (st.code() == base::Code::kUnimplemented) GTEST_SKIP() << st.message();
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(*cg_->IsFrozen());
  ASSERT_TRUE(cg_->Thaw().ok());
  EXPECT_FALSE(*cg_->IsFrozen());

  ASSERT_TRUE(cg_->KillAll(SIGKILL).ok());
  int status = 0;
  ASSERT_EQ(::waitpid(child_, &status, 0), child_);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  child_ = -1;
}

TEST_F(RealCgroupTest, DestroyWaitsForExitingTasks) {
  StartChildInCgroup();
  ::kill(child_, SIGKILL);
  pid_t reaper = child_;
  child_ = -1;
  ::waitpid(reaper, nullptr, 0);
  base::Status st = cg_->Destroy();
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_FALSE(cg_->Exists());
}

}  // namespace
}  // namespace ocirun::linux
