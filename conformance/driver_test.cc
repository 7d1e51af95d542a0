#include "conformance/driver.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "base/file.h"
#include "harness/runtime.h"

namespace conform {
namespace {

// A fake runtime: prints its arguments; the second one after --root ROOT picks a behaviour.
constexpr const char* kFakeRuntime = R"(#!/bin/sh
echo "args: $*"
echo "to stderr" >&2
case "$4" in
  fail) exit 3 ;;
  sleep) sleep 5 ;;
  crash) kill -SEGV $$ ;;
  detach) (sleep 3; echo late) & ;;
esac
exit 0
)";

class DriverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/oct-conform-driver-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::string path = dir_ + "/fakert";
    ASSERT_TRUE(base::WriteFile(path, kFakeRuntime, 0755).ok());
    auto rt = harness::ParseRuntime("fake=" + path);
    ASSERT_TRUE(rt.ok()) << rt.status().ToString();
    rt_ = *rt;
  }
  void TearDown() override {
    Interrupted() = false;
    std::filesystem::remove_all(dir_);
  }
  Driver MakeDriver(std::chrono::milliseconds budget = std::chrono::seconds(30)) {
    return Driver(rt_, dir_ + "/root", dir_, Driver::Clock::now() + budget);
  }
  std::string dir_;
  RuntimeUnderTest rt_;
};

TEST_F(DriverTest, RecordsArgvExitCodeOutputAndDuration) {
  Driver d = MakeDriver();
  const Call& ok = d.Run({"state", "abc"});
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.inv.argv, (std::vector<std::string>{rt_.path, "--root", dir_ + "/root", "state", "abc"}));
  EXPECT_EQ(ok.inv.stdout_text, "args: --root " + dir_ + "/root state abc\n");
  EXPECT_EQ(ok.inv.stderr_text, "to stderr\n");
  EXPECT_GT(ok.inv.duration_s, 0);
  const Call& bad = d.Run({"x", "fail"});
  EXPECT_TRUE(bad.failed());
  EXPECT_EQ(bad.inv.exit_code, 3);
  std::vector<reports::Invocation> t = d.Transcript();
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[1].exit_code, 3);
}

TEST_F(DriverTest, TimeoutKillsTheInvocationAndMakesTheCaseAnError) {
  Driver d = MakeDriver();
  InvokeOptions o;
  o.timeout = std::chrono::milliseconds(200);
  try {
    d.Run({"x", "sleep"}, o);
    ADD_FAILURE() << "a timed-out invocation must end the case";
  } catch (const CaseAbort& abort) {
    EXPECT_EQ(abort.kind, CaseAbort::kError);
    EXPECT_NE(abort.message.find("timed out"), std::string::npos) << abort.message;
  }
  EXPECT_TRUE(d.timed_out());
  std::vector<reports::Invocation> t = d.Transcript();
  ASSERT_EQ(t.size(), 1u) << "the timed-out call stays in the transcript";
  EXPECT_TRUE(t[0].timed_out);
  EXPECT_LT(t[0].duration_s, 3);
  // Cleanup calls time out without ending anything.
  InvokeOptions quiet = o;
  quiet.record = false;
  const Call& call = d.Run({"x", "sleep"}, quiet);
  EXPECT_TRUE(call.inv.timed_out);
  EXPECT_FALSE(call.ok());
  EXPECT_FALSE(call.failed());  // a timeout is not a refusal
}

TEST_F(DriverTest, ACrashIsNotARefusal) {
  Driver d = MakeDriver();
  const Call& call = d.Run({"x", "crash"});
  EXPECT_EQ(call.signal, SIGSEGV);
  EXPECT_EQ(call.inv.exit_code, 128 + SIGSEGV);
  EXPECT_FALSE(call.ok());
  EXPECT_FALSE(call.failed());
  EXPECT_FALSE(d.timed_out());
}

TEST_F(DriverTest, OutputOfADetachedChildIsReadLater) {
  // The runtime returns at once; its child writes on to the same stdout file (a container's output).
  Driver d = MakeDriver();
  const Call& call = d.Run({"x", "detach"});
  EXPECT_LT(call.inv.duration_s, 2) << "the driver waited for the detached child";
  EXPECT_EQ(call.inv.stdout_text.find("late"), std::string::npos);
}

TEST_F(DriverTest, CaseDeadlineAndInterruptAbort) {
  Driver expired = MakeDriver(std::chrono::milliseconds(-1));
  EXPECT_THROW(expired.Run({"state", "a"}), CaseAbort);
  Driver d = MakeDriver();
  Interrupted() = true;
  EXPECT_THROW(d.Run({"state", "a"}), CaseAbort);
  InvokeOptions cleanup;
  cleanup.record = false;  // cleanup still runs after an interrupt
  EXPECT_TRUE(d.Run({"delete", "a"}, cleanup).ok());
  EXPECT_TRUE(d.Transcript().empty());
}

}  // namespace
}  // namespace conform
