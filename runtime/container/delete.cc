#include "runtime/container/operations.h"

namespace ocirun {

base::Status Delete(const Runtime& rt, const std::string& id, bool force) {
  auto loaded = Container::Load(rt, id);
  if (!loaded.ok()) {
    // delete --force of an id that is already gone succeeds (containerd's shim cleanup).
    if (force && loaded.status().code() == base::Code::kNotFound) return base::Status::Ok();
    return loaded.status();
  }
  Container& c = *loaded;
  if (!force) RETURN_IF_ERROR(c.Check(Operation::kDelete));
  if (c.has_state()) RETURN_IF_ERROR_CTX(c.backend().Destroy(c.facts()), "delete " + id);
  return c.RemoveState();
}

}  // namespace ocirun
