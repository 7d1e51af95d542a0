// RealCgroupOs: the CgroupOs interface on the live kernel.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <thread>

#include "base/file.h"
#include "base/unique_fd.h"
#include "runtime/linux/cgroup.h"

namespace ocirun::linux {
namespace {

class RealOs final : public CgroupOs {
 public:
  base::Result<std::string> Read(const std::string& path) override { return base::ReadFile(path); }

  base::Status Write(const std::string& path, std::string_view data) override {
    base::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd) return base::ErrnoError("open " + path);
    ssize_t n = ::write(fd.get(), data.data(), data.size());
    if (n < 0) return base::ErrnoError("write \"" + std::string(data) + "\" to " + path);
    if (static_cast<size_t>(n) != data.size()) return base::Internal("short write to " + path);
    return base::Status::Ok();
  }

  bool Exists(const std::string& path) override { return ::access(path.c_str(), F_OK) == 0; }

  base::Status MakeDir(const std::string& path) override {
    if (::mkdir(path.c_str(), 0755) != 0) return base::ErrnoError("mkdir " + path);
    return base::Status::Ok();
  }

  base::Status RemoveDir(const std::string& path) override {
    if (::rmdir(path.c_str()) != 0) return base::ErrnoError("rmdir " + path);
    return base::Status::Ok();
  }

  base::Result<std::vector<std::string>> SubDirs(const std::string& path) override {
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) return base::ErrnoError("opendir " + path);
    std::vector<std::string> out;
    while (struct dirent* e = ::readdir(dir)) {
      std::string name = e->d_name;
      if (name == "." || name == ".." || e->d_type != DT_DIR) continue;
      out.push_back(std::move(name));
    }
    ::closedir(dir);
    return out;
  }

  base::Status Kill(pid_t pid, int signo) override {
    if (::kill(pid, signo) == 0) return base::Status::Ok();
    if (errno == ESRCH) return base::NotFound("kill " + std::to_string(pid) + ": no such process");
    return base::ErrnoError("kill " + std::to_string(pid));
  }

  void Sleep(std::chrono::microseconds d) override { std::this_thread::sleep_for(d); }
};

}  // namespace

CgroupOs& RealCgroupOs() {
  static RealOs os;
  return os;
}

}  // namespace ocirun::linux
