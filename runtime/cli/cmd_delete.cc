// ocirun delete [-f] <id>: remove a stopped container (a created one is killed first; -f kills any).
#include "runtime/cli/command.h"
#include "runtime/container/operations.h"

namespace ocirun::cli {

CommandRun RegisterDelete(CLI::App& app, GlobalOptions& global) {
  auto id = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  auto* sub = app.add_subcommand("delete", "delete a container and what create made");
  sub->add_option("id", *id, "container id")->required();
  sub->add_flag("-f,--force", *force, "kill a running or paused container first");
  return [&global, id, force] {
    base::Status st = Delete(GetRuntime(global), *id, *force);
    return st.ok() ? 0 : ReportError(global, st);
  };
}

}  // namespace ocirun::cli
