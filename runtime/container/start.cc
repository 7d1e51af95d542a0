#include "runtime/container/operations.h"

namespace ocirun {

base::Status Start(const Runtime& rt, const std::string& id) {
  ASSIGN_OR_RETURN(Container c, Container::Load(rt, id));
  RETURN_IF_ERROR(c.Check(Operation::kStart));
  return c.backend().Start(c.facts());
}

}  // namespace ocirun
