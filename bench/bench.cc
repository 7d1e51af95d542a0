#include "bench/bench.h"

#include <filesystem>

#include "base/file.h"
#include "base/subprocess.h"
#include "harness/clock.h"
#include "harness/host.h"
#include "harness/host_identity.h"
#include "harness/windows_image.h"
#include "reports/html_report.h"

namespace ocicert::bench {
namespace {

namespace host = harness::host;

// `<build>/<dir>/<name>` beside this binary's folder (<build>/ocicert/ocicert), or "".
std::string FromBuildTree(const char* dir, const char* name) {
  std::string self = host::SelfExecutable();
  if (self.empty()) return "";
  auto candidate = std::filesystem::path(self).parent_path().parent_path() / dir / name;
  return host::IsExecutable(candidate.string()) ? candidate.string() : "";
}

// Windows: ocirun.exe beside ocicert.exe (as the release zip ships them), else from PATH; runhcs.exe
// from PATH.
std::vector<harness::RuntimeUnderTest> DefaultWindowsRuntimes() {
  std::vector<harness::RuntimeUnderTest> out;
  std::string self = host::SelfExecutable();
  std::string beside = self.empty() ? "" : (std::filesystem::path(self).parent_path() / "ocirun.exe").string();
  if (!beside.empty() && host::IsExecutable(beside)) {
    out.push_back(harness::MakeRuntime("ocirun", beside));
  } else if (auto p = base::FindProgram("ocirun"); p.ok()) {
    out.push_back(harness::MakeRuntime("ocirun", *p));
  }
  if (auto p = base::FindProgram("runhcs"); p.ok()) out.push_back(harness::MakeRuntime("runhcs", *p));
  return out;
}

base::Status ResolveRuntimes(BenchRequest& request) {
  BenchOptions& o = request.options;
  for (const std::string& arg : request.runtimes) {
    ASSIGN_OR_RETURN(harness::RuntimeUnderTest rt, harness::ParseRuntime(arg));
    o.runtimes.push_back(std::move(rt));
  }
  if (o.runtimes.empty()) o.runtimes = DefaultRuntimes();
  if (o.reference.empty())
    for (const auto& r : o.runtimes)
      if (r.name == "ocirun") o.reference = "ocirun";
  bool has_library_runtime = false;
  for (const auto& r : o.runtimes) has_library_runtime |= r.name == o.library_runtime;
  // Opt-in (--library-helper): the library cases are new and not yet verified against ocirun's API.
  if (request.no_library || !has_library_runtime) o.library_helper.clear();
  return base::Status::Ok();
}

base::Status WriteReports(const std::string& dir, const reports::BenchRun& run) {
  std::string bench_json = dir + "/bench.json";
  RETURN_IF_ERROR(base::WriteFileAtomic(bench_json, reports::BenchRunToJson(run)));
  reports::HtmlInputs inputs;
  inputs.bench_files = {bench_json};
  ASSIGN_OR_RETURN(std::string page, reports::RenderHtmlReport(inputs));
  return base::WriteFileAtomic(dir + "/report.html", page);
}

}  // namespace

std::vector<harness::RuntimeUnderTest> DefaultRuntimes() {
  if (host::WindowsContainers()) return DefaultWindowsRuntimes();
  std::vector<harness::RuntimeUnderTest> out;
  std::string ocirun = FromBuildTree("runtime", "ocirun");
  if (ocirun.empty()) ocirun = base::FindProgram("ocirun").value_or("");
  if (!ocirun.empty()) out.push_back(harness::MakeRuntime("ocirun", ocirun));
  if (host::IsExecutable("/usr/sbin/runc")) {
    out.push_back(harness::MakeRuntime("runc", "/usr/sbin/runc"));
  } else if (auto p = base::FindProgram("runc"); p.ok()) {
    out.push_back(harness::MakeRuntime("runc", *p));
  }
  if (auto p = base::FindProgram("crun"); p.ok()) out.push_back(harness::MakeRuntime("crun", *p));
  return out;
}

base::Result<reports::BenchRun> Bench(BenchRequest& request) {
  BenchOptions& o = request.options;
  if (!request.windows_layers.empty()) {
    ASSIGN_OR_RETURN(o.windows_layers, harness::ResolveWindowsLayers(request.windows_layers));
  }
  RETURN_IF_ERROR(ResolveRuntimes(request));
  if (o.out_dir.empty()) o.out_dir = harness::DefaultOutputFolder("bench");
  RETURN_IF_ERROR(ValidateOptions(o));
  std::error_code ec;
  std::filesystem::create_directories(o.out_dir, ec);
  if (ec) return base::InvalidArgument("--out " + o.out_dir + ": " + ec.message());
  ASSIGN_OR_RETURN(reports::BenchRun run, RunBenchmarks(o));
  std::vector<harness::host::RuntimeToDigest> digests;
  for (const auto& rt : run.runtimes) digests.push_back({rt.name, rt.path, rt.version});
  run.identity = harness::host::CollectIdentity(digests, request.suite_version, request.command_line);
  RETURN_IF_ERROR(WriteReports(o.out_dir, run));
  return run;
}

}  // namespace ocicert::bench
