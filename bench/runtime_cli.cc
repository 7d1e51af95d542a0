#include "bench/runtime_cli.h"

#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/file.h"
#include "harness/runtime_command.h"

namespace ocicert::bench {
namespace {

constexpr std::chrono::seconds kCallTimeout{60};

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  size_t start = s.find_first_not_of(" \n");
  return start == std::string::npos ? "" : s.substr(start);
}

std::string Tail(const std::string& s, size_t n) { return s.size() <= n ? s : "..." + s.substr(s.size() - n); }

}  // namespace

std::string ExplainRuntimeError(const std::string& runtime, const std::string& stderr_text) {
  std::string text = Trim(stderr_text);
  if (text.find("hybrid mode not supported") != std::string::npos) {
    return runtime + " refuses this host's cgroup v1/v2 hybrid layout (\"" + text +
           "\"). crun 1.8 needs a v1 hierarchy it can use first: "
           "mkdir -p /sys/fs/cgroup/hugetlb && mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb";
  }
  if (text.find("unknown version specified") != std::string::npos || text.find("ociVersion") != std::string::npos)
    return runtime + " rejects the bundle's ociVersion: " + text;
  return Tail(text, 600);
}

RuntimeCli::RuntimeCli(harness::RuntimeUnderTest rt, std::string root, std::string io_dir)
    : rt_(std::move(rt)), root_(std::move(root)), io_dir_(std::move(io_dir)) {}

base::Result<CallCost> RuntimeCli::Call(std::vector<std::string> args, bool detached, const std::string& id) const {
  harness::RuntimeCommand cmd;
  cmd.root = root_;
  cmd.args = std::move(args);
  cmd.timeout = kCallTimeout;
  std::string err_file;
  if (detached) {
    err_file = io_dir_ + "/" + id + ".err";
    std::error_code ec;
    std::filesystem::remove(err_file, ec);
    cmd.stdout_file = io_dir_ + "/" + id + ".out";
    cmd.stderr_file = err_file;
  }
  auto t0 = std::chrono::steady_clock::now();
  auto r = harness::RunRuntime(rt_, cmd);
  auto wall = std::chrono::steady_clock::now() - t0;
  std::string what = rt_.name + " " + cmd.args[0] + (id.empty() ? "" : " " + id);
  if (!r.ok()) return r.status().Wrap(what);
  if (r->timed_out) return base::Timeout(what + ": no answer after " + std::to_string(kCallTimeout.count()) + "s");
  if (!r->success()) {
    std::string err = r->err;
    if (detached) err = base::ReadFile(err_file).value_or("");
    return base::Internal(what + ": exit status " + std::to_string(r->shell_status()) + ": " +
                          ExplainRuntimeError(rt_.name, err.empty() ? r->out : err));
  }
  CallCost cost;
  cost.wall = std::chrono::duration_cast<std::chrono::nanoseconds>(wall);
  cost.peak_rss_kb = r->max_rss_kb;
  cost.out = std::move(r->out);
  return cost;
}

base::Result<CallCost> RuntimeCli::Create(const std::string& id, const std::string& bundle) const {
  return Call({"create", "--bundle", bundle, id}, true, id);
}
base::Result<CallCost> RuntimeCli::Start(const std::string& id) const { return Call({"start", id}, false, id); }
base::Result<CallCost> RuntimeCli::State(const std::string& id) const { return Call({"state", id}, false, id); }
base::Result<CallCost> RuntimeCli::Kill(const std::string& id, const std::string& signal) const {
  return Call({"kill", id, signal}, false, id);
}
base::Result<CallCost> RuntimeCli::Delete(const std::string& id, bool force) const {
  if (force) return Call({"delete", "--force", id}, false, id);
  return Call({"delete", id}, false, id);
}
base::Result<CallCost> RuntimeCli::Pause(const std::string& id) const { return Call({"pause", id}, false, id); }
base::Result<CallCost> RuntimeCli::Resume(const std::string& id) const { return Call({"resume", id}, false, id); }
base::Result<CallCost> RuntimeCli::Ps(const std::string& id) const {
  return Call({"ps", "--format", "json", id}, false, id);
}
base::Result<CallCost> RuntimeCli::Run(const std::string& id, const std::string& bundle) const {
  return Call({"run", "--bundle", bundle, id}, false, id);
}

base::Result<CallCost> RuntimeCli::Exec(const std::string& id, const std::vector<std::string>& args,
                                        bool detach) const {
  std::vector<std::string> argv = {"exec"};
  if (detach) argv.push_back("--detach");
  argv.push_back(id);
  argv.insert(argv.end(), args.begin(), args.end());
  return Call(argv, detach, id);
}

base::Result<std::string> RuntimeCli::Status(const std::string& id) const {
  ASSIGN_OR_RETURN(CallCost c, State(id));
  try {
    return nlohmann::json::parse(c.out).at("status").get<std::string>();
  } catch (const nlohmann::json::exception& e) {
    return base::Internal(rt_.name + " state " + id + ": unreadable output: " + e.what());
  }
}

base::Result<int> RuntimeCli::Pid(const std::string& id) const {
  ASSIGN_OR_RETURN(CallCost c, State(id));
  try {
    return nlohmann::json::parse(c.out).at("pid").get<int>();
  } catch (const nlohmann::json::exception& e) {
    return base::Internal(rt_.name + " state " + id + ": unreadable output: " + e.what());
  }
}

base::Status RuntimeCli::WaitStopped(const std::string& id, std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    ASSIGN_OR_RETURN(std::string status, Status(id));
    if (status == "stopped") return base::Status::Ok();
    if (std::chrono::steady_clock::now() > deadline)
      return base::Timeout(rt_.name + " " + id + " still " + status + " after kill");
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace ocicert::bench
