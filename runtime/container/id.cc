#include "runtime/container/id.h"

#include <string>

namespace ocirun {

base::Status ValidateId(std::string_view id) {
  bool ok = !id.empty() && id != "." && id != ".." && id.size() <= 1024;
  for (char c : id) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '_' || c == '+' || c == '.' || c == '-';
    ok = ok && allowed;
  }
  if (!ok) return base::InvalidArgument("invalid container id format: " + std::string(id));
  return base::Status::Ok();
}

}  // namespace ocirun
