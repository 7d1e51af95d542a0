#include "conformance/paths.h"

#include <unistd.h>

#include <filesystem>
#include <vector>

namespace conform {
namespace {

std::string ExeDir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "" : exe.parent_path().string();
}

std::string FirstExisting(const std::vector<std::string>& candidates, int mode) {
  for (const std::string& c : candidates)
    if (!c.empty() && ::access(c.c_str(), mode) == 0) return c;
  return candidates.empty() ? "" : candidates.back();
}

}  // namespace

std::string DefaultProbePath() {
  std::string dir = ExeDir();
  return FirstExisting({dir + "/probe", dir + "/../conformance/probe", OCICERT_PROBE_PATH}, X_OK);
}

std::string DefaultMakeRootfs() {
  std::string dir = ExeDir();
  return FirstExisting({dir + "/make-rootfs.sh", dir + "/../scripts/make-rootfs.sh", OCICERT_MAKE_ROOTFS}, R_OK);
}

}  // namespace conform
