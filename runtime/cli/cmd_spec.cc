// ocirun spec [-b bundle]: write a default config.json (runc's `spec`), refusing to overwrite one.
#include "base/file.h"
#include "runtime/cli/command.h"
#include "runtime/platform.h"
#include "specs/default_config.h"

namespace ocirun::cli {

CommandRun RegisterSpec(CLI::App& app, GlobalOptions& global) {
  auto bundle = std::make_shared<std::string>(".");
  auto* sub = app.add_subcommand("spec", "write a default config.json into the bundle folder");
  sub->add_option("-b,--bundle", *bundle, "bundle folder");
  return [&global, bundle] {
    std::string path = *bundle + "/config.json";
    if (platform::PathExists(path)) {
      return ReportError(global, base::AlreadyExists("File " + path + " exists. Remove it first"));
    }
    base::Status st = base::WriteFile(path, ocispec::DefaultLinuxConfig().dump(1, '\t') + "\n");
    return st.ok() ? 0 : ReportError(global, st);
  };
}

}  // namespace ocirun::cli
