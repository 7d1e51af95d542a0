#include "conformance/profile.h"

#include <unistd.h>

#include <chrono>

#include "base/subprocess.h"

namespace conform {
namespace {

std::string Basename(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
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
      return p;
    }
    if (key == "ocirun") {
      // ocirun's Linux build has no utility-VM backend yet: hyperv cases are skipped, with the reason.
      p.name = key;
      return p;
    }
    if (key == "runhcs" || key == "runhcs.exe") {
      p.name = "runhcs";
      p.isolations = {"process", "hyperv"};
      p.windows = true;
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
  rt.path = *found;
  if (rt.path[0] != '/') {
    char cwd[4096];
    if (::getcwd(cwd, sizeof cwd)) rt.path = std::string(cwd) + "/" + rt.path;
  }
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
