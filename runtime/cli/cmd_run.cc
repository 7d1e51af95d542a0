// ocirun run [flags] <id>: create + start; in the foreground, wait and exit with the process status.
#include "runtime/cli/command.h"
#include "runtime/container/operations.h"

namespace ocirun::cli {

CommandRun RegisterRun(CLI::App& app, GlobalOptions& global) {
  auto opts = std::make_shared<RunOptions>();
  auto* sub = app.add_subcommand("run", "create and start a container");
  AddCreateFlags(sub, opts->create);
  sub->add_flag("-d,--detach", opts->detach, "return after start");
  sub->add_flag("--keep", opts->keep, "keep the stopped container (foreground)");
  return [&global, opts] {
    opts->create.backend_options["owner"] = global.owner;
    base::Result<int> status = Run(GetRuntime(global), *opts);
    return status.ok() ? *status : ReportError(global, status.status());
  };
}

}  // namespace ocirun::cli
