#include "runtime/container/operations.h"

namespace ocirun {

base::Status Kill(const Runtime& rt, const std::string& id, int signal, bool all) {
  ASSIGN_OR_RETURN(Container c, Container::Load(rt, id));
  ContainerStatus status = c.Status();
  // `kill --all` on a stopped container succeeds with no effect, as in runc and crun: containerd's
  // StopContainer and `ctr task delete -f` send it after the init is gone.
  if (all && status == ContainerStatus::kStopped) return base::Status::Ok();
  RETURN_IF_ERROR(CheckOperation(status, all ? Operation::kKillAll : Operation::kKill, id));
  return c.backend().Kill(c.facts(), signal, all);
}

}  // namespace ocirun
