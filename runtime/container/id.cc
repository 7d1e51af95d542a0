#include "runtime/container/id.h"

#include <string>

namespace ocirun {

base::Status ValidateId(std::string_view id) {
  // The id names the state folder <root>/<id> (and the default cgroup): one file name. runc and crun
  // accept what the file system does, up to NAME_MAX.
  if (id.size() > kMaxIdLength) {
    return base::InvalidArgument("invalid container id: " + std::to_string(id.size()) +
                                 " characters long, at most " + std::to_string(kMaxIdLength) +
                                 " are allowed (it names a folder)");
  }
  bool ok = !id.empty() && id != "." && id != "..";
  for (char c : id) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '_' || c == '+' || c == '.' || c == '-';
    ok = ok && allowed;
  }
  if (!ok) return base::InvalidArgument("invalid container id format: " + std::string(id));
  return base::Status::Ok();
}

}  // namespace ocirun
