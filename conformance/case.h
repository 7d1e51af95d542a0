// A conformance case and the context it runs in. A case is a function of a CaseContext: it builds
// bundles, drives the runtime through ctx.rt(), and records failed checks. Everything a case creates
// (containers, folders) is registered with the context and removed afterwards, pass or fail.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "conformance/driver.h"

namespace conform {

// Shared by every case of a run; read-only while cases run.
struct CaseEnv {
  std::string rootfs;       // busybox + /bin/probe, shared read-only by all bundles (Linux containers)
  std::vector<std::string> windows_layers;  // image layer folders, top-most first (Windows containers)
  std::string work_dir;     // the run's scratch root
  std::string isolation = "process";  // process | hyperv
  std::string run_tag;      // short unique tag for container ids and cgroup paths
  bool keep = false;        // keep case folders (debugging)
  int soak_lifecycles = 1000;  // soak suite: sequential lifecycles per runtime (--soak-lifecycles)
  int soak_parallel = 64;      // soak suite: concurrent lifecycles per runtime (--soak-parallel)
};

// A container-to-be: its id, bundle folder, and config.json (edited by the case, then written).
struct Container {
  std::string id;
  std::string bundle;      // absolute
  std::string oct_dir;     // host folder bind-mounted at /oct inside (logs, marks); C:\oct on Windows
  nlohmann::json config;
  std::string CgroupsPath() const { return config["linux"].value("cgroupsPath", ""); }
};

class CaseContext {
 public:
  CaseContext(const CaseEnv& env, const RuntimeUnderTest& rt, std::string scratch,
              std::chrono::steady_clock::time_point deadline);
  ~CaseContext();  // runs Cleanup()

  Driver& rt() { return driver_; }
  const CaseEnv& env() const { return env_; }
  const RuntimeUnderTest& runtime() const { return rt_; }
  const Profile& profile() const { return rt_.profile; }
  // The ociVersion bundles carry: the run's target spec version for this runtime (spec_versions.h).
  const std::string& oci_version() const {
    return rt_.spec_version.empty() ? rt_.profile.oci_version : rt_.spec_version;
  }
  const std::string& scratch() const { return scratch_; }
  // The runtime runs Windows containers (its profile says so): bundles are Windows bundles.
  bool windows() const { return rt_.profile.windows; }

  // A new container with the default config. Linux: busybox rootfs read-only, /oct bound, the usual
  // namespaces, mounts, masked/readonly paths, cgroupsPath "/<id>". Windows: the image's layers and a
  // fresh scratch layer, C:\oct mapped (windows_image.h). Either way the process marks "program" and
  // sleeps an hour. `tag` makes the id readable.
  Container NewContainer(const std::string& tag);
  // Writes <bundle>/config.json.
  void WriteConfig(const Container& c);
  // Registers an id for cleanup (containers created under another name than NewContainer's).
  void Track(const std::string& id);

  // Checks: a failed Check is recorded and the case goes on; Require also ends the case.
  bool Check(bool ok, const std::string& what);
  void Require(bool ok, const std::string& what);
  [[noreturn]] void Fail(const std::string& what);
  [[noreturn]] void Skip(const std::string& reason);
  const std::vector<std::string>& failures() const { return failures_; }
  // A figure for the result's message when the case passes (soak throughput, leak counts).
  void Note(const std::string& what);
  const std::vector<std::string>& notes() const { return notes_; }

  // Kill and force-delete every tracked container, then remove what the runtime left: cgroups of ids
  // this run generated (never another id, whatever the runtime accepted), mounts under scratch, the
  // scratch folder (one filesystem, no symlinks followed). Returns what it found that the runtime
  // should have removed, and containers still listed under the case's --root: leaks, which fail the
  // case (runner.cc). The first call does the work; later calls return nothing.
  std::vector<std::string> Cleanup();
  // Whether an invocation of this case timed out (the case is then an error, and counts toward the
  // runtime's hang detection).
  bool timed_out() const { return driver_.timed_out(); }

 private:
  const CaseEnv& env_;
  const RuntimeUnderTest& rt_;
  std::string scratch_;
  Driver driver_;
  std::mutex mu_;  // containers and failures may be added from several threads (stress)
  std::vector<std::string> ids_;
  std::vector<std::string> failures_;
  std::vector<std::string> notes_;
  bool cleaned_ = false;
  std::vector<std::string> ListedLeftovers(const InvokeOptions& quiet);
  int counter_ = 0;
};

// Whether `id` is a container id this run generated ("oct-conform-<run_tag>-" then letters, digits
// and '-'; one path component, at most 128 characters). Cleanup removes cgroups, and the state-root
// sweep deletes containers, of such ids only: a runtime may accept "..", ".", "/" or list anything.
bool IsRunContainerId(const std::string& id, const std::string& run_tag);

struct Case {
  std::string id;     // "<suite>.<name>"
  std::string suite;
  std::string title;
  std::vector<std::string> requirements;
  std::function<void(CaseContext&)> run;
  std::chrono::seconds timeout{30};
  bool exclusive = false;     // runs alone (stress)
  bool opt_in = false;        // runs only when its suite or ID is named (security, soak): not by default
  bool host_side = false;     // inspects the host view (namespaces, cgroups): process isolation only
  // The container OS the case is written for: "linux" (the probe, kernel facts), "windows" (HCS
  // behaviour), or "any" (the runc/runhcs command line only). Other runtimes skip it, with the reason.
  std::string os = "linux";
  // The runtime-spec versions whose rule the case tests (spec_versions.h): from spec_min up to, not
  // including, spec_before ("" is unbounded). A run whose target version lies outside skips the case.
  std::string spec_min = "1.0.0";
  std::string spec_before;
};

// Every case of every suite, in report order.
const std::vector<Case>& AllCases();

// Suite registration (one per suite_*.cc).
void AddLifecycleCases(std::vector<Case>& out);
void AddOperationsCases(std::vector<Case>& out);
void AddProcessCases(std::vector<Case>& out);
void AddHooksCases(std::vector<Case>& out);
void AddConfigCases(std::vector<Case>& out);
void AddConfigMustCases(std::vector<Case>& out);  // suite "config": the MUSTs the audit found untested
void AddStressCases(std::vector<Case>& out);
void AddWindowsCases(std::vector<Case>& out);
void AddSecurityCases(std::vector<Case>& out);
void AddSoakCases(std::vector<Case>& out);

// The container OS a suite is written for.
enum class ContainerOs { kAny, kLinux, kWindows };

// A suite: its name (`--suite`), the container OS its cases need, and the function adding its cases.
struct Suite {
  const char* name;
  ContainerOs os;
  void (*add)(std::vector<Case>& out);
};

// The suites this build runs, in report order, registered by the platform file CMake chooses
// (suites_posix.cc: every suite; suites_win32.cc: those that need no Linux probe).
const std::vector<Suite>& PlatformSuites();

// The suite names, in report order (from PlatformSuites()).
const std::vector<std::string>& SuiteNames();

// Whether this build has the suites for Linux containers (a Windows build has not: their waivers
// cannot be checked against cases there).
bool BuildsLinuxContainerSuites();

}  // namespace conform
