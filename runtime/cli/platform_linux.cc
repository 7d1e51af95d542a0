// The Linux side of the command-line differences (command.h): runc's behaviour.
#include "runtime/cli/command.h"
#include "runtime/container/signal.h"
#include "runtime/hyperv/backend.h"

namespace ocirun::cli {

std::vector<std::string> PsFormats() { return {"table", "json"}; }

base::Result<int> ParseKillSignal(const std::string& text) { return ParseSignal(text); }

void AdaptExecUser(ExecFlags&) {}

base::Status ResizeTty(const Runtime& rt, const std::string& id, int, int, int) {
  RETURN_IF_ERROR(Container::Load(rt, id).status());  // a missing container first, as on Windows
  return base::Unimplemented("resize-tty is a runhcs command for Windows containers; on Linux the console "
                             "size is the pty's (--console-socket receives its master)");
}

std::unique_ptr<Backend> MakeCliBackend(const GlobalOptions& global) {
  // --isolation is checked by CLI11 (process or hyperv); containers record their own mode.
  auto mode = hyperv::ParseIsolation(global.isolation, "--isolation");
  return hyperv::MakeIsolationBackend(mode.ok() ? *mode : hyperv::Isolation::kProcess);
}

}  // namespace ocirun::cli
