#include "bench/bundle.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "base/file.h"
#include "base/subprocess.h"

namespace ocicert::bench {
namespace {

base::Status MakeDirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return base::ErrnoError("mkdir " + path, ec.value());
  return base::Status::Ok();
}

nlohmann::json Mount(const char* dest, const char* type, const char* source, std::vector<std::string> opts) {
  return {{"destination", dest}, {"type", type}, {"source", source}, {"options", opts}};
}

}  // namespace

base::Status MakeRootfs(const std::string& dir, const std::string& busybox) {
  for (const char* sub : {"bin", "etc", "proc", "sys", "dev", "tmp", "root", "run"})
    RETURN_IF_ERROR(MakeDirs(dir + "/" + sub));
  ASSIGN_OR_RETURN_CTX(std::string binary, base::ReadFile(busybox), "busybox-static is needed for the rootfs");
  RETURN_IF_ERROR(base::WriteFile(dir + "/bin/busybox", binary, 0755));
  base::SubprocessOptions o;
  o.argv = {busybox, "--list"};
  ASSIGN_OR_RETURN_CTX(base::SubprocessResult list, base::RunSubprocess(o), "list busybox applets");
  size_t start = 0;
  while (start < list.out.size()) {
    size_t end = list.out.find('\n', start);
    if (end == std::string::npos) end = list.out.size();
    std::string applet = list.out.substr(start, end - start);
    start = end + 1;
    if (applet.empty() || applet == "busybox" || applet.find('/') != std::string::npos) continue;
    std::string link = dir + "/bin/" + applet;
    std::error_code ec;
    std::filesystem::create_symlink("busybox", link, ec);
    if (ec && ec != std::errc::file_exists) return base::ErrnoError("symlink " + link, ec.value());
  }
  RETURN_IF_ERROR(base::WriteFile(dir + "/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"));
  return base::WriteFile(dir + "/etc/group", "root:x:0:\n");
}

std::string BenchConfigJson(const std::string& rootfs, const std::vector<std::string>& args) {
  std::vector<std::string> caps = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
  nlohmann::json c;
  c["ociVersion"] = "1.0.2";
  c["process"] = {{"terminal", false},
                  {"user", {{"uid", 0}, {"gid", 0}}},
                  {"args", args},
                  {"env", {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"}},
                  {"cwd", "/"},
                  {"capabilities", {{"bounding", caps}, {"effective", caps}, {"permitted", caps}}},
                  {"noNewPrivileges", true}};
  c["root"] = {{"path", rootfs}, {"readonly", true}};
  c["hostname"] = "oct-bench";
  c["mounts"] = {Mount("/proc", "proc", "proc", {}),
                 Mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
                 Mount("/dev/pts", "devpts", "devpts",
                       {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}),
                 Mount("/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}),
                 Mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"})};
  c["linux"] = {
      {"namespaces", {{{"type", "pid"}}, {{"type", "network"}}, {{"type", "ipc"}}, {{"type", "uts"}},
                      {{"type", "mount"}}}},
      {"maskedPaths", {"/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug",
                       "/sys/firmware", "/proc/scsi"}},
      {"readonlyPaths", {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"}}};
  return c.dump(2) + "\n";
}

base::Status WriteBenchConfig(const std::string& bundle_dir, const std::string& rootfs,
                              const std::vector<std::string>& args) {
  RETURN_IF_ERROR(MakeDirs(bundle_dir));
  return base::WriteFile(bundle_dir + "/config.json", BenchConfigJson(rootfs, args));
}

base::Status SharedBundles::Make(const std::string& busybox) {
  RETURN_IF_ERROR_CTX(MakeRootfs(dir_ + "/rootfs", busybox), "build the benchmark rootfs");
  RETURN_IF_ERROR(WriteBenchConfig(dir_ + "/sleep", dir_ + "/rootfs", {"sleep", "3600"}));
  return WriteBenchConfig(dir_ + "/true", dir_ + "/rootfs", {"/bin/true"});
}

base::Result<std::string> SharedBundles::Prepare(const std::string& id, Program program) {
  return dir_ + (program == Program::kSleep ? "/sleep" : "/true");
}

}  // namespace ocicert::bench
