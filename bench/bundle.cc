#include "bench/bundle.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "base/file.h"
#include "base/subprocess.h"
#include "specs/default_config.h"

namespace ocicert::bench {
namespace {

base::Status MakeDirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return base::ErrnoError("mkdir " + path, ec.value());
  return base::Status::Ok();
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
  nlohmann::json c = ocispec::DefaultLinuxConfig();
  c["process"]["terminal"] = false;
  c["process"]["args"] = args;
  c["root"]["path"] = rootfs;
  c["hostname"] = "oct-bench";
  ocispec::RemoveNamespace(c, "cgroup");  // as conform's containers: cgroups are looked at from the host
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
