#include "runtime/linux/rootfs.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "base/file.h"
#include "base/unique_fd.h"
#include "runtime/linux/mount_options.h"
#include "runtime/linux/safe_path.h"

namespace ocirun::linux {
namespace {

base::Status Mount(const std::string& src, const std::string& dst, const char* type, unsigned long flags,
                   const std::string& data, const std::string& what) {
  if (::mount(src.empty() ? nullptr : src.c_str(), dst.c_str(), type, flags,
              data.empty() ? nullptr : data.c_str()) != 0) {
    return base::ErrnoError(what);
  }
  return base::Status::Ok();
}

// The flags a bind remount must keep: locked ones (nosuid, nodev, noexec in a user namespace) make
// MS_REMOUNT fail with EPERM when dropped.
unsigned long LockedFlags(const std::string& path) {
  struct statvfs st{};
  if (::statvfs(path.c_str(), &st) != 0) return 0;
  unsigned long f = 0;
  if (st.f_flag & ST_NOSUID) f |= MS_NOSUID;
  if (st.f_flag & ST_NODEV) f |= MS_NODEV;
  if (st.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
  if (st.f_flag & ST_NOATIME) f |= MS_NOATIME;
  if (st.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
  if (st.f_flag & ST_RELATIME) f |= MS_RELATIME;
  return f;
}

base::Status BindRemount(const std::string& path, unsigned long flags, const std::string& what) {
  unsigned long base_flags = MS_REMOUNT | MS_BIND | (flags & ~(MS_BIND | MS_REC | MS_REMOUNT));
  if (::mount(nullptr, path.c_str(), nullptr, base_flags, nullptr) == 0) return base::Status::Ok();
  if (errno != EPERM) return base::ErrnoError(what);
  return Mount("", path, nullptr, base_flags | LockedFlags(path), "", what);
}

std::string Resolve(const std::string& source, const std::string& bundle) {
  if (source.empty() || source[0] == '/') return source;
  return bundle + "/" + source;
}

base::Status MountCgroupV1(int root_fd, const std::string& dest, unsigned long flags);

base::Status MountOne(int root_fd, const ocispec::Mount& m, const RootfsContext& ctx) {
  MountOptions o = ParseMountOptions(m.options);
  std::string type = m.type.value_or("");
  if (type == "bind") o.bind = true;
  const std::string what = "mount " + m.destination + " (" + (type.empty() ? "bind" : type) + ")";
  if (type == "cgroup") return MountCgroupV1(root_fd, m.destination, o.flags);
  std::string source = o.bind ? Resolve(m.source.value_or(""), ctx.bundle) : m.source.value_or(type);
  bool file_target = false;
  if (o.bind) {
    struct stat st{};
    if (::stat(source.c_str(), &st) != 0) return base::ErrnoError(what + ": source " + source);
    file_target = !S_ISDIR(st.st_mode);
  }
  ASSIGN_OR_RETURN_CTX(base::UniqueFd target, MakeInRoot(root_fd, m.destination, file_target), what);
  if (o.bind) {
    RETURN_IF_ERROR(Mount(source, FdPath(target.get()), nullptr, MS_BIND | (o.recursive ? MS_REC : 0), "", what));
  } else {
    unsigned long flags = o.flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
    RETURN_IF_ERROR(Mount(source, FdPath(target.get()), type.c_str(), flags, o.data, what));
  }
  // Re-resolve: the fd above is the covered folder, not the new mount.
  ASSIGN_OR_RETURN_CTX(base::UniqueFd mounted, OpenInRoot(root_fd, m.destination), what);
  if (o.bind && (o.flags & ~(MS_BIND | MS_REC)) != 0) {
    RETURN_IF_ERROR(BindRemount(FdPath(mounted.get()), o.flags, what + ": remount"));
  }
  for (unsigned long p : o.propagations) {
    RETURN_IF_ERROR(Mount("", FdPath(mounted.get()), nullptr, p, "", what + ": propagation"));
  }
  return base::Status::Ok();
}

// A "cgroup" mount: a tmpfs with the container's cgroup of each hierarchy bind-mounted in it
// (v1 and hybrid), or cgroup2 on a pure v2 host. Read-only unless the options say rw.
base::Status MountCgroupV1(int root_fd, const std::string& dest, unsigned long flags) {
  const std::string what = "mount " + dest + " (cgroup)";
  ASSIGN_OR_RETURN_CTX(base::UniqueFd target, MakeInRoot(root_fd, dest, false), what);
  struct stat unified{};
  bool pure_v2 = ::stat("/sys/fs/cgroup/cgroup.controllers", &unified) == 0;
  if (pure_v2) {
    return Mount("cgroup", FdPath(target.get()), "cgroup2", flags | MS_NOSUID | MS_NODEV | MS_NOEXEC, "", what);
  }
  RETURN_IF_ERROR(Mount("tmpfs", FdPath(target.get()), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755", what));
  ASSIGN_OR_RETURN(std::string self, base::ReadFile("/proc/self/cgroup"));
  size_t pos = 0;
  while (pos < self.size()) {
    size_t eol = self.find('\n', pos);
    if (eol == std::string::npos) eol = self.size();
    std::string line = self.substr(pos, eol - pos);
    pos = eol + 1;
    size_t c1 = line.find(':'), c2 = line.find(':', c1 + 1);
    if (c1 == std::string::npos || c2 == std::string::npos) continue;
    std::string ctrl = line.substr(c1 + 1, c2 - c1 - 1), path = line.substr(c2 + 1);
    if (ctrl.rfind("name=", 0) == 0) ctrl = ctrl.substr(5);
    std::string host = "/sys/fs/cgroup/" + (ctrl.empty() ? std::string("unified") : ctrl) + path;
    struct stat st{};
    if (::stat(host.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    std::string sub = dest + "/" + (ctrl.empty() ? std::string("unified") : ctrl);
    ASSIGN_OR_RETURN_CTX(base::UniqueFd d, MakeInRoot(root_fd, sub, false), what);
    RETURN_IF_ERROR(Mount(host, FdPath(d.get()), nullptr, MS_BIND | MS_REC, "", what + " " + ctrl));
    ASSIGN_OR_RETURN(base::UniqueFd m, OpenInRoot(root_fd, sub));
    RETURN_IF_ERROR(BindRemount(FdPath(m.get()), MS_NOSUID | MS_NODEV | MS_NOEXEC | (flags & MS_RDONLY), what));
  }
  if (flags & MS_RDONLY) {
    ASSIGN_OR_RETURN(base::UniqueFd top, OpenInRoot(root_fd, dest));
    RETURN_IF_ERROR(BindRemount(FdPath(top.get()), MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, what));
  }
  return base::Status::Ok();
}

struct DefaultDevice {
  const char* path;
  unsigned major, minor;
};
constexpr DefaultDevice kDefaultDevices[] = {
    {"/dev/null", 1, 3}, {"/dev/zero", 1, 5},    {"/dev/full", 1, 7},
    {"/dev/random", 1, 8}, {"/dev/urandom", 1, 9}, {"/dev/tty", 5, 0},
};

std::string DirOf(const std::string& p) { return p.substr(0, p.rfind('/')); }
std::string NameOf(const std::string& p) { return p.substr(p.rfind('/') + 1); }

// mknod (or, in a user namespace, bind the host node) at `path` inside the rootfs.
base::Status MakeDevice(int root_fd, const std::string& path, mode_t type, unsigned major, unsigned minor,
                        uint32_t mode, uint32_t uid, uint32_t gid, bool userns) {
  const std::string what = "create device " + path;
  if (userns) {
    ASSIGN_OR_RETURN_CTX(base::UniqueFd f, MakeInRoot(root_fd, path, true), what);
    return Mount(path, FdPath(f.get()), nullptr, MS_BIND, "", what);
  }
  ASSIGN_OR_RETURN_CTX(base::UniqueFd dir, MakeInRoot(root_fd, DirOf(path), false), what);
  std::string name = NameOf(path);
  // config-linux.md#devices: a file already at `path` that is not the requested device is an error.
  // Never replace it: the rootfs may be a bind mount of host files.
  struct stat existing{};
  if (::fstatat(dir.get(), name.c_str(), &existing, AT_SYMLINK_NOFOLLOW) == 0) {
    bool same = (existing.st_mode & S_IFMT) == type && (type == S_IFIFO || existing.st_rdev == makedev(major, minor));
    if (same) return base::Status::Ok();
    return base::AlreadyExists(what + ": a different file already exists at that path");
  }
  if (::mknodat(dir.get(), name.c_str(), type | (mode & 07777), makedev(major, minor)) != 0) {
    return base::ErrnoError(what);
  }
  if (::fchownat(dir.get(), name.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) != 0) return base::ErrnoError("chown " + path);
  // config-linux.md#devices: fileMode is the node's mode, so the umask must not apply (mknod honours
  // it: 0660 became 0640); chmod comes after chown, which may clear set-id bits. runc sets umask 0.
  if (::fchmodat(dir.get(), name.c_str(), mode & 07777, 0) != 0) return base::ErrnoError("chmod " + path);
  return base::Status::Ok();
}

base::Status CreateDevices(int root_fd, const ocispec::Spec& spec, bool userns) {
  const auto* devices = spec.linux ? &spec.linux->devices : nullptr;
  for (const DefaultDevice& d : kDefaultDevices) {
    bool overridden = false;
    if (devices) {
      for (const auto& dev : *devices) overridden = overridden || dev.path == d.path;
    }
    if (!overridden) RETURN_IF_ERROR(MakeDevice(root_fd, d.path, S_IFCHR, d.major, d.minor, 0666, 0, 0, userns));
  }
  if (!devices) return base::Status::Ok();
  for (const auto& dev : *devices) {
    mode_t type = dev.type == "b" ? S_IFBLK : dev.type == "p" ? S_IFIFO : S_IFCHR;
    RETURN_IF_ERROR(MakeDevice(root_fd, dev.path, type, static_cast<unsigned>(dev.major.value_or(0)),
                               static_cast<unsigned>(dev.minor.value_or(0)), dev.file_mode.value_or(0666),
                               dev.uid.value_or(0), dev.gid.value_or(0), userns));
  }
  return base::Status::Ok();
}

base::Status CreateDevSymlinks(int root_fd) {
  ASSIGN_OR_RETURN(base::UniqueFd dev, MakeInRoot(root_fd, "/dev", false));
  const std::pair<const char*, const char*> links[] = {
      {"/proc/self/fd", "fd"},       {"/proc/self/fd/0", "stdin"}, {"/proc/self/fd/1", "stdout"},
      {"/proc/self/fd/2", "stderr"}, {"/proc/kcore", "core"},
  };
  for (const auto& [target, name] : links) {
    if (::symlinkat(target, dev.get(), name) != 0 && errno != EEXIST) return base::ErrnoError(std::string("symlink /dev/") + name);
  }
  struct stat st{};
  if (::fstatat(dev.get(), "pts/ptmx", &st, 0) == 0) {
    ::unlinkat(dev.get(), "ptmx", 0);
    if (::symlinkat("pts/ptmx", dev.get(), "ptmx") != 0) return base::ErrnoError("symlink /dev/ptmx");
  }
  return base::Status::Ok();
}

unsigned long RootPropagation(const ocispec::Spec& spec) {
  std::string p = spec.linux ? spec.linux->rootfs_propagation.value_or("") : "";
  if (p.empty()) return MS_SLAVE | MS_REC;
  MountOptions o = ParseMountOptions({p});
  return o.propagation ? o.propagation : MS_SLAVE | MS_REC;
}

base::Status MountConfig(const ocispec::Spec& spec, const RootfsContext& ctx) {
  base::UniqueFd root_fd(::open(ctx.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root_fd) return base::ErrnoError("open rootfs " + ctx.rootfs);
  for (const ocispec::Mount& m : spec.mounts) RETURN_IF_ERROR(MountOne(root_fd.get(), m, ctx));
  RETURN_IF_ERROR(CreateDevices(root_fd.get(), spec, ctx.user_namespace));
  return CreateDevSymlinks(root_fd.get());
}

}  // namespace

base::Status PrepareRootfs(const ocispec::Spec& spec, const RootfsContext& ctx) {
  if (!ctx.mount_namespace) return MountConfig(spec, ctx);
  unsigned long prop = RootPropagation(spec);
  // "/" becomes slave (or what rootfsPropagation says) so our mounts never reach the host. Shared
  // would make pivot_root fail and unbindable would refuse the rootfs bind below: both start as
  // rslave and get their value in FinishRootfs, after pivot_root.
  unsigned long first = (prop & (MS_SHARED | MS_UNBINDABLE)) ? (MS_SLAVE | MS_REC) : prop;
  RETURN_IF_ERROR(Mount("", "/", nullptr, first, "", "set propagation of /"));
  RETURN_IF_ERROR(Mount(ctx.rootfs, ctx.rootfs, nullptr, MS_BIND | MS_REC, "", "bind rootfs " + ctx.rootfs));
  // The rootfs mount is private, or a slave when rootfsPropagation asks for one: a slave receives
  // the host's mounts but sends none back, and a private mount can never become a slave again.
  bool slave = (prop & MS_SLAVE) && !(prop & (MS_SHARED | MS_UNBINDABLE)) && spec.linux && spec.linux->rootfs_propagation;
  RETURN_IF_ERROR(Mount("", ctx.rootfs, nullptr, slave ? MS_SLAVE : MS_PRIVATE, "", "set propagation of the rootfs"));
  return MountConfig(spec, ctx);
}

base::Status ChrootInto(const std::string& root) {
  if (::chdir(root.c_str()) != 0) return base::ErrnoError("chdir " + root);
  if (::chroot(".") != 0) return base::ErrnoError("chroot " + root);
  if (::chdir("/") != 0) return base::ErrnoError("chdir /");
  return base::Status::Ok();
}

base::Status UnmountUnder(const std::string& root) {
  ASSIGN_OR_RETURN(std::string mountinfo, base::ReadFile("/proc/self/mountinfo"));
  std::vector<std::string> points;
  std::istringstream in(mountinfo);
  std::string line;
  char* real = ::realpath(root.c_str(), nullptr);  // mountinfo has resolved paths
  if (real == nullptr) return errno == ENOENT ? base::Status::Ok() : base::ErrnoError("resolve " + root);
  const std::string prefix = std::string(real) + "/";
  std::free(real);
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, devno, fsroot, point;
    if (!(fields >> id >> parent >> devno >> fsroot >> point)) continue;
    point = UnescapeMountField(point);
    if (point.compare(0, prefix.size(), prefix) == 0) points.push_back(point);
  }
  // Deepest first; a point mounted more than once appears once per mount.
  std::sort(points.begin(), points.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const std::string& p : points) {
    if (::umount2(p.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) != 0 && errno != EINVAL && errno != ENOENT)
      return base::ErrnoError("unmount " + p);
  }
  return base::Status::Ok();
}

base::Status EnterRootfs(const RootfsContext& ctx, bool no_pivot) {
  if (!ctx.mount_namespace) return ChrootInto(ctx.rootfs);
  const std::string& rootfs = ctx.rootfs;
  if (no_pivot) {
    if (::chdir(rootfs.c_str()) != 0) return base::ErrnoError("chdir " + rootfs);
    RETURN_IF_ERROR(Mount(rootfs, "/", nullptr, MS_MOVE, "", "move rootfs to /"));
    if (::chroot(".") != 0) return base::ErrnoError("chroot");
    if (::chdir("/") != 0) return base::ErrnoError("chdir /");
    return base::Status::Ok();
  }
  base::UniqueFd old_root(::open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC));
  base::UniqueFd new_root(::open(rootfs.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC));
  if (!old_root || !new_root) return base::ErrnoError("open rootfs for pivot_root");
  if (::fchdir(new_root.get()) != 0) return base::ErrnoError("chdir rootfs");
  // pivot_root(".", ".") stacks the old root on top of the new one; it is then detached (runc's way,
  // which needs no folder in the rootfs).
  if (::syscall(SYS_pivot_root, ".", ".") != 0) return base::ErrnoError("pivot_root");
  if (::fchdir(old_root.get()) != 0) return base::ErrnoError("chdir old root");
  RETURN_IF_ERROR(Mount("", ".", nullptr, MS_SLAVE | MS_REC, "", "make old root slave"));
  if (::umount2(".", MNT_DETACH) != 0) return base::ErrnoError("unmount old root");
  if (::chdir("/") != 0) return base::ErrnoError("chdir /");
  return base::Status::Ok();
}

namespace {

base::Status MaskPath(const std::string& path) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) return base::Status::Ok();  // nothing to mask
  if (S_ISDIR(st.st_mode)) {
    return Mount("tmpfs", path, "tmpfs", MS_RDONLY, "", "mask " + path + " (linux.maskedPaths)");
  }
  return Mount("/dev/null", path, nullptr, MS_BIND, "", "mask " + path + " (linux.maskedPaths)");
}

base::Status ReadonlyPath(const std::string& path) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) return base::Status::Ok();
  const std::string what = "readonly " + path + " (linux.readonlyPaths)";
  RETURN_IF_ERROR(Mount(path, path, nullptr, MS_BIND | MS_REC, "", what));
  return BindRemount(path, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, what);
}

base::Status WriteSysctls(const ocispec::Spec& spec) {
  if (!spec.linux) return base::Status::Ok();
  for (const auto& [key, value] : spec.linux->sysctl) {
    std::string path = "/proc/sys/" + key;
    for (size_t i = 10; i < path.size(); ++i) {
      if (path[i] == '.') path[i] = '/';
    }
    RETURN_IF_ERROR_CTX(base::WriteFile(path, value), "linux.sysctl " + key);
  }
  return base::Status::Ok();
}

}  // namespace

base::Status FinishRootfs(const ocispec::Spec& spec) {
  if (spec.linux && spec.linux->rootfs_propagation) {
    MountOptions o = ParseMountOptions({*spec.linux->rootfs_propagation});
    if (o.propagation) RETURN_IF_ERROR(Mount("", "/", nullptr, o.propagation, "", "linux.rootfsPropagation"));
  }
  RETURN_IF_ERROR(WriteSysctls(spec));
  if (spec.linux) {
    for (const auto& p : spec.linux->readonly_paths) RETURN_IF_ERROR(ReadonlyPath(p));
    for (const auto& p : spec.linux->masked_paths) RETURN_IF_ERROR(MaskPath(p));
  }
  if (spec.root && spec.root->readonly.value_or(false)) {
    RETURN_IF_ERROR(BindRemount("/", MS_RDONLY, "remount root read-only (root.readonly)"));
  }
  return base::Status::Ok();
}

}  // namespace ocirun::linux
