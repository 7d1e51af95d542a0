// ocirun create [flags] <id>: build the container up to the start gate.
#include "runtime/cli/command.h"
#include "runtime/container/operations.h"

namespace ocirun::cli {

void AddCreateFlags(CLI::App* sub, CreateOptions& o) {
  auto backend_option = [sub, &o](const char* flag, const char* key, const char* help) {
    sub->add_option_function<std::string>(flag, [&o, key](const std::string& v) { o.backend_options[key] = v; }, help);
  };
  sub->add_option("id", o.id, "container id")->required();
  sub->add_option("-b,--bundle", o.bundle, "bundle folder (default: current folder)");
  sub->add_option("--pid-file", o.pid_file, "write the init pid here (atomically, no newline)");
  sub->add_option("--console-socket", o.console_socket, "AF_UNIX socket receiving the pty master");
  sub->add_flag("--no-pivot", o.no_pivot, "chroot instead of pivot_root");
  sub->add_flag("--no-new-keyring", o.no_new_keyring, "keep the caller's session keyring");
  sub->add_option("--preserve-fds", o.preserve_fds, "pass fds 3..3+N-1 to the process");
  // runhcs's flags (create.go); docs/ocirun.md's runhcs table says what each does here.
  backend_option("--host", "host", "runhcs: the container whose utility VM hosts this one (Windows)");
  backend_option("--shim-log", "shim_log", "runhcs: the shim's log file (accepted; the shim logs to <root>/<id>/shim.log)");
  backend_option("--vm-log", "vm_log", "runhcs: the VM shim's log (accepted; ocirun has no VM shim)");
  backend_option("--vm-console", "vm_console", "runhcs: the LCOW VM's COM1 pipe (accepted; not connected)");
}

CommandRun RegisterCreate(CLI::App& app, GlobalOptions& global) {
  auto opts = std::make_shared<CreateOptions>();
  auto* sub = app.add_subcommand("create", "create a container (the process waits for start)");
  AddCreateFlags(sub, *opts);
  return [&global, opts] {
    opts->backend_options["owner"] = global.owner;
    base::Status st = Create(GetRuntime(global), *opts);
    return st.ok() ? 0 : ReportError(global, st);
  };
}

}  // namespace ocirun::cli
