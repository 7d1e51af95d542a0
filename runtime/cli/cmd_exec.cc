// ocirun exec [flags] <id> <cmd...> | exec [flags] -p process.json <id>. Flags must precede the id
// (as in runc, whose exec does not reorder arguments): everything after it is the command.
#include "runtime/cli/command.h"
#include "runtime/container/exec_process.h"
#include "runtime/container/operations.h"

namespace ocirun::cli {

CommandRun RegisterExec(CLI::App& app, GlobalOptions& global) {
  auto f = std::make_shared<ExecFlags>();
  auto* sub = app.add_subcommand("exec", "run a process in a running container");
  sub->prefix_command();  // stop at the first positional: the id, then the command and its args
  sub->add_option("-p,--process", f->process_file, "process.json (an OCI process object)");
  sub->add_option("--console-socket", f->console_socket, "AF_UNIX socket receiving the pty master");
  sub->add_option("--cwd", f->cwd, "working directory");
  sub->add_option("-e,--env", f->env, "environment variable K=V (repeatable)");
  sub->add_flag("-t,--tty", f->tty, "allocate a pseudo-TTY");
  sub->add_option("-u,--user", f->user, "uid[:gid]; on Windows a user name (ContainerAdministrator)");
  sub->add_option("-g,--additional-gids", f->additional_gids, "additional gid (repeatable)");
  sub->add_flag("-d,--detach", f->detach, "do not wait for the process");
  sub->add_option("--pid-file", f->pid_file, "write the process pid here");
  sub->add_option("--preserve-fds", f->preserve_fds, "pass fds 3..3+N-1 to the process");
  sub->add_flag("--no-new-privs", f->no_new_privs, "set no_new_privileges");
  sub->add_option("-c,--cap", f->caps, "add a capability (repeatable)");
  sub->add_flag("--ignore-paused", f->ignore_paused, "accepted for runc compatibility");
  sub->add_option("--apparmor,--process-label", f->ignored, "accepted, no effect here")->group("");
  // runhcs: the exec shim's log. Accepted; ocirun's exec shim (exec -d on Windows) logs to the
  // container's shim log.
  sub->add_option("--shim-log", f->ignored, "runhcs: accepted (the exec shim logs to <root>/<id>/shim.log)");
  return [&global, f, sub] {
    std::vector<std::string> rest = sub->remaining();
    if (rest.empty()) return ReportError(global, base::InvalidArgument("exec: container id required"));
    std::string id = rest.front();
    f->args.assign(rest.begin() + 1, rest.end());
    AdaptExecUser(*f);
    auto status = Exec(GetRuntime(global), id, *f);
    return status.ok() ? *status : ReportError(global, status.status());
  };
}

}  // namespace ocirun::cli
