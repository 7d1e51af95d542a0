#include "runtime/container/container.h"

namespace ocirun {

base::Result<Container> Container::Load(const Runtime& rt, const std::string& id) {
  StateStore store = rt.store();
  Container c(rt, id);
  ASSIGN_OR_RETURN(c.lock_, store.Lock(id));
  ASSIGN_OR_RETURN(std::optional<StateFacts> facts, store.Load(id));
  c.has_state_ = facts.has_value();
  if (facts) {
    c.facts_ = std::move(*facts);
  } else {
    c.facts_.id = id;
  }
  return c;
}

ContainerStatus Container::Status() const {
  Observation o;
  o.has_state = has_state_;
  o.creator_alive = false;  // We hold the lock, so no create is in progress.
  if (has_state_) {
    BackendObservation b = rt_.backend->Observe(facts_);
    o.init_alive = b.init_alive;
    o.gate_present = b.gate_present;
    o.frozen = b.frozen;
  }
  return DeriveStatus(o);
}

base::Status Container::Check(Operation op) const { return CheckOperation(Status(), op, id_); }

base::Status Container::RemoveState() const { return rt_.store().Remove(id_); }

base::Result<Snapshot> Peek(const Runtime& rt, const std::string& id) {
  StateStore store = rt.store();
  ASSIGN_OR_RETURN(std::optional<StateFacts> facts, store.Load(id));
  Snapshot s;
  Observation o;
  o.has_state = facts.has_value();
  if (facts) {
    s.facts = std::move(*facts);
    BackendObservation b = rt.backend->Observe(s.facts);
    o.init_alive = b.init_alive;
    o.gate_present = b.gate_present;
    o.frozen = b.frozen;
  } else {
    s.facts.id = id;
    o.creator_alive = store.LockedByOther(id);
  }
  s.has_state = o.has_state;
  s.status = DeriveStatus(o);
  return s;
}

}  // namespace ocirun
