// The runtime under test: a runtime binary (ocirun, runc, crun, runhcs, any runc-compatible one) as
// `ocicert conform` and `ocicert bench` both see it: its name in results, its path, its version and
// its profile (the small, explicit quirks of its command line, so that no case branches on a name).
#pragma once

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"

namespace harness {

struct Profile {
  std::string name = "generic";
  // The newest runtime-spec version the runtime accepts, for runtimes without `features`: the default
  // target version and the ociVersion of bundles. crun 1.8.1 rejects above 1.1.x.
  std::string oci_version = "1.0.2";
  std::string root_flag = "--root";        // global state-root flag
  std::set<std::string> isolations = {"process"};
  // Linux hyperv isolation (ocirun): the annotation that asks for a utility VM. Empty: no hyperv.
  std::string hyperv_annotation;
  bool windows = false;                    // runs Windows containers (runhcs; ocirun on Windows)
  // Windows containers take seconds to create and start (minutes for a utility VM): every command
  // gets at least this long, and case deadlines and status waits are multiplied by timeout_scale.
  std::chrono::milliseconds min_command_timeout{0};
  int timeout_scale = 1;
};

// The profile for a runtime, chosen by the basename of its binary ("runc", "crun", "ocirun",
// "runhcs"), else by its name; "generic" otherwise. The profiles are a table (runtime.cc); ocirun's
// container OS is the host's (host::WindowsContainers()).
Profile ProfileFor(const std::string& name, const std::string& path);

struct RuntimeUnderTest {
  std::string name;     // as given: the NAME of NAME=PATH, or the binary's basename
  std::string path;     // absolute
  std::string version;  // first line of `PATH --version` ("" when it failed)
  Profile profile;
  std::string spec_version;  // conform: the run's target spec version; "" until resolved
  std::string spec_source;   // where it came from: "--spec-version", "features ociVersionMax …", "profile …"
  std::string sha256;        // of the binary, computed only when a waiver pins one; "" otherwise
};

// Parses one --runtime value: "NAME=PATH", "PATH" (with a '/') or a bare name looked up in PATH, and
// asks the binary for its version. kInvalidArgument for an empty or unusable NAME or PATH,
// kNotFound when the binary is missing or not executable; the message names the flag.
base::Result<RuntimeUnderTest> ParseRuntime(const std::string& arg);

// A runtime known by name and path (defaults found by the caller): profile and version filled in.
RuntimeUnderTest MakeRuntime(const std::string& name, const std::string& path);

// Checks that names are unique (they key results); kInvalidArgument naming the duplicate.
base::Status CheckUniqueNames(const std::vector<RuntimeUnderTest>& runtimes);

// The basename of a binary without ".exe".
std::string Basename(const std::string& path);

}  // namespace harness
