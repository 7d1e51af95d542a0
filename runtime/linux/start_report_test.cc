// Unit tests of the start report (start_report.h) with a forked child playing the container init:
// an exec closes the fifo (success), a reported failure reaches `start`, a quiet death is not a
// failure, and the init's fd stays above the preserved fds and close-on-exec.
#include "runtime/linux/start_report.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>

#include <gtest/gtest.h>

#include "runtime/linux/init_protocol.h"

namespace ocirun::linux {
namespace {

class StartReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/oct-ops-start-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    fifo_ = dir_ + "/" + kStartFifoName;
    ASSERT_EQ(::mkfifo(fifo_.c_str(), 0600), 0);
  }
  void TearDown() override {
    if (child_ > 0) ::waitpid(child_, nullptr, 0);
    (void)!std::system(("rm -rf " + dir_).c_str());
  }

  // Forks the "init": it opens the writer (as create does, before start reads), signals readiness
  // on a pipe, then runs `then` and exits.
  void ForkInit(const std::function<void(int report)>& then) {
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    child_ = ::fork();
    ASSERT_GE(child_, 0);
    if (child_ == 0) {
      ::close(ready[0]);
      auto w = OpenStartReportWriter(fifo_, 3);
      if (!w.ok()) ::_exit(99);
      ::close(ready[1]);
      then(w->get());
      ::_exit(0);
    }
    ::close(ready[1]);
    char byte;
    (void)!::read(ready[0], &byte, 1);  // EOF once the child has its writer
    ::close(ready[0]);
  }
  bool ChildAlive() { return ::waitpid(child_, nullptr, WNOHANG) == 0; }

  std::string dir_, fifo_;
  pid_t child_ = -1;
};

TEST_F(StartReportTest, ExecClosesTheFifoAndMeansRunning) {
  ForkInit([](int) {
    ::usleep(100 * 1000);  // start is waiting by now
    ::execl("/bin/true", "true", nullptr);
  });
  auto r = OpenStartReportReader(fifo_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  base::Status st = AwaitStartReport(r->get(), [this] { return ChildAlive(); });
  EXPECT_TRUE(st.ok()) << st.ToString();
}

TEST_F(StartReportTest, AReportedFailureReachesStart) {
  auto r = OpenStartReportReader(fifo_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ForkInit([](int report) {
    SendError(report, base::Internal("startContainer hook #0 (/bin/sh): exit status 9"));
    ::_exit(1);
  });
  base::Status st = AwaitStartReport(r->get(), [this] { return ChildAlive(); });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "startContainer hook #0 (/bin/sh): exit status 9");
}

TEST_F(StartReportTest, AQuietDeathIsNoFailure) {
  auto r = OpenStartReportReader(fifo_);
  ASSERT_TRUE(r.ok());
  ForkInit([](int) { ::_exit(0); });
  EXPECT_TRUE(AwaitStartReport(r->get(), [this] { return ChildAlive(); }).ok());
}

TEST_F(StartReportTest, AnInitThatNeverOpenedTheFifoEndsTheWaitWhenItDies) {
  auto r = OpenStartReportReader(fifo_);
  ASSERT_TRUE(r.ok());
  int polls = 0;
  // No writer ever: poll() sees no hang-up, so only init_alive() can end the wait.
  EXPECT_TRUE(AwaitStartReport(r->get(), [&polls] { return ++polls < 3; }).ok());
  EXPECT_EQ(polls, 3);
}

TEST_F(StartReportTest, WriterFdIsAbovePreservedFdsAndCloseOnExec) {
  auto w = OpenStartReportWriter(fifo_, 40);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_GE(w->get(), 40);
  EXPECT_TRUE(::fcntl(w->get(), F_GETFD) & FD_CLOEXEC);
}

TEST_F(StartReportTest, MissingFifo) {
  auto r = OpenStartReportReader(dir_ + "/nope.fifo");
  EXPECT_EQ(r.status().code(), base::Code::kNotFound);
}

}  // namespace
}  // namespace ocirun::linux
