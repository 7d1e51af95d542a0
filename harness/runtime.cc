#include "harness/runtime.h"

#include <cctype>

#include "base/subprocess.h"
#include "harness/host.h"
#include "harness/runtime_command.h"

namespace harness {
namespace {

// Which container OS a runtime runs: Linux, Windows, or the host's own (ocirun: Linux backend on
// Linux, HCS on Windows).
enum class ContainerOs { kLinux, kWindows, kHost };

struct KnownRuntime {
  const char* name;
  const char* oci_version;
  ContainerOs os;
};

// runc 1.1 has `features` (ociVersionMax 1.0.2-dev); crun 1.8.1 has none and takes up to 1.1.x. ocirun
// on Linux has no utility-VM backend yet (hyperv cases skip with the reason).
constexpr KnownRuntime kKnownRuntimes[] = {
    {"runc", "1.0.2", ContainerOs::kLinux},
    {"crun", "1.1.0", ContainerOs::kLinux},
    {"ocirun", "1.0.2", ContainerOs::kHost},
    {"runhcs", "1.0.2", ContainerOs::kWindows},
};

// A runtime for Windows containers: runhcs (and ocirun on a Windows host).
void MakeWindows(Profile& p) {
  p.isolations = {"process", "hyperv"};
  p.windows = true;
  p.oci_version = "1.1.0";  // process.commandLine is a 1.1 field
  p.min_command_timeout = std::chrono::seconds(120);
  p.timeout_scale = 6;
}

}  // namespace

std::string Basename(const std::string& path) {
  size_t slash = path.find_last_of("/\\");
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.size() > 4 && base.compare(base.size() - 4, 4, ".exe") == 0) base.resize(base.size() - 4);
  return base;
}

Profile ProfileFor(const std::string& name, const std::string& path) {
  Profile p;
  for (const std::string& key : {Basename(path), name}) {
    for (const KnownRuntime& known : kKnownRuntimes) {
      if (key != known.name) continue;
      p.name = key;
      p.oci_version = known.oci_version;
      if (known.os == ContainerOs::kWindows || (known.os == ContainerOs::kHost && host::WindowsContainers()))
        MakeWindows(p);
      return p;
    }
  }
  return p;
}

RuntimeUnderTest MakeRuntime(const std::string& name, const std::string& path) {
  RuntimeUnderTest rt;
  rt.name = name;
  rt.path = path;
  rt.profile = ProfileFor(name, path);
  rt.version = RuntimeVersion(rt);
  return rt;
}

base::Result<RuntimeUnderTest> ParseRuntime(const std::string& arg) {
  std::string name, path = arg;
  size_t eq = arg.find('=');
  if (eq != std::string::npos) {
    name = arg.substr(0, eq);
    path = arg.substr(eq + 1);
    if (name.empty()) return base::InvalidArgument("--runtime " + arg + ": empty NAME before '='");
  }
  if (path.empty()) return base::InvalidArgument("--runtime " + arg + ": empty PATH");
  auto found = base::FindProgram(path);
  if (!found.ok()) return found.status().Wrap("--runtime " + arg);
  if (name.empty()) name = Basename(path);
  for (char c : name) {
    if (!isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      return base::InvalidArgument("--runtime " + arg + ": NAME may hold only [A-Za-z0-9._-]");
  }
  return MakeRuntime(name, host::Absolute(*found));
}

base::Status CheckUniqueNames(const std::vector<RuntimeUnderTest>& runtimes) {
  for (size_t i = 0; i < runtimes.size(); ++i)
    for (size_t j = i + 1; j < runtimes.size(); ++j)
      if (runtimes[i].name == runtimes[j].name)
        return base::InvalidArgument("--runtime: name \"" + runtimes[i].name +
                                     "\" given twice; use NAME=PATH to tell them apart");
  return base::Status::Ok();
}

}  // namespace harness
