// ocicert validate: checks OCI config.json files and bundle directories against the runtime spec
// (our JSON Schemas, then the semantic rule table of specs/validate.h).
// --level must (default) reports MUST findings; --level should also reports SHOULD findings and
// counts them as failures (strict mode). Exit 0 when no path has a reported finding, 1 when one has,
// 2 on bad usage or an unreadable path.
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "ocicert/commands.h"
#include "specs/validate_report.h"

namespace ocicert {
namespace {

struct Flags {
  std::string platform = "linux";
  std::string format = "text";
  std::string level = "must";
  std::string stage = "start";
  bool list_rules = false;
  std::vector<std::string> paths;
};

void ListRules() {
  for (const ocispec::RuleInfo& r : ocispec::AllRules()) {
    std::printf("%-44s %-6s %s\n    %s\n", std::string(r.id).c_str(), std::string(ocispec::LevelName(r.level)).c_str(),
                std::string(r.summary).c_str(), std::string(r.clause).c_str());
  }
}

ocispec::ValidateOptions Options(const Flags& f) {
  ocispec::ValidateOptions o;
  o.platform = f.platform == "windows" ? ocispec::Platform::kWindows : ocispec::Platform::kLinux;
  o.min_level = f.level == "must" ? ocispec::Level::kMust : ocispec::Level::kShould;
  o.stage = f.stage == "any" ? ocispec::Stage::kAny : f.stage == "create" ? ocispec::Stage::kCreate : ocispec::Stage::kStart;
  return o;
}

}  // namespace

int RunValidate(int argc, char** argv) {
  Flags flags;
  CLI::App app{"Check OCI config.json files and bundle directories against the runtime spec.", "ocicert validate"};
  app.add_option("--platform", flags.platform, "target platform")->check(CLI::IsMember({"linux", "windows"}));
  app.add_option("--format", flags.format, "output format")->check(CLI::IsMember({"text", "json"}));
  app.add_option("--level", flags.level, "lowest level reported and failed on (should = strict)")
      ->check(CLI::IsMember({"must", "should"}));
  app.add_option("--for", flags.stage, "use of the config: start requires process, any checks the file alone")
      ->check(CLI::IsMember({"any", "create", "start"}));
  app.add_flag("--list-rules", flags.list_rules, "print the semantic rule table and exit");
  app.add_option("paths", flags.paths, "config files or bundle directories");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (flags.list_rules) return ListRules(), 0;
  if (flags.paths.empty()) {
    std::fprintf(stderr, "ocicert validate: no PATH given (config files or bundle directories)\n");
    return 2;
  }
  ocispec::ValidateOptions options = Options(flags);
  std::vector<ocispec::PathReport> results;
  for (const std::string& path : flags.paths) results.push_back(ocispec::CheckPath(path, options));

  bool unreadable = false, invalid = false;
  nlohmann::json out = {{"platform", flags.platform}, {"level", flags.level}, {"for", flags.stage},
                        {"paths", nlohmann::json::array()}};
  for (const ocispec::PathReport& r : results) {
    unreadable = unreadable || !r.error.empty();
    invalid = invalid || !r.findings.empty();  // already filtered to --level
    if (flags.format == "json") out["paths"].push_back(ocispec::JsonReport(r));
    else std::fputs(ocispec::TextReport(r).c_str(), stdout);
  }
  if (flags.format == "json") {
    out["valid"] = !unreadable && !invalid;
    std::printf("%s\n", ocispec::DumpReport(out).c_str());
  }
  return unreadable ? 2 : invalid ? 1 : 0;
}

}  // namespace ocicert
