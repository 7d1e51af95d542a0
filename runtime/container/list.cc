#include "runtime/container/operations.h"

namespace ocirun {

base::Result<std::vector<nlohmann::ordered_json>> List(const Runtime& rt) {
  ASSIGN_OR_RETURN(std::vector<std::string> ids, rt.store().List());
  std::vector<nlohmann::ordered_json> out;
  for (const std::string& id : ids) {
    auto s = PeekWithAnnotations(rt, id);
    if (!s.ok()) {
      if (s.status().code() == base::Code::kNotFound) continue;  // deleted meanwhile
      return s.status();
    }
    out.push_back(StateJson(*s));
  }
  return out;
}

}  // namespace ocirun
