#include "runtime/container/ps_proc.h"

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <sstream>

#include <gtest/gtest.h>

#include "base/file.h"
#include "base/subprocess.h"

namespace ocirun {
namespace {

namespace fs = std::filesystem;

// A /proc tree in a temporary folder: one process and the host-wide files.
class FakeProc : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ocirun-ps-proc-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    fs::create_directories(root_ + "/sys/kernel");
    Put("uptime", "5000.25 9000.00\n");
    Put("stat", "cpu  1 2 3\nintr 5\nbtime 1700000000\nprocesses 9\n");  // 2023-11-14 22:13:20 UTC
    Put("sys/kernel/pid_max", "4194304\n");
    ::setenv("TZ", "UTC", 1);
    ::tzset();
  }
  void TearDown() override { fs::remove_all(root_); }
  void Put(const std::string& rel, const std::string& text) {
    fs::create_directories(fs::path(root_ + "/" + rel).parent_path());
    ASSERT_TRUE(base::WriteFile(root_ + "/" + rel, text).ok());
  }
  // stat fields 3..22 after "(comm)": ppid=field 4, tty_nr=7, utime=14, stime=15, starttime=22.
  void Process(int pid, const std::string& comm, int ppid, int tty, long utime, long stime, long start,
               const std::string& cmdline, unsigned euid) {
    std::string d = std::to_string(pid);
    Put(d + "/stat", std::to_string(pid) + " (" + comm + ") S " + std::to_string(ppid) + " 1 1 " +
                         std::to_string(tty) + " -1 4194560 10 0 0 0 " + std::to_string(utime) + " " +
                         std::to_string(stime) + " 0 0 20 0 1 0 " + std::to_string(start) + " 1000 10 ...\n");
    Put(d + "/status", "Name:\t" + comm + "\nUid:\t1000\t" + std::to_string(euid) + "\t1000\t1000\nGid:\t0\n");
    Put(d + "/cmdline", cmdline);
  }
  std::string root_;
};

TEST_F(FakeProc, ReadsAndFormatsOneRowAsPsEf) {
  Process(4242, "sleep", 4200, (136 << 8) | 3, 360000, 6100, 400000, std::string("sleep\0" "1000\0", 11), 0);
  auto clock = ReadPsClock(root_);
  ASSERT_TRUE(clock.ok()) << clock.status().ToString();
  EXPECT_EQ(clock->boot_time, 1700000000);
  EXPECT_EQ(clock->pid_width, 7);  // digits of pid_max
  clock->hz = 100;
  clock->now = 1700000000 + 5000;  // the same day
  auto e = ReadProcEntry(root_, 4242);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->ppid, 4200);
  EXPECT_EQ(e->euid, 0u);
  EXPECT_EQ(e->cpu_ticks, 366100u);
  EXPECT_EQ(PsHeader(*clock), "UID          PID    PPID  C STIME TTY          TIME CMD\n");
  // Started at boot + 4000 s = 23:20; 3661 s of CPU in 1000.25 s of life: C is capped at 99.
  EXPECT_EQ(PsRow(*e, *clock, "root"), "root        4242    4200 99 23:20 pts/3    01:01:01 sleep 1000\n");
}

TEST_F(FakeProc, KernelThreadsOddNamesAndOldProcesses) {
  // A comm with spaces and parentheses, no cmdline (a kernel thread), started two days before now.
  Process(7, "kworker/0:1 (x)", 2, 0, 150, 50, 100, "", 0);
  auto clock = ReadPsClock(root_);
  ASSERT_TRUE(clock.ok());
  clock->hz = 100;
  clock->pid_width = 5;
  clock->now = 1700000000 + 2 * 86400;
  auto e = ReadProcEntry(root_, 7);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->comm, "kworker/0:1 (x)");
  EXPECT_EQ(PsRow(*e, *clock, "root"), "root         7     2  0 Nov14 ?        00:00:02 [kworker/0:1 (x)]\n");
  clock->now = 1700000000 + 400 * 86400;  // another year
  EXPECT_EQ(PsRow(*e, *clock, "root"), "root         7     2  0 2023  ?        00:00:02 [kworker/0:1 (x)]\n");
  EXPECT_EQ(ReadProcEntry(root_, 8).status().code(), base::Code::kNotFound);  // exited
  Put("9/stat", "9 (x S 1\n");
  Put("9/status", "Uid:\t0\t0\t0\t0\n");
  Put("9/cmdline", "");
  EXPECT_EQ(ReadProcEntry(root_, 9).status().code(), base::Code::kInternal);
}

TEST(PsProcTest, TtyNames) {
  EXPECT_EQ(TtyName(0), "?");
  EXPECT_EQ(TtyName((136 << 8) | 0), "pts/0");
  EXPECT_EQ(TtyName((137 << 8) | 2), "pts/258");
  EXPECT_EQ(TtyName((4 << 8) | 1), "tty1");
  EXPECT_EQ(TtyName((4 << 8) | 65), "ttyS1");
  EXPECT_EQ(TtyName((5 << 8) | 1), "console");
}

// Against the host's procps: the same header and, for pid 1 and this test, the same UID, PID,
// PPID, STIME, TTY and CMD (TIME and C move between the two reads).
TEST(PsProcTest, MatchesTheHostPs) {
  int self = ::getpid();
  auto ours = ProcPsTable({1, self});
  ASSERT_TRUE(ours.ok()) << ours.status().ToString();
  base::SubprocessOptions o;
  o.argv = {"ps", "-f", "-p", "1," + std::to_string(self)};
  auto r = base::RunSubprocess(o);
  if (!r.ok() || !r->success()) GTEST_SKIP() << "the host's ps is not usable here";
  std::istringstream a(*ours), b(r->out);
  std::string la, lb;
  std::getline(a, la);
  std::getline(b, lb);
  EXPECT_EQ(la, lb) << "header";
  auto columns = [](const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> f;
    for (std::string t; f.size() < 7 && in >> t;) f.push_back(t);
    std::string rest;
    std::getline(in, rest);
    f.push_back(rest.substr(rest.find_first_not_of(' ') == std::string::npos ? 0 : rest.find_first_not_of(' ')));
    return f;
  };
  for (int row = 0; row < 2; ++row) {
    ASSERT_TRUE(std::getline(a, la)) << *ours;
    ASSERT_TRUE(std::getline(b, lb)) << r->out;
    auto fa = columns(la), fb = columns(lb);
    for (int i : {0, 1, 2, 4, 5, 7}) EXPECT_EQ(fa[i], fb[i]) << "column " << i << "\nours: " << la << "\nps:   " << lb;
  }
  EXPECT_FALSE(std::getline(a, la)) << *ours;
}

}  // namespace
}  // namespace ocirun
