// ocirun start <id>: let the user program of a created container run.
#include "runtime/cli/command.h"
#include "runtime/container/operations.h"

namespace ocirun::cli {

CommandRun RegisterStart(CLI::App& app, GlobalOptions& global) {
  auto id = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("start", "start the user program of a created container");
  sub->add_option("id", *id, "container id")->required();
  return [&global, id] {
    base::Status st = Start(GetRuntime(global), *id);
    return st.ok() ? 0 : ReportError(global, st);
  };
}

}  // namespace ocirun::cli
