#include "base/subprocess.h"

#include <signal.h>

#include <gtest/gtest.h>

namespace base {
namespace {

TEST(SubprocessTest, CapturesOutputAndExitCode) {
  SubprocessOptions o;
  o.argv = {"sh", "-c", "echo out; echo err >&2; exit 3"};
  auto r = RunSubprocess(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->out, "out\n");
  EXPECT_EQ(r->err, "err\n");
  EXPECT_FALSE(r->timed_out);
}

TEST(SubprocessTest, FeedsStdin) {
  SubprocessOptions o;
  o.argv = {"cat"};
  o.stdin_data = std::string(200000, 'x');  // larger than a pipe buffer
  auto r = RunSubprocess(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->out.size(), 200000u);
}

TEST(SubprocessTest, TimeoutKills) {
  SubprocessOptions o;
  o.argv = {"sleep", "10"};
  o.timeout = std::chrono::milliseconds(100);
  auto r = RunSubprocess(o);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->term_signal, SIGKILL);
}

TEST(SubprocessTest, SignalExitGivesShellStatus) {
  SubprocessOptions o;
  o.argv = {"sh", "-c", "kill -TERM $$"};
  auto r = RunSubprocess(o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, -1);
  EXPECT_EQ(r->shell_status(), 128 + SIGTERM);
}

TEST(SubprocessTest, MissingProgramIsNotFound) {
  SubprocessOptions o;
  o.argv = {"no-such-program-ocicert"};
  auto r = RunSubprocess(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
}

TEST(SubprocessTest, EnvironmentIsExact) {
  SubprocessOptions o;
  o.argv = {"/usr/bin/env"};
  o.env = std::vector<std::string>{"A=1"};
  auto r = RunSubprocess(o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->out, "A=1\n");
}

}  // namespace
}  // namespace base
