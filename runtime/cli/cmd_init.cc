// ocirun init (hidden): the helper the backend re-executes for create and exec. Not for users: it
// speaks the init protocol (docs/ocirun.md) on the fd named in its environment.
#include "runtime/cli/command.h"

namespace ocirun::cli {

CommandRun RegisterInit(CLI::App& app, GlobalOptions& global) {
  auto* sub = app.add_subcommand("init", "");
  sub->group("");  // hidden
  return [&global] { return GetRuntime(global).backend->RunInit(); };
}

}  // namespace ocirun::cli
