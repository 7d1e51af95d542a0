#include "runtime/hyperv/vm_config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

#include "base/file.h"
#include "runtime/platform.h"

namespace ocirun::hyperv {
namespace {

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

std::string FindInPath(const std::string& name) {
  std::stringstream path(EnvOr("PATH", "/usr/local/bin:/usr/bin:/bin"));
  std::string dir;
  while (std::getline(path, dir, ':')) {
    std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

std::string Dirname(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

base::Status NeedFile(const std::string& path, const std::string& what, const std::string& remedy) {
  if (platform::PathExists(path)) return base::Status::Ok();
  return base::FailedPrecondition(what + " " + path + " is missing (" + remedy + ")");
}

std::string Stamp(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "";
  return path + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

// QEMU's option syntax: a comma inside a value is written twice.
std::string QemuEscape(const std::string& value) {
  std::string out;
  for (char c : value) {
    out.push_back(c);
    if (c == ',') out.push_back(',');
  }
  return out;
}

}  // namespace

base::Result<VmPaths> LocateVm() {
  VmPaths p;
  p.qemu = FindInPath("qemu-system-x86_64");
  if (p.qemu.empty())
    return base::FailedPrecondition("qemu-system-x86_64 not found in PATH (apt-get install qemu-system-x86)");
  p.cache = EnvOr("OCIRUN_HYPERV_CACHE", "/var/cache/ocirun/hyperv");
  p.kernel = p.cache + "/vmlinux";
  p.modules_cpio = p.cache + "/modules.cpio";
  const std::string setup = "run scripts/hyperv-setup.sh";
  RETURN_IF_ERROR(NeedFile(p.kernel, "guest kernel", setup));
  RETURN_IF_ERROR(NeedFile(p.modules_cpio, "guest kernel modules", setup));
  std::string self_dir = ".";
  if (auto self = platform::SelfExecutable(); self.ok()) self_dir = Dirname(*self);
  p.guest_cpio = EnvOr("OCIRUN_HYPERV_GUEST", self_dir + "/ocirun-guest.cpio");
  RETURN_IF_ERROR(NeedFile(p.guest_cpio, "guest agent archive", "built with ocirun: target ocirun_guest_cpio"));
  return p;
}

base::Result<std::string> PrepareInitrd(const VmPaths& paths) {
  size_t key = std::hash<std::string>{}(Stamp(paths.guest_cpio) + "|" + Stamp(paths.modules_cpio));
  char name[40];
  std::snprintf(name, sizeof name, "initrd-%016zx.cpio", key);
  std::string out = paths.cache + "/" + name;
  if (platform::PathExists(out)) return out;
  ASSIGN_OR_RETURN_CTX(std::string guest, base::ReadFile(paths.guest_cpio), "read guest agent archive");
  ASSIGN_OR_RETURN_CTX(std::string modules, base::ReadFile(paths.modules_cpio), "read guest modules");
  RETURN_IF_ERROR_CTX(base::WriteFileAtomic(out, guest + modules, 0644), "write " + out);
  return out;
}

std::vector<std::string> QemuArgs(const VmSpec& s) {
  std::string append = "quiet loglevel=0 panic=-1 tsc=reliable";
  if (s.tsc_khz) {
    append = "tsc_early_khz=" + std::to_string(s.tsc_khz) + " lpj=" + std::to_string(s.tsc_khz * 1000 / 250) +
             " " + append;
  }
  return {s.qemu,
          "-M", "microvm",
          "-accel", s.kvm ? "kvm" : "tcg",
          "-m", std::to_string(s.memory_mb),
          "-smp", std::to_string(s.cpus),
          "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
          "-kernel", s.kernel,
          "-initrd", s.initrd,
          "-append", append,
          "-serial", "none",
          "-device", "virtio-serial-device",
          "-chardev", "socket,id=agent,fd=" + std::to_string(s.agent_fd),
          "-device", "virtserialport,chardev=agent,name=agent",
          "-fsdev", "local,id=fs0,path=" + QemuEscape(s.rootfs) + ",security_model=none,readonly=on",
          "-device", "virtio-9p-device,fsdev=fs0,mount_tag=rootfs"};
}

uint64_t HostTscKhz() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("cpu MHz", 0) != 0) continue;
    size_t colon = line.find(':');
    if (colon == std::string::npos) return 0;
    return static_cast<uint64_t>(std::atof(line.c_str() + colon + 1) * 1000.0);
  }
  return 0;
}

}  // namespace ocirun::hyperv
