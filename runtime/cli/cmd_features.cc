// ocirun features: the runtime-spec features JSON of this build's backend.
#include <cstdio>

#include "runtime/cli/command.h"

namespace ocirun::cli {

CommandRun RegisterFeatures(CLI::App& app, GlobalOptions& global) {
  app.add_subcommand("features", "print the features this runtime supports (JSON)");
  return [&global] {
    std::printf("%s\n", GetRuntime(global).backend->Features().dump(4).c_str());
    return 0;
  };
}

}  // namespace ocirun::cli
