#include "base/subprocess.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>

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

TEST(SubprocessTest, TimeoutWithQuickExitKeepsTheStatus) {
  SubprocessOptions o;
  o.argv = {"sh", "-c", "echo hi; exit 4"};
  o.timeout = std::chrono::seconds(10);
  auto r = RunSubprocess(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 4);
  EXPECT_EQ(r->out, "hi\n");
  EXPECT_FALSE(r->timed_out);
}

TEST(SubprocessTest, ReportsPeakRssOfTheChild) {
  SubprocessOptions o;
  // The shell holds a 20 MB string in memory.
  o.argv = {"sh", "-c", "x=$(head -c 20000000 /dev/zero | tr '\\0' a); echo ${#x}"};
  auto r = RunSubprocess(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->out, "20000000\n");
  EXPECT_GT(r->max_rss_kb, 19000);  // the shell held the 20 MB string
}

TEST(SubprocessTest, StdoutAndStderrToFiles) {
  char dir[] = "/tmp/oct-base-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  std::string out = std::string(dir) + "/out", err = std::string(dir) + "/err";
  SubprocessOptions o;
  o.argv = {"sh", "-c", "echo to-out; echo to-err >&2"};
  o.capture_stdout = false;
  o.capture_stderr = false;
  o.stdout_file = out;
  o.stderr_file = err;
  auto r = RunSubprocess(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->out.empty());
  char buf[64] = {};
  FILE* f = std::fopen(out.c_str(), "r");
  ASSERT_NE(f, nullptr);
  EXPECT_STREQ(std::fgets(buf, sizeof buf, f), "to-out\n");
  std::fclose(f);
  f = std::fopen(err.c_str(), "r");
  ASSERT_NE(f, nullptr);
  EXPECT_STREQ(std::fgets(buf, sizeof buf, f), "to-err\n");
  std::fclose(f);
  std::remove(out.c_str());
  std::remove(err.c_str());
  ::rmdir(dir);
}

}  // namespace
}  // namespace base
