#include "runtime/container/ps.h"

#include <sstream>

#include <gtest/gtest.h>

namespace ocirun {
namespace {

TEST(PsTest, JsonIsAnArrayOfPids) {
  EXPECT_EQ(PsJson({}), "null");  // runc's nil slice
  EXPECT_EQ(PsJson({12, 345}), "[12,345]");
}

TEST(PsTest, TableKeepsHeaderAndTheContainersPids) {
  const char* ps =
      "UID        PID  PPID  C STIME TTY          TIME CMD\n"
      "root         1     0  0 12:06 ?        00:00:04 /sbin/init\n"
      "root       120     1  0 12:06 ?        00:00:00 sleep 1000\n"
      "root      1201   120  0 12:06 ?        00:00:00 sh -c 120\n";
  auto t = FilterPsTable(ps, {120, 1201});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t,
            "UID        PID  PPID  C STIME TTY          TIME CMD\n"
            "root       120     1  0 12:06 ?        00:00:00 sleep 1000\n"
            "root      1201   120  0 12:06 ?        00:00:00 sh -c 120\n");
  // PID in another column position (ps -o).
  auto o = FilterPsTable("CMD PID\nsleep 7\nsh 8\n", {8});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(*o, "CMD PID\nsh 8\n");
  EXPECT_EQ(FilterPsTable("CMD\nsleep\n", {1}).status().code(), base::Code::kNotFound);
}

TEST(PsTest, RunsTheHostPs) {
  auto t = PsTable({1}, {"-o", "pid,comm"});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  // Column widths follow the host's pid_max: compare tokens, not spacing.
  std::istringstream lines(*t);
  std::string header, row, pid, comm;
  std::getline(lines, header);
  EXPECT_EQ(header.substr(header.find_first_not_of(' '), 3), "PID") << *t;
  ASSERT_TRUE(std::getline(lines, row)) << *t;
  std::istringstream(row) >> pid >> comm;
  EXPECT_EQ(pid, "1") << *t;
  EXPECT_FALSE(std::getline(lines, row)) << "only pid 1 was asked for: " << *t;
}

}  // namespace
}  // namespace ocirun
