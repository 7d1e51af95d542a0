#include "base/win_cmdline.h"

#include <gtest/gtest.h>

namespace base {
namespace {

// Expected values are Go's syscall.EscapeArg outputs (the quoting hcsshim applies to process.args).
TEST(WinCmdline, EscapeArgMatchesGo) {
  EXPECT_EQ(EscapeWindowsArg(""), "\"\"");
  EXPECT_EQ(EscapeWindowsArg("plain"), "plain");
  EXPECT_EQ(EscapeWindowsArg("C:\\dir\\x.exe"), "C:\\dir\\x.exe");  // backslashes alone stay
  EXPECT_EQ(EscapeWindowsArg("with space"), "\"with space\"");
  EXPECT_EQ(EscapeWindowsArg("tab\there"), "\"tab\there\"");
  EXPECT_EQ(EscapeWindowsArg("quo\"te"), "quo\\\"te");                // no space: not wrapped
  EXPECT_EQ(EscapeWindowsArg("a\\\"b"), "a\\\\\\\"b");               // a\"b -> a\\\"b
  EXPECT_EQ(EscapeWindowsArg("sp ace\\"), "\"sp ace\\\\\"");          // trailing \ doubled before "
  EXPECT_EQ(EscapeWindowsArg("tail\\"), "tail\\");
}

TEST(WinCmdline, JoinSeparatesWithSpaces) {
  EXPECT_EQ(JoinWindowsCommandLine({"cmd", "/c", "echo hi"}), "cmd /c \"echo hi\"");
  EXPECT_EQ(JoinWindowsCommandLine({}), "");
}

}  // namespace
}  // namespace base
