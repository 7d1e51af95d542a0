// The container's filesystem, built by the init inside its new mount namespace:
//   PrepareRootfs: propagation of "/", the rootfs bind-mounted onto itself, every config mount
//                  (resolved inside the rootfs, safe_path.h), default /dev nodes and symlinks.
//   EnterRootfs:   pivot_root (or chroot with --no-pivot).
//   FinishRootfs:  rootfsPropagation, masked and readonly paths, sysctls, a read-only root.
#pragma once

#include <string>

#include "base/status.h"
#include "specs/spec.h"

namespace ocirun::linux {

struct RootfsContext {
  std::string rootfs;  // absolute host path
  std::string bundle;  // relative bind sources are relative to it
  bool user_namespace = false;  // a new user namespace: devices are bind-mounted, not mknod'ed
};

base::Status PrepareRootfs(const ocispec::Spec& spec, const RootfsContext& ctx);
base::Status EnterRootfs(const std::string& rootfs, bool no_pivot);
base::Status FinishRootfs(const ocispec::Spec& spec);

}  // namespace ocirun::linux
