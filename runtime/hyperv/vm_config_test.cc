#include "runtime/hyperv/vm_config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

namespace ocirun::hyperv {
namespace {

std::string After(const std::vector<std::string>& argv, const std::string& flag, int nth = 0) {
  for (size_t i = 0; i + 1 < argv.size(); ++i)
    if (argv[i] == flag && nth-- == 0) return argv[i + 1];
  return "";
}

TEST(VmConfig, MicrovmWithTheAgentPortAndTheRootfsShare) {
  VmSpec s;
  s.qemu = "/usr/bin/qemu-system-x86_64";
  s.kernel = "/c/vmlinux";
  s.initrd = "/c/initrd.cpio";
  s.rootfs = "/b/root,fs";
  s.agent_fd = 5;
  s.tsc_khz = 2445404;
  auto argv = QemuArgs(s);
  EXPECT_EQ(argv[0], s.qemu);
  EXPECT_EQ(After(argv, "-M"), "microvm");
  EXPECT_EQ(After(argv, "-accel"), "tcg");
  EXPECT_EQ(After(argv, "-kernel"), "/c/vmlinux");
  EXPECT_EQ(After(argv, "-chardev"), "socket,id=agent,fd=5");
  EXPECT_EQ(After(argv, "-device", 1), "virtserialport,chardev=agent,name=agent");
  // A comma in a path is doubled, or QEMU would read the rest as another option.
  EXPECT_EQ(After(argv, "-fsdev"), "local,id=fs0,path=/b/root,,fs,security_model=none,readonly=on");
  std::string append = After(argv, "-append");
  EXPECT_NE(append.find("tsc_early_khz=2445404"), std::string::npos) << append;
  EXPECT_NE(append.find("lpj=9781616"), std::string::npos) << append;
  s.kvm = true;
  EXPECT_EQ(After(QemuArgs(s), "-accel"), "kvm");
}

TEST(VmConfig, MissingPiecesAreNamed) {
  ::setenv("OCIRUN_HYPERV_CACHE", "/nonexistent/ocirun-cache", 1);
  auto r = LocateVm();
  ::unsetenv("OCIRUN_HYPERV_CACHE");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::Code::kFailedPrecondition);
  // Either QEMU is missing on this host, or the kernel in the cache we pointed at is.
  const std::string m = r.status().message();
  EXPECT_TRUE(m.find("qemu-system-x86_64") != std::string::npos ||
              m.find("/nonexistent/ocirun-cache/vmlinux") != std::string::npos) << m;
}

TEST(VmConfig, HostTscIsPlausibleWhenKnown) {
  uint64_t khz = HostTscKhz();
  if (khz == 0) GTEST_SKIP() << "no cpu MHz in /proc/cpuinfo on this host";
  EXPECT_GT(khz, 100000u);
  EXPECT_LT(khz, 10000000u);
}

}  // namespace
}  // namespace ocirun::hyperv
