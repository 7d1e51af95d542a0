// ocirun: a runc/runhcs-compatible OCI runtime. The command table is cli/command_table.cc.
#include <csignal>
#include <cstdio>
#include <cstring>
#ifdef _WIN32
#include <windows.h>
#endif

#include "runtime/cli/command.h"

int main(int argc, char** argv) {
#ifdef SIGPIPE
  std::signal(SIGPIPE, SIG_IGN);  // a reader that goes away must not kill ocirun (no SIGPIPE on Windows)
#endif
  ocirun::cli::GlobalOptions global;
  CLI::App app("ocirun: an OCI runtime with runc's and runhcs's command line", "ocirun");
  app.set_version_flag("-v,--version",
                       std::string("ocirun version ") + OCIRUN_VERSION + "\nspec: 1.2.0");
  std::vector<ocirun::cli::NamedCommand> commands = ocirun::cli::AddCommands(app, global, argc, argv);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    // Usage errors are errors like any other: stderr and the --log record, exit 1.
    return ocirun::cli::ReportError(global, base::InvalidArgument(ocirun::cli::UsageMessage(app, e, argc, argv)));
  }
  for (const ocirun::cli::NamedCommand& c : commands) {
    if (!app.got_subcommand(c.name)) continue;
    int code = c.run();
#ifdef _WIN32
    // A stdio relay may leave a detached thread blocked on a pipe that a container process still
    // holds (runtime/hcs/stdio_relay.h). Returning from main would run static destructors while it
    // can still wake up; ExitProcess ends the other threads first. (Under wine, ocirun.exe crashed
    // now and then at exit, executing freed memory.)
    std::fflush(nullptr);
    ::ExitProcess(static_cast<UINT>(code));
#endif
    return code;
  }
  return ocirun::cli::ReportError(global, base::InvalidArgument("no command given"));
}
