// The benchmark bundle: one busybox rootfs (like scripts/make-rootfs.sh, built from Debian's
// busybox-static) shared read-only by every container, and one config.json per process to run.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "bench/operations.h"

namespace ocicert::bench {

// Builds DIR/rootfs from `busybox` (a static binary): bin/busybox plus one symlink per applet.
base::Status MakeRootfs(const std::string& dir, const std::string& busybox = "/bin/busybox");

// Writes DIR/config.json running `args` in DIR/../rootfs (relative "../rootfs" would escape the
// bundle, so the rootfs path is absolute). The config is the default one (specs/default_config.h,
// `runc spec`'s) without the cgroup namespace, so every runtime does comparable work; ociVersion
// 1.0.2: crun 1.8 rejects 1.3.0.
base::Status WriteBenchConfig(const std::string& bundle_dir, const std::string& rootfs,
                              const std::vector<std::string>& args);

// The config.json text WriteBenchConfig writes (for tests).
std::string BenchConfigJson(const std::string& rootfs, const std::vector<std::string>& args);

// Linux containers: DIR/rootfs, DIR/sleep (sleep 3600) and DIR/true (/bin/true), made once and shared
// by every container; exec runs /bin/true.
class SharedBundles final : public Bundles {
 public:
  explicit SharedBundles(std::string dir) : dir_(std::move(dir)) {}
  // Builds the rootfs from `busybox` and writes both bundles.
  base::Status Make(const std::string& busybox);

  base::Result<std::string> Prepare(const std::string& id, Program program) override;
  void Release(const std::string& id) override {}
  std::vector<std::string> ExecArgs() const override { return {"/bin/true"}; }

 private:
  std::string dir_;
};

}  // namespace ocicert::bench
