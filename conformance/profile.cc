#include "conformance/profile.h"

#include <chrono>

#include "base/subprocess.h"
#include "conformance/host.h"

namespace conform {
namespace {

std::string Basename(const std::string& path) {
  size_t slash = path.find_last_of("/\\");
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.size() > 4 && base.compare(base.size() - 4, 4, ".exe") == 0) base.resize(base.size() - 4);
  return base;
}

// A runtime for Windows containers: runhcs (and ocirun on a Windows host).
void MakeWindows(Profile& p) {
  p.isolations = {"process", "hyperv"};
  p.windows = true;
  p.oci_version = "1.1.0";  // process.commandLine is a 1.1 field
  p.min_command_timeout = std::chrono::seconds(120);
  p.timeout_scale = 6;
}

std::string VersionOf(const std::string& path) {
  base::SubprocessOptions o;
  o.argv = {path, "--version"};
  o.timeout = std::chrono::seconds(5);
  auto r = base::RunSubprocess(o);
  if (!r.ok() || !r->success()) return "";
  std::string out = r->out;
  size_t nl = out.find('\n');
  return nl == std::string::npos ? out : out.substr(0, nl);
}

}  // namespace

Profile ProfileFor(const std::string& name, const std::string& path) {
  Profile p;
  for (const std::string& key : {Basename(path), name}) {
    if (key == "runc" || key == "crun") {
      p.name = key;
      // runc 1.1 has `features` (ociVersionMax 1.0.2-dev); crun 1.8.1 has none and takes up to 1.1.x.
      if (key == "crun") p.oci_version = "1.1.0";
      return p;
    }
    if (key == "ocirun") {
      // On Linux: no utility-VM backend yet, hyperv cases are skipped with the reason. On Windows:
      // the HCS backend, like runhcs.
      p.name = key;
#ifdef _WIN32
      MakeWindows(p);
#endif
      return p;
    }
    if (key == "runhcs") {
      p.name = key;
      MakeWindows(p);
      return p;
    }
  }
  return p;
}

base::Result<RuntimeUnderTest> ResolveRuntime(const std::string& arg) {
  RuntimeUnderTest rt;
  std::string path = arg;
  size_t eq = arg.find('=');
  if (eq != std::string::npos) {
    rt.name = arg.substr(0, eq);
    path = arg.substr(eq + 1);
    if (rt.name.empty()) return base::InvalidArgument("--runtime " + arg + ": empty NAME before '='");
  }
  if (path.empty()) return base::InvalidArgument("--runtime " + arg + ": empty PATH");
  auto found = base::FindProgram(path);
  if (!found.ok()) return found.status().Wrap("--runtime " + arg);
  rt.path = host::Absolute(*found);
  if (rt.name.empty()) rt.name = Basename(path);
  for (char c : rt.name) {
    if (!isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      return base::InvalidArgument("--runtime " + arg + ": NAME may hold only [A-Za-z0-9._-]");
  }
  rt.profile = ProfileFor(rt.name, rt.path);
  rt.version = VersionOf(rt.path);
  return rt;
}

base::Status CheckUniqueNames(const std::vector<RuntimeUnderTest>& runtimes) {
  for (size_t i = 0; i < runtimes.size(); ++i)
    for (size_t j = i + 1; j < runtimes.size(); ++j)
      if (runtimes[i].name == runtimes[j].name)
        return base::InvalidArgument("--runtime: name \"" + runtimes[i].name +
                                     "\" given twice; use NAME=PATH to tell them apart");
  return base::Status::Ok();
}

}  // namespace conform
