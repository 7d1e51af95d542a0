#include "conformance/conform.h"

#include <filesystem>
#include <optional>

#include "conformance/catalogue.h"
#include "conformance/paths.h"
#include "conformance/waivers.h"
#include "harness/clock.h"
#include "harness/host_identity.h"
#include "harness/runtime.h"
#include "reports/conform_writers.h"

namespace conform {
namespace {

// A failure of the user's input: kInvalidArgument whatever the underlying code (a missing binary or
// file is bad usage too), with the flag named.
base::Status Usage(const base::Status& st, const std::string& flag = "") {
  return base::InvalidArgument(flag.empty() ? st.message() : flag + ": " + st.message());
}

base::Result<std::vector<RuntimeUnderTest>> ParseRuntimes(const std::vector<std::string>& args) {
  if (args.empty()) return base::InvalidArgument("at least one --runtime is required");
  std::vector<RuntimeUnderTest> out;
  for (const std::string& arg : args) {
    auto rt = harness::ParseRuntime(arg);
    if (!rt.ok()) return Usage(rt.status());
    out.push_back(std::move(rt).value());
  }
  if (base::Status st = harness::CheckUniqueNames(out); !st.ok()) return Usage(st);
  return out;
}

}  // namespace

base::Result<ConformOutcome> Conform(ConformRequest request, ProgressSink* progress) {
  ConformOptions& o = request.options;
  ASSIGN_OR_RETURN(o.runtimes, ParseRuntimes(request.runtimes));
  Waivers none;
  std::optional<Waivers> loaded_waivers;
  if (!request.waivers_file.empty()) {
    auto w = Waivers::Load(request.waivers_file);
    if (!w.ok()) return Usage(w.status(), "--waivers");
    loaded_waivers = std::move(w).value();
  }
  std::optional<Catalogue> loaded_catalogue;
  if (!request.catalogue_file.empty()) {
    auto c = Catalogue::Load(request.catalogue_file);
    if (!c.ok()) return Usage(c.status(), "--catalogue");
    loaded_catalogue = std::move(c).value();
  }
  o.waivers = request.no_waivers ? &none : loaded_waivers ? &*loaded_waivers : nullptr;
  o.catalogue = loaded_catalogue ? &*loaded_catalogue : nullptr;
  if (o.probe.empty()) o.probe = DefaultProbePath();
  if (o.make_rootfs.empty()) o.make_rootfs = DefaultMakeRootfs();
  ConformOutcome outcome;
  outcome.out = request.out.empty() ? harness::DefaultOutputFolder("conform") : request.out;
  ASSIGN_OR_RETURN(outcome.results, RunConformance(o, progress));
  std::vector<harness::host::RuntimeToDigest> digests;
  for (const auto& rt : outcome.results.runtimes) digests.push_back({rt.name, rt.path, rt.version});
  outcome.results.identity = harness::host::CollectIdentity(digests, request.suite_version, request.command_line);
  std::error_code ec;
  std::filesystem::create_directories(outcome.out, ec);
  if (ec) return base::ErrnoError("--out " + outcome.out, ec.value());
  RETURN_IF_ERROR_CTX(reports::WriteConformReports(outcome.out, outcome.results), "write reports");
  return outcome;
}

}  // namespace conform
