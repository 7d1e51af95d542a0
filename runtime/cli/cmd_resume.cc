// ocirun resume <id>: thaw a paused container; returns once thawed.
#include "runtime/cli/command.h"
#include "runtime/container/resume.h"

namespace ocirun::cli {

CommandRun RegisterResume(CLI::App& app, GlobalOptions& global) {
  auto id = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("resume", "resume all processes that have been previously paused");
  sub->add_option("id", *id, "container id")->required();
  return [&global, id] {
    base::Status st = Resume(GetRuntime(global), *id);
    return st.ok() ? 0 : ReportError(global, st);
  };
}

}  // namespace ocirun::cli
