#include "runtime/container/operations.h"

namespace ocirun {

nlohmann::ordered_json StateJson(const Snapshot& s) {
  const StateFacts& f = s.facts;
  bool alive = s.status != ContainerStatus::kStopped && s.status != ContainerStatus::kCreating;
  nlohmann::ordered_json j;
  j["ociVersion"] = f.oci_version.empty() ? "1.0.2" : f.oci_version;
  j["id"] = f.id;
  j["pid"] = alive ? f.pid : 0;
  j["status"] = std::string(StatusName(s.status));
  j["bundle"] = f.bundle;
  j["rootfs"] = f.rootfs;
  j["created"] = f.created.empty() ? "0001-01-01T00:00:00Z" : f.created;
  if (!f.annotations.empty()) j["annotations"] = f.annotations;
  j["owner"] = f.owner;
  return j;
}

base::Result<nlohmann::ordered_json> State(const Runtime& rt, const std::string& id) {
  ASSIGN_OR_RETURN(Snapshot s, Peek(rt, id));
  return StateJson(s);
}

}  // namespace ocirun
