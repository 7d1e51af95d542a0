#include "runtime/tests/it_util.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

namespace ocirun::it {

namespace fs = std::filesystem;

std::vector<RuntimeBinary> RuntimesUnderTest(const std::string& tmp) {
  std::vector<RuntimeBinary> out = {{"ocirun", OCIRUN_BINARY, tmp + "/root-ocirun"}};
  for (const char* candidate : {"/usr/sbin/runc", "/usr/bin/runc"}) {
    if (::access(candidate, X_OK) == 0) {
      out.push_back({"runc", candidate, tmp + "/root-runc"});
      break;
    }
  }
  return out;
}

std::string PrivilegedSkipReason() {
  if (::geteuid() != 0) return "needs root (namespaces, mounts, cgroups)";
  if (::access("/proc/self/ns/pid", F_OK) != 0) return "kernel without namespaces";
  if (::access("/bin/busybox", X_OK) != 0) return "busybox-static missing (/bin/busybox)";
  return "";
}

std::string MakeTempDir(const std::string& prefix) {
  std::string templ = "/tmp/" + prefix + "XXXXXX";
  char* made = ::mkdtemp(templ.data());
  if (made == nullptr) std::abort();
  ::chmod(made, 0755);
  return made;
}

void RemoveTree(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
}

const std::string& SharedRootfs() {
  static std::once_flag once;
  static std::string rootfs;
  std::call_once(once, [] {
    std::string dir = MakeTempDir("oct-rt-rootfs-");
    rootfs = dir + "/rootfs";
    base::SubprocessOptions o;
    o.argv = {std::string(OCICERT_SOURCE_DIR) + "/scripts/make-rootfs.sh", rootfs};
    auto r = base::RunSubprocess(o);
    if (!r.ok() || !r->success()) {
      std::fprintf(stderr, "make-rootfs.sh failed: %s\n", r.ok() ? r->err.c_str() : r.status().ToString().c_str());
      std::abort();
    }
    std::atexit([] { RemoveTree(fs::path(rootfs).parent_path().string()); });
  });
  return rootfs;
}

nlohmann::json BaseConfig(const std::string& id, const std::vector<std::string>& args) {
  return {
      {"ociVersion", "1.0.2"},
      {"process",
       {{"terminal", false},
        {"user", {{"uid", 0}, {"gid", 0}}},
        {"args", args},
        {"env", {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"}},
        {"cwd", "/"},
        {"noNewPrivileges", true}}},
      {"root", {{"path", SharedRootfs()}, {"readonly", true}}},
      {"hostname", "oct-rt"},
      {"mounts",
       {{{"destination", "/proc"}, {"type", "proc"}, {"source", "proc"}},
        {{"destination", "/dev"}, {"type", "tmpfs"}, {"source", "tmpfs"},
         {"options", {"nosuid", "strictatime", "mode=755", "size=65536k"}}},
        {{"destination", "/dev/pts"}, {"type", "devpts"}, {"source", "devpts"},
         {"options", {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"}}},
        {{"destination", "/dev/shm"}, {"type", "tmpfs"}, {"source", "shm"},
         {"options", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}}},
        {{"destination", "/dev/mqueue"}, {"type", "mqueue"}, {"source", "mqueue"},
         {"options", {"nosuid", "noexec", "nodev"}}},
        {{"destination", "/sys"}, {"type", "sysfs"}, {"source", "sysfs"},
         {"options", {"nosuid", "noexec", "nodev", "ro"}}},
        {{"destination", "/tmp"}, {"type", "tmpfs"}, {"source", "tmpfs"}, {"options", {"nosuid", "nodev"}}}}},
      {"linux",
       {{"cgroupsPath", "/oct-rt-" + id},
        {"namespaces", {{{"type", "pid"}}, {{"type", "network"}}, {{"type", "ipc"}}, {{"type", "uts"}},
                        {{"type", "mount"}}}},
        {"maskedPaths", {"/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware"}},
        {"readonlyPaths", {"/proc/sys", "/proc/sysrq-trigger"}}}},
  };
}

std::string WriteBundle(const std::string& dir, const nlohmann::json& config) {
  fs::create_directories(dir);
  std::ofstream(dir + "/config.json") << config.dump(2);
  return dir;
}

base::SubprocessResult Rt(const RuntimeBinary& rt, const std::vector<std::string>& args,
                          std::optional<std::string> stdin_data, int timeout_s) {
  // stdout/stderr go to files, not pipes: a container keeps the runtime's stdio open after create
  // returns, and a pipe would make us wait for the container instead of the runtime.
  static std::atomic<int> counter{0};
  std::string base_name = "/tmp/oct-rt-io-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
  base::SubprocessOptions o;
  o.argv = {rt.binary, "--root", rt.root};
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  o.stdin_data = std::move(stdin_data);
  o.timeout = std::chrono::seconds(timeout_s);
  o.capture_stdout = o.capture_stderr = false;
  o.stdout_file = base_name + ".out";
  o.stderr_file = base_name + ".err";
  auto r = base::RunSubprocess(o);
  base::SubprocessResult result;
  if (r.ok()) {
    result = *r;
  } else {
    result.err = r.status().ToString();
  }
  result.out = Slurp(o.stdout_file);
  result.err += Slurp(o.stderr_file);
  ::unlink(o.stdout_file.c_str());
  ::unlink(o.stderr_file.c_str());
  return result;
}

nlohmann::json StateOf(const RuntimeBinary& rt, const std::string& id) {
  auto r = Rt(rt, {"state", id});
  if (!r.success()) return nullptr;
  return nlohmann::json::parse(r.out, nullptr, false);
}

bool WaitStatus(const RuntimeBinary& rt, const std::string& id, const std::string& status, int timeout_ms) {
  for (int waited = 0; waited < timeout_ms; waited += 20) {
    nlohmann::json s = StateOf(rt, id);
    if (status.empty() ? s.is_null() : (s.is_object() && s.value("status", "") == status)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

bool CgroupExists(const std::string& name) {
  for (const char* h : {"memory", "pids", "cpu", "freezer", "devices", "unified", "systemd"}) {
    if (fs::exists(fs::path("/sys/fs/cgroup") / h / name)) return true;
  }
  return fs::exists(fs::path("/sys/fs/cgroup") / name / "cgroup.procs");
}

void RemoveCgroupEverywhere(const std::string& name) {
  std::error_code ec;
  std::vector<fs::path> dirs;
  for (const auto& h : fs::directory_iterator("/sys/fs/cgroup", ec)) {
    if (fs::is_directory(h.path() / name)) dirs.push_back(h.path() / name);
  }
  for (const auto& d : dirs) {
    std::stringstream procs(Slurp((d / "cgroup.procs").string()));
    for (pid_t pid; procs >> pid;) ::kill(pid, SIGKILL);
  }
  for (int i = 0; i < 100; ++i) {
    bool left = false;
    for (const auto& d : dirs) left |= ::rmdir(d.c_str()) != 0 && errno != ENOENT;
    if (!left) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

bool Alive(pid_t pid) {
  std::string stat = Slurp("/proc/" + std::to_string(pid) + "/stat");
  if (stat.empty()) return false;
  size_t close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z';
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void RuntimeFixture::SetUp() {
  std::string reason = PrivilegedSkipReason();
  if (!reason.empty()) GTEST_SKIP() << reason;
  tmp_ = MakeTempDir("oct-rt-test-");
  auto all = RuntimesUnderTest(tmp_);
  if (static_cast<size_t>(GetParam()) >= all.size()) GTEST_SKIP() << "runc is not installed";
  rt_ = all[GetParam()];
  SharedRootfs();
}

void RuntimeFixture::TearDown() {
  for (const auto& id : ids_) Rt(rt_, {"delete", "--force", id});
  if (!tmp_.empty()) RemoveTree(tmp_);
}

std::string RuntimeFixture::Id(const std::string& what) {
  std::string id = "oct-rt-" + rt_.name + "-" + what + "-" + std::to_string(::getpid());
  ids_.push_back(id);
  return id;
}

std::string RuntimeParamName(const ::testing::TestParamInfo<int>& info) {
  return info.param == 0 ? "ocirun" : "runc";
}

}  // namespace ocirun::it
