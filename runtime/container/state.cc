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

base::Result<Snapshot> PeekWithAnnotations(const Runtime& rt, const std::string& id) {
  ASSIGN_OR_RETURN(Snapshot s, Peek(rt, id));
  if (s.facts.annotations.empty()) {
    ASSIGN_OR_RETURN(s.facts.annotations, rt.store().LoadAnnotations(id));
  }
  return s;
}

base::Result<nlohmann::ordered_json> State(const Runtime& rt, const std::string& id) {
  ASSIGN_OR_RETURN(Snapshot s, PeekWithAnnotations(rt, id));
  return StateJson(s);
}

base::Result<std::string> StateText(const Runtime& rt, const std::string& id) {
  ASSIGN_OR_RETURN(Snapshot s, Peek(rt, id));
  std::string text = StateJson(s).dump(2);
  if (!s.facts.annotations.empty()) return text;  // a state file written before annotations.json
  // The stored annotations are spliced in as written, not parsed: `state` of a container with tens of
  // MB of annotations costs a read, not a parse and a dump.
  ASSIGN_OR_RETURN(std::string annotations, ReadAnnotationsText(rt.store().Dir(id)));
  if (annotations.empty() || text.size() < 2 || text.back() != '}') return text;
  text.erase(text.size() - 2);  // "\n}"
  return text + ",\n  \"annotations\": " + annotations + "\n}";
}

}  // namespace ocirun
