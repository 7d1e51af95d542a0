// What a utility VM is made of on this host, and QEMU's command line for it (docs/hyperv.md).
//   qemu         qemu-system-x86_64 in PATH (Debian's qemu-system-x86)
//   kernel cache $OCIRUN_HYPERV_CACHE or /var/cache/ocirun/hyperv: vmlinux + modules.cpio, made by
//                scripts/hyperv-setup.sh from Debian's linux-image-amd64
//   guest cpio   ocirun-guest.cpio beside the ocirun executable (built with it: the agent as /init
//                and ocirun itself), or $OCIRUN_HYPERV_GUEST
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace ocirun::hyperv {

struct VmPaths {
  std::string qemu;
  std::string kernel;        // vmlinux (PVH entry: microvm boots it directly)
  std::string modules_cpio;  // virtio, 9p, overlay modules
  std::string guest_cpio;    // agent + ocirun
  std::string cache;
};

// Finds every piece; kFailedPrecondition naming the first one missing and how to get it.
base::Result<VmPaths> LocateVm();

// guest_cpio + modules_cpio concatenated (the kernel unpacks concatenated newc archives), kept in
// the cache under a name keyed by both inputs' size and mtime, so rebuilt builds do not mix.
base::Result<std::string> PrepareInitrd(const VmPaths& paths);

struct VmSpec {
  std::string qemu;
  std::string kernel;
  std::string initrd;
  std::string rootfs;    // shared read-only over virtio-9p, tag "rootfs"
  int agent_fd = 3;      // QEMU's end of the agent socketpair (virtio-serial port "agent")
  int memory_mb = 512;
  int cpus = 1;
  uint64_t tsc_khz = 0;  // 0: not passed (the guest then may not find a clock under TCG)
  bool kvm = false;
};

// The argv (qemu first). Pure: unit-tested.
std::vector<std::string> QemuArgs(const VmSpec& spec);

// The host TSC in kHz, for the guest's tsc_early_khz (mandatory under TCG on microvm: without it the
// guest cannot calibrate against the PIT and never reaches init). From /proc/cpuinfo "cpu MHz"; 0 if
// unknown.
uint64_t HostTscKhz();

}  // namespace ocirun::hyperv
