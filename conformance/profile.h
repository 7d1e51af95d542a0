// Runtime profiles: the small, explicit quirks of a runtime's command line, so that cases never
// branch on a runtime's name. A runtime without a known profile gets "generic" (the runc CLI).
#pragma once

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"

namespace conform {

struct Profile {
  std::string name = "generic";
  // The newest runtime-spec version the runtime accepts, for runtimes without `features`: the default
  // target version and the ociVersion of bundles (spec_versions.h). crun 1.8.1 rejects above 1.1.x.
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
// "runhcs"), else by its name; "generic" otherwise.
Profile ProfileFor(const std::string& name, const std::string& path);

// A runtime under test.
struct RuntimeUnderTest {
  std::string name;     // as given: the NAME of NAME=PATH, or the binary's basename
  std::string path;     // absolute
  std::string version;  // first line of `PATH --version` ("" when it failed)
  Profile profile;
  std::string spec_version;  // the run's target spec version (spec_versions.h); "" until resolved
  std::string spec_source;
  std::string sha256;        // of the binary, computed only when a waiver pins one; "" otherwise   // where it came from: "--spec-version", "features ociVersionMax …", "profile …"
};

// Parses one --runtime value: "NAME=PATH", "PATH" (with a '/') or a bare name looked up in PATH.
// kInvalidArgument for an empty name, kNotFound when the binary is missing or not executable.
base::Result<RuntimeUnderTest> ResolveRuntime(const std::string& arg);

// Checks that names are unique (they key results); kInvalidArgument naming the duplicate.
base::Status CheckUniqueNames(const std::vector<RuntimeUnderTest>& runtimes);

}  // namespace conform
