#include "runtime/container/pause.h"

namespace ocirun {

base::Status Pause(const Runtime& rt, const std::string& id) {
  ASSIGN_OR_RETURN(Container c, Container::Load(rt, id));
  RETURN_IF_ERROR(c.Check(Operation::kPause));
  return c.backend().Freeze(c.facts()).Wrap("pause " + id);
}

}  // namespace ocirun
