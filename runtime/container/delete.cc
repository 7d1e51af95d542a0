#include "runtime/container/operations.h"

namespace ocirun {

base::Status Delete(const Runtime& rt, const std::string& id, bool force) {
  auto loaded = Container::Load(rt, id);
  if (!loaded.ok()) {
    // delete --force of an id that is already gone succeeds (containerd's shim cleanup), after
    // removing what killed runs left for it (state_store.h: .new-*, .del-*).
    if (force && loaded.status().code() == base::Code::kNotFound) return rt.store().Sweep(id);
    return loaded.status();
  }
  Container& c = *loaded;
  if (!force) RETURN_IF_ERROR(c.Check(Operation::kDelete));
  // Without state.json, a killed create's intent names what it made (cgroup, init): destroyed alike.
  if (c.has_state() || c.has_intent()) RETURN_IF_ERROR_CTX(c.backend().Destroy(c.facts()), "delete " + id);
  RETURN_IF_ERROR(c.RemoveState());
  return force ? rt.store().Sweep(id) : base::Status::Ok();
}

}  // namespace ocirun
