// ocirun create [flags] <id>: build the container up to the start gate.
#include "runtime/cli/command.h"
#include "runtime/container/operations.h"

namespace ocirun::cli {

void AddCreateFlags(CLI::App* sub, CreateOptions& o) {
  sub->add_option("id", o.id, "container id")->required();
  sub->add_option("-b,--bundle", o.bundle, "bundle folder (default: current folder)");
  sub->add_option("--pid-file", o.pid_file, "write the init pid here (atomically, no newline)");
  sub->add_option("--console-socket", o.console_socket, "AF_UNIX socket receiving the pty master");
  sub->add_flag("--no-pivot", o.no_pivot, "chroot instead of pivot_root");
  sub->add_flag("--no-new-keyring", o.no_new_keyring, "keep the caller's session keyring");
  sub->add_option("--preserve-fds", o.preserve_fds, "pass fds 3..3+N-1 to the process");
  // runhcs-only flags, accepted and ignored.
  static std::string ignored;
  sub->add_option("--shim-log", ignored)->group("");
  sub->add_option("--vm-log", ignored)->group("");
  sub->add_option("--vm-console", ignored)->group("");
}

CommandRun RegisterCreate(CLI::App& app, GlobalOptions& global) {
  auto opts = std::make_shared<CreateOptions>();
  auto* sub = app.add_subcommand("create", "create a container (the process waits for start)");
  AddCreateFlags(sub, *opts);
  return [&global, opts] {
    base::Status st = Create(GetRuntime(global), *opts);
    return st.ok() ? 0 : ReportError(global, st);
  };
}

}  // namespace ocirun::cli
