// ocirun kill [--all] <id> [signal]: signal names (KILL, SIGKILL) or numbers; default SIGTERM. On
// Windows also runhcs's CtrlC (0), CtrlBreak, ... (ParseKillSignal, command.h).
#include "runtime/cli/command.h"
#include "runtime/container/operations.h"
#include "runtime/container/signal.h"

namespace ocirun::cli {

struct KillFlags {
  std::string id;
  std::string signal = "SIGTERM";
  bool all = false;
};

CommandRun RegisterKill(CLI::App& app, GlobalOptions& global) {
  auto f = std::make_shared<KillFlags>();
  auto* sub = app.add_subcommand("kill", "send a signal to the container's init (or all processes)");
  sub->add_option("id", f->id, "container id")->required();
  sub->add_option("signal", f->signal, "signal name or number (default SIGTERM)");
  sub->add_flag("-a,--all", f->all, "signal every process of the container");
  return [&global, f] {
    auto signal = ParseKillSignal(f->signal);
    if (!signal.ok()) return ReportError(global, signal.status());
    base::Status st = Kill(GetRuntime(global), f->id, *signal, f->all);
    return st.ok() ? 0 : ReportError(global, st);
  };
}

}  // namespace ocirun::cli
