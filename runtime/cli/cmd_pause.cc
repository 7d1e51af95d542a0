// ocirun pause <id>: freeze every process of the container (cgroup freezer); returns once frozen.
#include "runtime/cli/command.h"
#include "runtime/container/pause.h"

namespace ocirun::cli {

CommandRun RegisterPause(CLI::App& app, GlobalOptions& global) {
  auto id = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("pause", "suspend all processes inside the container");
  sub->add_option("id", *id, "container id")->required();
  return [&global, id] {
    base::Status st = Pause(GetRuntime(global), *id);
    return st.ok() ? 0 : ReportError(global, st);
  };
}

}  // namespace ocirun::cli
