#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "base/file.h"
#include "conformance/case.h"
#include "harness/host.h"
#include "harness/windows_image.h"
#include "specs/default_config.h"

namespace conform {
namespace {

using Json = nlohmann::json;

// The harness's Linux container: the default config (specs/default_config.h) running the probe,
// which marks "program" and sleeps, in the shared rootfs; /oct bound to the case's folder; no cgroup
// namespace (cases look at cgroups from the host); cgroupsPath "/<id>".
Json LinuxContainerConfig(const std::string& oci_version, const std::string& rootfs, const std::string& oct_dir,
                          const std::string& id) {
  Json c = ocispec::DefaultLinuxConfig();
  c["ociVersion"] = oci_version;
  c["process"]["terminal"] = false;
  c["process"]["args"] = {"/bin/probe", "mark", "/oct/marks.log", "program", "--sleep", "3600"};
  c["process"]["env"].push_back("OCT_CONFORM=1");
  c["root"]["path"] = rootfs;
  c["hostname"] = "oct-conform";
  c["mounts"].push_back({{"destination", "/oct"}, {"type", "bind"}, {"source", oct_dir}, {"options", {"rbind", "rw"}}});
  ocispec::RemoveNamespace(c, "cgroup");
  c["linux"]["cgroupsPath"] = "/" + id;
  return c;
}

std::string Sanitize(const std::string& tag) {
  std::string out;
  for (char c : tag) out += (isalnum(static_cast<unsigned char>(c)) || c == '-') ? c : '-';
  return out;
}

// The case's own --root, inside its scratch folder: a case's containers are invisible to every other
// case, and a runtime that removes the parent of its root (crun 1.8.1 on `delete --force ..`) removes
// only <scratch>/state.
std::string CaseStateRoot(const std::string& scratch) {
  std::string root = host::NativePath(scratch + "/state/root");
  std::error_code ec;
  std::filesystem::create_directories(root, ec);
  return root;
}

}  // namespace

bool IsRunContainerId(const std::string& id, const std::string& run_tag) {
  std::string prefix = "oct-conform-" + run_tag + "-";
  if (run_tag.empty() || id.size() <= prefix.size() || id.size() > 128 || id.compare(0, prefix.size(), prefix) != 0)
    return false;
  for (char c : id)
    if (!isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  return true;
}

CaseContext::CaseContext(const CaseEnv& env, const RuntimeUnderTest& rt, std::string scratch,
                         std::chrono::steady_clock::time_point deadline)
    : env_(env), rt_(rt), scratch_(std::move(scratch)), driver_(rt, CaseStateRoot(scratch_), scratch_, deadline) {}

CaseContext::~CaseContext() { Cleanup(); }

Container CaseContext::NewContainer(const std::string& tag) {
  Container c;
  int n;
  {
    std::lock_guard<std::mutex> lock(mu_);
    n = ++counter_;
    ids_.push_back(fmt::format("oct-conform-{}-{}-{}-{}", env_.run_tag, Sanitize(rt_.name), Sanitize(tag), n));
    c.id = ids_.back();
  }
  c.bundle = host::NativePath(fmt::format("{}/bundle-{}", scratch_, n));
  c.oct_dir = host::NativePath(fmt::format("{}/oct-{}", scratch_, n));
  std::filesystem::create_directories(c.bundle);
  std::filesystem::create_directories(c.oct_dir);
  std::filesystem::permissions(c.oct_dir, std::filesystem::perms::all);
  if (windows()) {
    std::string layer = host::NativePath(fmt::format("{}/scratch-{}", scratch_, n));
    base::Status st = harness::CreateScratchLayer(layer, env_.windows_layers);
    if (!st.ok()) throw CaseAbort{CaseAbort::kError, "create scratch layer " + layer + ": " + st.ToString()};
    std::vector<std::string> folders = env_.windows_layers;
    folders.push_back(layer);
    c.config = harness::WindowsContainerConfig(oci_version(), folders, c.oct_dir, env_.isolation == "hyperv");
    return c;
  }
  c.config = LinuxContainerConfig(oci_version(), env_.rootfs, c.oct_dir, c.id);
  if (env_.isolation == "hyperv" && !profile().hyperv_annotation.empty())
    c.config["annotations"][profile().hyperv_annotation] = "hyperv";
  return c;
}

void CaseContext::WriteConfig(const Container& c) {
  base::Status st = base::WriteFile(c.bundle + "/config.json", c.config.dump(2));
  if (!st.ok()) throw CaseAbort{CaseAbort::kError, "write config.json: " + st.ToString()};
}

void CaseContext::Track(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  ids_.push_back(id);
}

bool CaseContext::Check(bool ok, const std::string& what) {
  if (ok) return true;
  std::lock_guard<std::mutex> lock(mu_);
  failures_.push_back(what);
  return false;
}

void CaseContext::Note(const std::string& what) {
  std::lock_guard<std::mutex> lock(mu_);
  notes_.push_back(what);
}

void CaseContext::Require(bool ok, const std::string& what) {
  if (!ok) Fail(what);
}

void CaseContext::Fail(const std::string& what) {
  Check(false, what);
  throw CaseAbort{CaseAbort::kFail, what};
}

void CaseContext::Skip(const std::string& reason) { throw CaseAbort{CaseAbort::kSkip, reason}; }

std::vector<std::string> CaseContext::Cleanup() {
  std::vector<std::string> leaks;
  if (cleaned_) return leaks;
  cleaned_ = true;
  InvokeOptions quiet;
  quiet.record = false;
  // A runtime that already hung in this case gets a short while per cleanup call.
  quiet.timeout = driver_.timed_out() ? std::chrono::seconds(2) : std::chrono::seconds(10);
  for (const std::string& id : ids_) {
    driver_.Run({"kill", id, "KILL"}, quiet);
    driver_.Run({"delete", "--force", id}, quiet);
  }
  if (!ids_.empty()) leaks = ListedLeftovers(quiet);
  std::vector<std::string> ours;
  for (const std::string& id : ids_)
    if (IsRunContainerId(id, env_.run_tag) && std::find(ours.begin(), ours.end(), id) == ours.end())
      ours.push_back(id);
  for (std::string& leak : host::RemoveLeftovers(ours, scratch_)) leaks.push_back(std::move(leak));
  if (!env_.keep) {
    // On Windows a file still open in a process that is being terminated (a shim holding the create
    // call's output file) cannot be removed yet: retry for a few seconds.
    for (int attempt = 0; attempt < 30 && !host::RemoveTree(scratch_); ++attempt)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return leaks;
}

std::vector<std::string> CaseContext::ListedLeftovers(const InvokeOptions& quiet) {
  std::vector<std::string> leaks;
  const Call& list = driver_.Run({"list", "-q"}, quiet);
  if (!list.ok()) return leaks;
  std::istringstream ids(list.inv.stdout_text);
  for (std::string id; std::getline(ids, id);) {
    if (id.empty()) continue;
    if (id.size() > 80) id = id.substr(0, 80) + "...";
    leaks.push_back(IsRunContainerId(id, env_.run_tag)
                        ? "container " + id + " still listed after delete --force"
                        : "list shows a container this case did not create: \"" + id + "\" (left alone)");
  }
  return leaks;
}

}  // namespace conform
