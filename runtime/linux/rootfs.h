// The container's filesystem, built by the init inside its new mount namespace:
//   PrepareRootfs: propagation of "/", the rootfs bind-mounted onto itself, every config mount
//                  (resolved inside the rootfs, safe_path.h), default /dev nodes and symlinks.
//   EnterRootfs:   pivot_root (or chroot with --no-pivot).
//   FinishRootfs:  rootfsPropagation, masked and readonly paths, sysctls, a read-only root.
// A config without a mount namespace shares the host's (or the caller's): then "/" and the rootfs
// keep their propagation, the rootfs is not bind-mounted onto itself, the config's mounts are made
// under the rootfs in that namespace (UnmountUnder removes them at delete) and the init chroots
// (create refuses what would change "/": rootfsPropagation, masked/readonly paths, root.readonly).
#pragma once

#include <string>

#include "base/status.h"
#include "specs/spec.h"

namespace ocirun::linux {

struct RootfsContext {
  std::string rootfs;  // absolute host path
  std::string bundle;  // relative bind sources are relative to it
  bool user_namespace = false;  // a new user namespace: devices are bind-mounted, not mknod'ed
  bool mount_namespace = true;  // false: the container shares the mount namespace ocirun runs in
};

base::Status PrepareRootfs(const ocispec::Spec& spec, const RootfsContext& ctx);
base::Status EnterRootfs(const RootfsContext& ctx, bool no_pivot);
// chdir + chroot into `root` (a container without a mount namespace, its init and exec'd processes).
base::Status ChrootInto(const std::string& root);
// Lazily unmounts every mount point strictly under `root` in this mount namespace, deepest first
// (never `root` itself). For delete of a container that had no mount namespace of its own.
base::Status UnmountUnder(const std::string& root);
base::Status FinishRootfs(const ocispec::Spec& spec);

}  // namespace ocirun::linux
