// ocirun state <id>: the state JSON (2-space indent, no trailing newline, like runc).
#include <cstdio>

#include "runtime/cli/command.h"
#include "runtime/container/operations.h"

namespace ocirun::cli {

CommandRun RegisterState(CLI::App& app, GlobalOptions& global) {
  auto id = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("state", "print the state of a container");
  sub->add_option("id", *id, "container id")->required();
  return [&global, id] {
    auto state = StateText(GetRuntime(global), *id);
    if (!state.ok()) return ReportError(global, state.status());
    std::fputs(state->c_str(), stdout);
    return 0;
  };
}

}  // namespace ocirun::cli
