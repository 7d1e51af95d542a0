#include "runtime/container/resume.h"

namespace ocirun {

base::Status Resume(const Runtime& rt, const std::string& id) {
  ASSIGN_OR_RETURN(Container c, Container::Load(rt, id));
  RETURN_IF_ERROR(c.Check(Operation::kResume));
  return c.backend().Thaw(c.facts()).Wrap("resume " + id);
}

}  // namespace ocirun
