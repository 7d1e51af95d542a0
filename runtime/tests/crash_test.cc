// Privileged, slow-ish: crash injection. `ocirun create`, `start`, `exec -d` and `delete --force` are
// SIGKILLed at delays swept over the time the operation takes. After each kill `state` must tell the
// truth (never "stopped" or "does not exist" while a process of the container lives on), and one
// `delete --force` must remove everything: the processes (found by the container's cgroup and by a
// marker in the environment every `ocirun init` inherits), the cgroup in every hierarchy, mounts
// under the test folders, and every entry of the state root (state folder, `.new-*`, `.del-*`).
//
// OCIRUN_CRASH_BINARY runs the trials against another ocirun build (to count an old build's
// leftovers); OCIRUN_CRASH_TRIALS scales the number of trials (default 240 kill points).
#include <dirent.h>
#include <signal.h>
#include <sys/mount.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "runtime/tests/it_util.h"

extern char** environ;

namespace ocirun::it {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kMarkVar = "OCIRUN_CRASH_MARK";

enum class Op { kCreate, kStart, kExec, kDelete };

const char* OpName(Op op) {
  switch (op) {
    case Op::kCreate: return "create";
    case Op::kStart: return "start";
    case Op::kExec: return "exec";
    case Op::kDelete: return "delete";
  }
  return "?";
}

// What one trial left behind after its `delete --force`.
struct Leftovers {
  int processes = 0;
  int cgroups = 0;
  int mounts = 0;
  int state_entries = 0;
  int untruthful_states = 0;  // `state` said stopped / does not exist while a process lived on
  int failed_deletes = 0;     // `delete --force` exited non-zero
  int total() const { return processes + cgroups + mounts + state_entries + untruthful_states + failed_deletes; }
  void Add(const Leftovers& o) {
    processes += o.processes;
    cgroups += o.cgroups;
    mounts += o.mounts;
    state_entries += o.state_entries;
    untruthful_states += o.untruthful_states;
    failed_deletes += o.failed_deletes;
  }
  std::string ToString() const {
    std::ostringstream s;
    s << "processes " << processes << ", cgroup folders " << cgroups << ", mounts " << mounts
      << ", state root entries " << state_entries << ", untruthful states " << untruthful_states
      << ", failed deletes " << failed_deletes;
    return s.str();
  }
};

std::vector<std::string> Environ() {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  return env;
}

// The test process's own cgroup paths (every hierarchy): ocirun resolves a relative or absent
// cgroupsPath against the caller's cgroup, and the caller is this test.
std::set<std::string> OwnCgroupPaths() {
  std::set<std::string> paths = {"/"};
  std::istringstream in(Slurp("/proc/self/cgroup"));
  for (std::string line; std::getline(in, line);) {
    size_t colon = line.find(':', line.find(':') + 1);
    if (colon != std::string::npos) paths.insert(line.substr(colon + 1));
  }
  return paths;
}

class CrashInjection : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string why = PrivilegedSkipReason(); !why.empty()) GTEST_SKIP() << why;
    if (!fs::exists("/sys/fs/cgroup/cgroup.procs") && !fs::exists("/sys/fs/cgroup/pids") &&
        !fs::exists("/sys/fs/cgroup/memory")) {
      GTEST_SKIP() << "no cgroup hierarchy mounted under /sys/fs/cgroup";
    }
    const char* bin = std::getenv("OCIRUN_CRASH_BINARY");
    tmp_ = MakeTempDir("oct-crash-");
    rt_ = {"ocirun", bin != nullptr && *bin != '\0' ? bin : OCIRUN_BINARY, tmp_ + "/root"};
    rootfs_ = SharedRootfs();
    for (const auto& entry : fs::directory_iterator("/sys/fs/cgroup")) {
      if (entry.is_directory() && !entry.is_symlink()) hierarchies_.push_back(entry.path().string());
    }
    hierarchies_.push_back("/sys/fs/cgroup");
    own_cgroups_ = OwnCgroupPaths();
    baseline_mounts_ = MountsUnderTest();
  }

  void TearDown() override {
    if (!tmp_.empty()) RemoveTree(tmp_);
  }

  std::string Mark(const std::string& id) const { return tmp_ + ":" + id; }

  // Starts the runtime with the marker in its environment (the init stages inherit it).
  std::unique_ptr<base::Subprocess> Spawn(const std::string& id, const std::vector<std::string>& args) {
    base::SubprocessOptions o;
    o.argv = {rt_.binary, "--root", rt_.root};
    o.argv.insert(o.argv.end(), args.begin(), args.end());
    o.env = Environ();
    o.env->push_back(std::string(kMarkVar) + "=" + Mark(id));
    o.capture_stdout = o.capture_stderr = false;
    o.stdout_file = tmp_ + "/io.out";
    o.stderr_file = tmp_ + "/io.err";
    o.timeout = std::chrono::seconds(60);
    auto p = base::Subprocess::Start(o);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? std::move(*p) : nullptr;
  }

  // Runs to completion; true on exit 0.
  bool RunToEnd(const std::string& id, const std::vector<std::string>& args) {
    auto p = Spawn(id, args);
    if (!p) return false;
    auto r = p->Wait();
    return r.ok() && r->success();
  }

  // Runs and SIGKILLs the runtime process alone (not its group: its helpers must cope) after `delay`.
  void RunAndKill(const std::string& id, const std::vector<std::string>& args, std::chrono::microseconds delay) {
    auto p = Spawn(id, args);
    if (!p) return;
    std::this_thread::sleep_for(delay);
    ::kill(p->pid(), SIGKILL);
    (void)p->Wait();
  }

  // Processes of container `id`: in its cgroup, or carrying its marker (the init stages).
  std::vector<pid_t> ProcessesOf(const std::string& id) const {
    std::vector<pid_t> found;
    const std::string mark = std::string(kMarkVar) + "=" + Mark(id);
    const std::string leaf1 = "/" + id, leaf2 = "/oct-rt-" + id;
    DIR* d = ::opendir("/proc");
    if (d == nullptr) return found;
    while (dirent* e = ::readdir(d)) {
      pid_t pid = std::atoi(e->d_name);
      if (pid <= 0 || pid == ::getpid() || !Alive(pid)) continue;
      std::string proc = "/proc/" + std::to_string(pid);
      std::string env = Slurp(proc + "/environ");
      bool ours = env.find(mark + '\0') != std::string::npos;
      std::istringstream cg(Slurp(proc + "/cgroup"));
      for (std::string line; !ours && std::getline(cg, line);) {
        auto ends = [&](const std::string& s) {
          return line.size() >= s.size() && line.compare(line.size() - s.size(), s.size(), s) == 0;
        };
        ours = ends(leaf1) || ends(leaf2) || line.find(leaf1 + "/") != std::string::npos;
      }
      if (ours) found.push_back(pid);
    }
    ::closedir(d);
    return found;
  }

  // Waits up to `ms` for the processes to go by themselves; returns those still alive.
  std::vector<pid_t> Survivors(const std::string& id, int ms) const {
    auto deadline = Clock::now() + std::chrono::milliseconds(ms);
    for (;;) {
      auto left = ProcessesOf(id);
      if (left.empty() || Clock::now() >= deadline) return left;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  // Cgroup folders of `id` in any hierarchy (absolute cgroupsPath /oct-rt-<id>, or <own>/<id>).
  int CgroupFolders(const std::string& id) const {
    int n = 0;
    for (const auto& h : hierarchies_) {
      for (const auto& own : own_cgroups_) {
        for (const std::string& name : {id, "oct-rt-" + id}) {
          std::error_code ec;
          if (fs::is_directory(fs::path(h + own) / name, ec)) ++n;
        }
      }
    }
    return n;
  }

  std::multiset<std::string> MountsUnderTest() const {
    std::multiset<std::string> out;
    std::istringstream in(Slurp("/proc/self/mountinfo"));
    const std::string rootfs_dir = fs::path(rootfs_).parent_path().string();
    for (std::string line; std::getline(in, line);) {
      std::istringstream fields(line);
      std::string a, b, c, d, mount_point;
      fields >> a >> b >> c >> d >> mount_point;
      if (mount_point.rfind(tmp_, 0) == 0 || mount_point.rfind(rootfs_dir, 0) == 0) out.insert(mount_point);
    }
    return out;
  }

  int NewMounts() const {
    auto now = MountsUnderTest();
    int n = 0;
    for (const auto& m : now) n += static_cast<int>(now.count(m) > baseline_mounts_.count(m));
    return n;
  }

  int StateRootEntries() const {
    int n = 0;
    std::error_code ec;
    for (auto it = fs::directory_iterator(rt_.root, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) ++n;
    return n;
  }

  // Brings container `id` to where `op` can be killed, kills it there, then checks and cleans up.
  Leftovers Trial(Op op, const std::string& id, const std::string& bundle, std::chrono::microseconds delay) {
    bool ready = true;
    if (op != Op::kCreate) ready = RunToEnd(id, {"create", "-b", bundle, id});
    if (ready && (op == Op::kExec || op == Op::kDelete)) ready = RunToEnd(id, {"start", id});
    EXPECT_TRUE(ready) << "could not prepare " << OpName(op) << " trial " << id;
    switch (op) {
      case Op::kCreate: RunAndKill(id, {"create", "-b", bundle, id}, delay); break;
      case Op::kStart: RunAndKill(id, {"start", id}, delay); break;
      case Op::kExec: RunAndKill(id, {"exec", "-d", id, "sleep", "999"}, delay); break;
      case Op::kDelete: RunAndKill(id, {"delete", "--force", id}, delay); break;
    }
    return CheckAndClean(op, id, delay);
  }

  Leftovers CheckAndClean(Op op, const std::string& id, std::chrono::microseconds delay) {
    Leftovers left;
    const std::string where = std::string(OpName(op)) + " killed after " + std::to_string(delay.count()) + " us, " + id;
    nlohmann::json state = StateOf(rt_, id);
    std::string status = state.is_object() ? state.value("status", "?") : "(does not exist)";
    if (status == "stopped" || status == "(does not exist)") {
      // Init stages whose parent died exit by themselves (end of file on the init socket); what
      // still lives a second later is a container process that `state` ignores.
      if (auto alive = Survivors(id, 1000); !alive.empty()) {
        ++left.untruthful_states;
        ADD_FAILURE() << where << ": state says " << status << " while pid " << alive[0] << " lives";
      }
    }
    auto del = Rt(rt_, {"delete", "--force", id});
    if (!del.success()) {
      ++left.failed_deletes;
      ADD_FAILURE() << where << ": delete --force failed: " << del.err;
    }
    left.processes = static_cast<int>(Survivors(id, 500).size());
    left.cgroups = CgroupFolders(id);
    left.mounts = NewMounts();
    left.state_entries = StateRootEntries();
    if (left.processes + left.cgroups + left.mounts + left.state_entries > 0) {
      ADD_FAILURE() << where << " (state said " << status << "): left " << left.ToString();
      Scrub(id);
    }
    return left;
  }

  // Removes what a failed trial left, so that the next trial starts clean.
  void Scrub(const std::string& id) {
    for (pid_t pid : ProcessesOf(id)) ::kill(pid, SIGKILL);
    Survivors(id, 1000);
    for (const auto& own : own_cgroups_) {
      for (const std::string& name : {id, "oct-rt-" + id}) {
        std::string rel = (own == "/" ? "" : own.substr(1) + "/") + name;
        RemoveCgroupEverywhere(rel);
      }
    }
    for (const auto& m : MountsUnderTest()) {
      if (baseline_mounts_.count(m) == 0) ::umount2(m.c_str(), MNT_DETACH);
    }
    std::error_code ec;
    for (auto it = fs::directory_iterator(rt_.root, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
      fs::remove_all(it->path(), ec);
    }
  }

  // How long `op` takes when nobody kills it (the upper end of the kill delays).
  std::chrono::microseconds Calibrate(Op op, const std::string& bundle) {
    const std::string id = "cal-" + std::string(OpName(op));
    bool ok = true;
    if (op != Op::kCreate) ok = RunToEnd(id, {"create", "-b", bundle, id});
    if (ok && (op == Op::kExec || op == Op::kDelete)) ok = RunToEnd(id, {"start", id});
    auto t0 = Clock::now();
    switch (op) {
      case Op::kCreate: ok = ok && RunToEnd(id, {"create", "-b", bundle, id}); break;
      case Op::kStart: ok = ok && RunToEnd(id, {"start", id}); break;
      case Op::kExec: ok = ok && RunToEnd(id, {"exec", "-d", id, "sleep", "999"}); break;
      case Op::kDelete: ok = ok && RunToEnd(id, {"delete", "--force", id}); break;
    }
    auto took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0);
    EXPECT_TRUE(ok) << "calibration of " << OpName(op) << " failed";
    Rt(rt_, {"delete", "--force", id});
    Scrub(id);
    return took;
  }

  std::string tmp_, rootfs_;
  RuntimeBinary rt_;
  std::vector<std::string> hierarchies_;
  std::set<std::string> own_cgroups_;
  std::multiset<std::string> baseline_mounts_;
};

TEST_F(CrashInjection, KilledOperationsLeaveNothingAfterOneForceDelete) {
  int scale = 240;
  if (const char* s = std::getenv("OCIRUN_CRASH_TRIALS")) scale = std::max(4, std::atoi(s));
  // Most kill points go to create (the longest path and the one with the most to undo).
  const std::vector<std::pair<Op, int>> plan = {
      {Op::kCreate, scale * 5 / 8}, {Op::kStart, scale / 8}, {Op::kExec, scale / 8}, {Op::kDelete, scale / 8}};
  std::mt19937 rng(20261207);
  Leftovers total;
  int trials = 0;
  auto t0 = Clock::now();
  for (const auto& [op, count] : plan) {
    // Half the containers have an absolute cgroupsPath, half the default one (<own cgroup>/<id>).
    nlohmann::json with_path = BaseConfig("x", {"sleep", "999"});
    nlohmann::json without_path = with_path;
    without_path["linux"].erase("cgroupsPath");
    std::chrono::microseconds span = Calibrate(op, WriteBundle(tmp_ + "/cal-bundle", without_path)) * 5 / 4;
    Leftovers per_op;
    for (int i = 0; i < count; ++i) {
      std::string id = std::string("k") + OpName(op) + "-" + std::to_string(i);
      nlohmann::json config = i % 2 == 0 ? without_path : with_path;
      if (i % 2 == 1) config["linux"]["cgroupsPath"] = "/oct-rt-" + id;
      std::string bundle = WriteBundle(tmp_ + "/b-" + id, config);
      // Swept evenly over the span, each point jittered within its slot.
      auto slot = span / count;
      auto delay = slot * i + std::chrono::microseconds(rng() % std::max<int64_t>(1, slot.count()));
      per_op.Add(Trial(op, id, bundle, delay));
      RemoveTree(bundle);
      ++trials;
    }
    std::printf("[crash] %-6s %3d kill points over 0-%lld us: %s\n", OpName(op), count,
                static_cast<long long>(span.count()), per_op.ToString().c_str());
    total.Add(per_op);
  }
  auto secs = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count() / 1000.0;
  std::printf("[crash] %d kill points in %.1f s, runtime %s: %s\n", trials, secs, rt_.binary.c_str(),
              total.ToString().c_str());
  EXPECT_EQ(total.total(), 0) << total.ToString();
}

// Limits that used to fail obscurely: an id of 255 characters (runc and crun accept it; temp names
// once embedded it and overflowed NAME_MAX), and a root.path that is a regular file.
TEST_F(CrashInjection, LongestIdLivesAndDiesAndAFileAsRootfsIsNamed) {
  const std::string id(255, 'L');
  nlohmann::json config = BaseConfig("x", {"sleep", "999"});
  config["linux"].erase("cgroupsPath");  // the default <own cgroup>/<id>: the id is the folder name
  std::string bundle = WriteBundle(tmp_ + "/long", config);
  auto create = Rt(rt_, {"create", "-b", bundle, id});
  ASSERT_TRUE(create.success()) << create.err;
  nlohmann::json state = StateOf(rt_, id);
  ASSERT_TRUE(state.is_object());
  EXPECT_EQ(state["status"], "created");
  EXPECT_GT(CgroupFolders(id), 0);
  EXPECT_TRUE(Rt(rt_, {"delete", "--force", id}).success());
  EXPECT_EQ(CgroupFolders(id), 0);
  EXPECT_EQ(StateRootEntries(), 0);

  std::ofstream(tmp_ + "/long/plainfile") << "not a folder";
  config["root"]["path"] = tmp_ + "/long/plainfile";
  WriteBundle(tmp_ + "/long", config);
  auto file_root = Rt(rt_, {"create", "-b", bundle, "filerootfs"});
  EXPECT_FALSE(file_root.success());
  EXPECT_NE(file_root.err.find("root.path: rootfs (" + tmp_ + "/long/plainfile) is not a directory"), std::string::npos)
      << file_root.err;
  EXPECT_EQ(StateRootEntries(), 0);
  EXPECT_EQ(CgroupFolders("filerootfs"), 0);
}

}  // namespace
}  // namespace ocirun::it
