#include "base/file.h"
#include "runtime/container/operations.h"

namespace ocirun {

base::Result<int> Exec(const Runtime& rt, const std::string& id, const ExecFlags& flags) {
  StateFacts facts;
  nlohmann::json config;
  {
    ASSIGN_OR_RETURN(Container c, Container::Load(rt, id));
    ContainerStatus status = c.Status();
    if (!(flags.ignore_paused && status == ContainerStatus::kPaused)) {
      RETURN_IF_ERROR(CheckOperation(status, Operation::kExec, id));
    }
    facts = c.facts();
    ASSIGN_OR_RETURN(std::string text, base::ReadFile(rt.store().Dir(id) + "/config.json"));
    config = nlohmann::json::parse(text, nullptr, false);
  }  // The lock is released before the process runs: a foreground exec may last long.
  nlohmann::json base_process = config.is_object() ? config.value("process", nlohmann::json()) : nlohmann::json();
  ASSIGN_OR_RETURN(nlohmann::json process, BuildExecProcess(flags, base_process));
  ExecRequest req{process, flags.console_socket, flags.pid_file, flags.preserve_fds, flags.detach};
  return rt.backend->Exec(facts, req);
}

}  // namespace ocirun
