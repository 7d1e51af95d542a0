// Windows implementations of base (file_win32.cc, subprocess_win32.cc) and the portable command-line
// quoting. The child processes are this test binary itself: when OCT_WIN_CHILD is set, a static
// initializer plays the child's part (echo stdin, exit with a code, sleep, print its argv) before
// gtest starts, so the tests need no shell and run the same under wine and on Windows.
#include <windows.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "base/file.h"
#include "base/subprocess.h"
#include "base/win_cmdline.h"

namespace {

int ChildMain(const std::string& role) {
  if (role == "echo") {
    std::string all((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    std::cout << all;
    std::cerr << "err:" << all.size();
    return 3;
  }
  if (role == "sleep") {
    ::Sleep(20000);
    return 0;
  }
  if (role == "argv") {
    int argc = 0;
    LPWSTR* argv = ::CommandLineToArgvW(::GetCommandLineW(), &argc);
    for (int i = 1; i < argc; ++i) {
      char buf[1024];
      int n = ::WideCharToMultiByte(CP_UTF8, 0, argv[i], -1, buf, sizeof buf, nullptr, nullptr);
      std::cout << "[" << std::string(buf, n > 0 ? n - 1 : 0) << "]";
    }
    return 0;
  }
  return 99;
}

const bool kIsChild = [] {
  const char* role = std::getenv("OCT_WIN_CHILD");
  if (role && *role) {
    std::cout.flush();
    std::exit(ChildMain(role));
  }
  return false;
}();

std::string SelfPath() {
  wchar_t buf[MAX_PATH];
  DWORD n = ::GetModuleFileNameW(nullptr, buf, MAX_PATH);
  char out[MAX_PATH * 3];
  int m = ::WideCharToMultiByte(CP_UTF8, 0, buf, static_cast<int>(n), out, sizeof out, nullptr, nullptr);
  return std::string(out, m);
}

base::SubprocessOptions Child(const std::string& role) {
  base::SubprocessOptions o;
  o.argv = {SelfPath()};
  o.env = std::vector<std::string>{"OCT_WIN_CHILD=" + role};
  if (const char* root = std::getenv("SystemRoot")) o.env->push_back(std::string("SystemRoot=") + root);
  return o;
}

TEST(Win32Subprocess, FeedsStdinCapturesBothStreamsAndExitCode) {
  base::SubprocessOptions o = Child("echo");
  o.stdin_data = std::string(200000, 'x');  // larger than a pipe buffer
  auto r = base::RunSubprocess(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->out.size(), 200000u);
  EXPECT_EQ(r->err, "err:200000");
  EXPECT_FALSE(r->timed_out);
}

TEST(Win32Subprocess, TimeoutEndsTheChild) {
  base::SubprocessOptions o = Child("sleep");
  o.timeout = std::chrono::milliseconds(300);
  auto r = base::RunSubprocess(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->exit_code, -1);
  EXPECT_LT(r->duration, std::chrono::seconds(10));
}

TEST(Win32Subprocess, ArgvSurvivesTheCommandLine) {
  base::SubprocessOptions o = Child("argv");
  o.argv.insert(o.argv.end(), {"plain", "with space", "", "quo\"te", "tail\\", "sp ace\\", "a\\\\\"b"});
  auto r = base::RunSubprocess(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->out, "[plain][with space][][quo\"te][tail\\][sp ace\\][a\\\\\"b]");
}

TEST(Win32Subprocess, StdoutAndStderrAppendToFiles) {
  char tmp[MAX_PATH];
  ASSERT_GT(::GetTempPathA(MAX_PATH, tmp), 0u);
  std::string out = std::string(tmp) + "oct-win-out-" + std::to_string(::GetCurrentProcessId());
  std::string err = out + ".err";
  ASSERT_TRUE(base::WriteFile(out, "before\n").ok());
  std::remove(err.c_str());
  base::SubprocessOptions o = Child("echo");
  o.stdin_data = "hello";
  o.capture_stdout = false;
  o.capture_stderr = false;
  o.stdout_file = out;
  o.stderr_file = err;
  auto r = base::RunSubprocess(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_TRUE(r->out.empty());
  EXPECT_EQ(base::ReadFile(out).value_or("?"), "before\nhello");  // appended, not truncated
  EXPECT_EQ(base::ReadFile(err).value_or("?"), "err:5");            // created
  std::remove(out.c_str());
  std::remove(err.c_str());
}

TEST(Win32Subprocess, MissingProgramIsNotFound) {
  base::SubprocessOptions o;
  o.argv = {"oct-win-no-such-program"};
  auto r = base::RunSubprocess(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::Code::kNotFound);
}

TEST(Win32File, AtomicWriteReplacesAndReadsBack) {
  wchar_t tmp[MAX_PATH];
  ::GetTempPathW(MAX_PATH, tmp);
  char dir[MAX_PATH * 3];
  int n = ::WideCharToMultiByte(CP_UTF8, 0, tmp, -1, dir, sizeof dir, nullptr, nullptr);
  std::string path = std::string(dir, n - 1) + "oct-windows-atomic-" + std::to_string(::GetCurrentProcessId());
  ASSERT_TRUE(base::WriteFileAtomic(path, "first").ok());
  ASSERT_TRUE(base::WriteFileAtomic(path, "second, longer").ok());
  auto r = base::ReadFile(path);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "second, longer");
  ::DeleteFileA(path.c_str());
  auto missing = base::ReadFile(path);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), base::Code::kNotFound);
}

}  // namespace
