// ocirun ps [-f table|json] <id> [-- ps options]: the container's processes. json: an array of pids
// (containerd's shim form); table: the columns of `ps -ef` for those pids, read from /proc by ocirun,
// or with ps options the host's `ps <options>` filtered to them (as runc). The default is the
// platform's first format (PsFormats): table on Linux, json on Windows, where json is the only one
// (runhcs).
#include <cstdio>

#include "runtime/cli/command.h"
#include "runtime/container/ps.h"

namespace ocirun::cli {

struct PsFlags {
  std::string id;
  std::string format = PsFormats().front();
  std::vector<std::string> ps_args;
};

CommandRun RegisterPs(CLI::App& app, GlobalOptions& global) {
  auto f = std::make_shared<PsFlags>();
  auto* sub = app.add_subcommand("ps", "display the processes running inside a container");
  sub->add_option("-f,--format", f->format, "table or json (Windows: json only, as runhcs)")
      ->check(CLI::IsMember(PsFormats()));
  sub->add_option("id", f->id, "container id")->required();
  sub->add_option("ps_args", f->ps_args, "options for the host's ps (table format; without them ocirun prints ps -ef's columns itself)");
  return [&global, f] {
    auto pids = Ps(GetRuntime(global), f->id);
    if (!pids.ok()) return ReportError(global, pids.status());
    if (f->format == "json") {
      std::printf("%s\n", PsJson(*pids).c_str());
      return 0;
    }
    auto table = PsTable(*pids, f->ps_args);
    if (!table.ok()) return ReportError(global, table.status());
    std::fputs(table->c_str(), stdout);
    return 0;
  };
}

}  // namespace ocirun::cli
