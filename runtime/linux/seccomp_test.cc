// Unit tests of the seccomp compiler: every refusal names its field, and compiled filters behave as
// the profile says when a forked child loads them (no root needed: the child sets no_new_privs).
#include "runtime/linux/seccomp.h"

#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <functional>

namespace ocirun::linux {
namespace {

ocispec::Seccomp Allow() {
  ocispec::Seccomp s;
  s.default_action = "SCMP_ACT_ALLOW";
  return s;
}

ocispec::SeccompSyscall Rule(std::vector<std::string> names, std::string action, std::optional<uint32_t> errno_ret = {}) {
  ocispec::SeccompSyscall c;
  c.names = std::move(names);
  c.action = std::move(action);
  c.errno_ret = errno_ret;
  return c;
}

ocispec::SeccompArg Arg(uint32_t index, uint64_t value, std::string op) {
  ocispec::SeccompArg a;
  a.index = index;
  a.value = value;
  a.op = std::move(op);
  return a;
}

std::string Error(const ocispec::Seccomp& s) {
  auto r = CompileSeccomp(s);
  return r.ok() ? "" : r.status().message();
}

// Runs `body` in a forked child after loading the filter of `profile`; the child's exit status is
// body's return value (0 = every expectation held), 100 when the filter could not be loaded.
int RunFiltered(const ocispec::Seccomp& profile, const std::function<int()>& body) {
  auto filter = CompileSeccomp(profile);
  EXPECT_TRUE(filter.ok()) << filter.status().ToString();
  if (!filter.ok()) return -1;
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || !LoadSeccomp(*filter).ok()) ::_exit(100);
    ::_exit(body());
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(SeccompCompile, RefusalsNameTheField) {
  ocispec::Seccomp s = Allow();
  s.default_action = "SCMP_ACT_FOO";
  EXPECT_EQ(Error(s), "linux.seccomp.defaultAction: unknown action \"SCMP_ACT_FOO\"");

  s = Allow();
  s.architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_VAX"};
  EXPECT_EQ(Error(s), "linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_VAX\"");

  s = Allow();
  s.syscalls = {Rule({"getcwd"}, "SCMP_ACT_ERRNO"), Rule({"mkdir"}, "SCMP_ACT_BOOM")};
  EXPECT_EQ(Error(s), "linux.seccomp.syscalls[1].action: unknown action \"SCMP_ACT_BOOM\"");

  s = Allow();
  s.syscalls = {Rule({"dup"}, "SCMP_ACT_ERRNO")};
  s.syscalls[0].args = {Arg(0, 1, "SCMP_CMP_EQ"), Arg(6, 1, "SCMP_CMP_EQ")};
  EXPECT_EQ(Error(s), "linux.seccomp.syscalls[0].args[1].index: a syscall has 6 arguments (0..5), got 6");

  s.syscalls[0].args = {Arg(0, 1, "SCMP_CMP_SIMILAR")};
  EXPECT_EQ(Error(s), "linux.seccomp.syscalls[0].args[0].op: unknown operator \"SCMP_CMP_SIMILAR\"");

  s = Allow();
  s.flags = {"SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_NEW_LISTENER"};
  EXPECT_EQ(Error(s), "linux.seccomp.flags[1]: unsupported flag \"SECCOMP_FILTER_FLAG_NEW_LISTENER\"");
}

TEST(SeccompCompile, NotifyIsUnimplementedNotIgnored) {
  ocispec::Seccomp s = Allow();
  s.syscalls = {Rule({"mkdir"}, "SCMP_ACT_NOTIFY")};
  auto r = CompileSeccomp(s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::Code::kUnimplemented);
  EXPECT_NE(r.status().message().find("linux.seccomp.syscalls[0].action"), std::string::npos);
}

TEST(SeccompCompile, UnknownSyscallNamesAndDefaultActionRulesAreSkipped) {
  ocispec::Seccomp s = Allow();
  s.architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"};
  s.syscalls = {Rule({"getcwd", "no_such_syscall_in_any_kernel"}, "SCMP_ACT_ERRNO"), Rule({"read"}, "SCMP_ACT_ALLOW")};
  EXPECT_EQ(Error(s), "");
}

TEST(SeccompFilter, ErrnoRetAndDefaultErrno) {
  ocispec::Seccomp s = Allow();
  s.syscalls = {Rule({"getppid"}, "SCMP_ACT_ERRNO", 42), Rule({"getpgrp"}, "SCMP_ACT_ERRNO")};
  int rc = RunFiltered(s, [] {
    errno = 0;
    if (::syscall(SYS_getppid) != -1 || errno != 42) return 1;
    errno = 0;
    if (::syscall(SYS_getpgrp) != -1 || errno != EPERM) return 2;  // runc's default errnoRet
    if (::syscall(SYS_getpid) <= 0) return 3;                        // untouched
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

TEST(SeccompFilter, DefaultErrnoDeniesWhatIsNotAllowed) {
  ocispec::Seccomp s;
  s.default_action = "SCMP_ACT_ERRNO";
  s.default_errno_ret = 38;  // ENOSYS
  // What a child needs to run the check and exit.
  s.syscalls = {Rule({"getpid", "exit", "exit_group", "rt_sigreturn", "write", "brk", "mmap", "munmap"},
                     "SCMP_ACT_ALLOW")};
  int rc = RunFiltered(s, [] {
    if (::syscall(SYS_getpid) <= 0) return 1;
    errno = 0;
    if (::syscall(SYS_getppid) != -1 || errno != ENOSYS) return 2;
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

TEST(SeccompFilter, ArgumentConditions) {
  ocispec::Seccomp s = Allow();
  // dup(fd) refused for fd 100 or 101 (same index twice: OR, as runc), allowed otherwise.
  ocispec::SeccompSyscall dup = Rule({"dup"}, "SCMP_ACT_ERRNO", 77);
  dup.args = {Arg(0, 100, "SCMP_CMP_EQ"), Arg(0, 101, "SCMP_CMP_EQ")};
  // dup2(old, new) refused only when old == 0 AND new >= 200 (distinct indexes: AND).
  ocispec::SeccompSyscall dup2 = Rule({"dup2"}, "SCMP_ACT_ERRNO", 78);
  dup2.args = {Arg(0, 0, "SCMP_CMP_EQ"), Arg(1, 200, "SCMP_CMP_GE")};
  s.syscalls = {dup, dup2};
  int rc = RunFiltered(s, [] {
    errno = 0;
    if (::syscall(SYS_dup, 100) != -1 || errno != 77) return 1;
    errno = 0;
    if (::syscall(SYS_dup, 101) != -1 || errno != 77) return 2;
    errno = 0;
    if (::syscall(SYS_dup, 102) != -1 || errno != EBADF) return 3;  // not open, not filtered
    if (::syscall(SYS_dup, 0) < 0) return 4;
    errno = 0;
    if (::syscall(SYS_dup2, 0, 250) != -1 || errno != 78) return 5;
    if (::syscall(SYS_dup2, 0, 150) != 150) return 6;
    if (::syscall(SYS_dup2, 1, 250) != 250) return 7;
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

TEST(SeccompFeatures, ListsWhatCompileAccepts) {
  for (const std::string& a : SeccompActions()) {
    if (a == "SCMP_ACT_ALLOW") continue;
    ocispec::Seccomp s = Allow();
    s.syscalls = {Rule({"getcwd"}, a)};
    EXPECT_EQ(Error(s), "") << a;
  }
  for (const std::string& arch : SeccompArchitectures()) {
    ocispec::Seccomp s = Allow();
    s.architectures = {arch};
    EXPECT_EQ(Error(s), "") << arch;
  }
  std::vector<std::string> archs = SeccompArchitectures();
  EXPECT_NE(std::find(archs.begin(), archs.end(), "SCMP_ARCH_X86_64"), archs.end());
}

}  // namespace
}  // namespace ocirun::linux
