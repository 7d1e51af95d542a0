// Unit tests of the hook runner with /bin/sh hooks: stdin state, args/env, order, failure
// semantics, timeouts (the hook's whole process group is killed), exec errors, fd hygiene.
#include "runtime/linux/hooks.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>

#include "base/file.h"

namespace ocirun::linux {
namespace {

class HooksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/oct-ops-hooks-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { (void)!std::system(("rm -rf " + dir_).c_str()); }

  static ocispec::Hook Sh(const std::string& script, std::optional<int64_t> timeout = {}) {
    ocispec::Hook h;
    h.path = "/bin/sh";
    h.args = {"sh", "-c", script};
    h.timeout = timeout;
    return h;
  }
  std::string Read(const std::string& name) { return base::ReadFile(dir_ + "/" + name).value_or("<missing>"); }
  bool Has(const base::Status& st, const std::string& part) {
    return st.message().find(part) != std::string::npos;
  }

  std::string dir_;
};

TEST_F(HooksTest, StateArrivesOnStdin) {
  const std::string state = R"({"ociVersion":"1.0.2","id":"c1","status":"creating","pid":42})";
  base::Status st = RunHook(HookKind::kCreateRuntime, 0, Sh("cat > " + dir_ + "/stdin"), state);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(Read("stdin"), state);
}

TEST_F(HooksTest, ArgsAndEnvAreExactlyTheHooks) {
  ocispec::Hook h = Sh("echo \"$0 $FOO ${HOME:-nohome}\" > " + dir_ + "/out", {});
  h.args.push_back("first");
  h.env = {"FOO=bar"};
  ASSERT_TRUE(RunHook(HookKind::kPrestart, 0, h, "{}").ok());
  EXPECT_EQ(Read("out"), "first bar nohome\n");  // sh -c: $0 is the first extra arg
}

TEST_F(HooksTest, EmptyArgsRunThePathAlone) {
  ocispec::Hook h;
  h.path = "/bin/true";
  EXPECT_TRUE(RunHook(HookKind::kPoststart, 0, h, "{}").ok());
}

TEST_F(HooksTest, FailureNamesKindIndexPathStatusAndOutput) {
  base::Status st = RunHook(HookKind::kStartContainer, 2, Sh("echo broken >&2; exit 3"), "{}");
  EXPECT_FALSE(st.ok());
  EXPECT_TRUE(Has(st, "startContainer hook #2 (/bin/sh)")) << st.message();
  EXPECT_TRUE(Has(st, "exit status 3")) << st.message();
  EXPECT_TRUE(Has(st, "broken")) << st.message();
  base::Status sig = RunHook(HookKind::kPrestart, 0, Sh("kill -9 $$"), "{}");
  EXPECT_TRUE(Has(sig, "killed by signal 9")) << sig.message();
}

TEST_F(HooksTest, TimeoutKillsTheHookAndItsChildren) {
  base::Status st = RunHook(HookKind::kPoststart, 0,
                            Sh("sleep 30 & echo $! > " + dir_ + "/child; wait", 1), "{}");
  EXPECT_EQ(st.code(), base::Code::kTimeout) << st.ToString();
  EXPECT_TRUE(Has(st, "poststart hook #0 (/bin/sh): timed out after 1s")) << st.message();
  pid_t child = std::atoi(Read("child").c_str());
  ASSERT_GT(child, 0);
  // The background sleep shared the hook's process group and died with it (it may be a zombie
  // of init for a moment; kill(0) fails once it is reaped, or /proc shows state Z).
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    auto stat = base::ReadFile("/proc/" + std::to_string(child) + "/stat");
    gone = !stat.ok() || stat->find(") Z") != std::string::npos;
    if (!gone) ::usleep(10000);
  }
  EXPECT_TRUE(gone);
}

TEST_F(HooksTest, ExecFailureAndBadHooksAreErrors) {
  ocispec::Hook missing;
  missing.path = "/nonexistent/oct-hook";
  base::Status st = RunHook(HookKind::kCreateContainer, 1, missing, "{}");
  EXPECT_EQ(st.code(), base::Code::kNotFound) << st.ToString();
  EXPECT_TRUE(Has(st, "createContainer hook #1 (/nonexistent/oct-hook): exec")) << st.message();
  ocispec::Hook relative;
  relative.path = "sh";
  EXPECT_EQ(RunHook(HookKind::kPrestart, 0, relative, "{}").code(), base::Code::kInvalidArgument);
  EXPECT_EQ(RunHook(HookKind::kPrestart, 0, Sh("true", 0), "{}").code(),
            base::Code::kInvalidArgument);
}

TEST_F(HooksTest, NoFdLeaksIntoHooks) {
  int leaked = ::open("/dev/null", O_RDONLY);  // deliberately without O_CLOEXEC
  ASSERT_GE(leaked, 3);
  base::Status st = RunHook(HookKind::kPrestart, 0,
                            Sh("test ! -e /proc/self/fd/" + std::to_string(leaked)), "{}");
  ::close(leaked);
  EXPECT_TRUE(st.ok()) << st.ToString();
}

TEST_F(HooksTest, LargeStateDoesNotDeadlockAHookThatIgnoresStdin) {
  std::string big(1 << 20, 'x');
  EXPECT_TRUE(RunHook(HookKind::kPrestart, 0, Sh("exit 0"), big).ok());
  ASSERT_TRUE(RunHook(HookKind::kPrestart, 0, Sh("wc -c > " + dir_ + "/n"), big).ok());
  EXPECT_EQ(std::atoi(Read("n").c_str()), 1 << 20);
}

TEST_F(HooksTest, ListsRunInOrderAndStopOrContinue) {
  std::vector<ocispec::Hook> hooks = {Sh("echo 1 >> " + dir_ + "/log"), Sh("exit 7"),
                                      Sh("echo 3 >> " + dir_ + "/log")};
  base::Status stop = RunHooks(HookKind::kPrestart, hooks, "{}", OnHookFailure::kStop);
  EXPECT_TRUE(Has(stop, "prestart hook #1")) << stop.message();
  EXPECT_EQ(Read("log"), "1\n");
  base::Status cont = RunHooks(HookKind::kPoststop, hooks, "{}", OnHookFailure::kContinue);
  EXPECT_TRUE(Has(cont, "poststop hook #1")) << cont.message();
  EXPECT_EQ(Read("log"), "1\n1\n3\n");
  EXPECT_EQ(DefaultOnFailure(HookKind::kPoststop), OnHookFailure::kContinue);
  EXPECT_EQ(DefaultOnFailure(HookKind::kPoststart), OnHookFailure::kStop);
}

TEST(HookKindTest, NamesAndSelection) {
  ocispec::Hooks hooks;
  hooks.create_runtime.resize(2);
  EXPECT_EQ(HookKindName(HookKind::kCreateRuntime), "createRuntime");
  EXPECT_EQ(HooksOf(hooks, HookKind::kCreateRuntime).size(), 2u);
  EXPECT_TRUE(HooksOf(hooks, HookKind::kPoststop).empty());
}

}  // namespace
}  // namespace ocirun::linux
