#include "runtime/container/container.h"

namespace ocirun {
namespace {

// The facts in state.json, else those of an unfinished create's intent. Sets *complete accordingly.
base::Result<std::optional<StateFacts>> LoadFacts(const StateStore& store, const std::string& id,
                                                  bool* complete) {
  ASSIGN_OR_RETURN(std::optional<StateFacts> facts, store.Load(id));
  *complete = facts.has_value();
  if (facts) return facts;
  auto intent = store.LoadIntent(id);
  // An unreadable intent is as good as none: the create died before recording anything usable.
  return intent.ok() ? *intent : std::optional<StateFacts>();
}

// Observes the backend for `facts` (complete: from state.json; else from an intent, or none).
Observation ObserveFacts(Backend& backend, const std::optional<StateFacts>& facts, bool complete) {
  Observation o;
  o.has_state = complete;
  if (!facts) return o;
  BackendObservation b = backend.Observe(*facts);
  o.init_alive = b.init_alive;
  o.gate_present = b.gate_present;
  o.frozen = b.frozen;
  o.unfinished_alive = !complete && (b.init_alive || b.cgroup_populated);
  return o;
}

}  // namespace

base::Result<Container> Container::Load(const Runtime& rt, const std::string& id) {
  StateStore store = rt.store();
  Container c(rt, id);
  ASSIGN_OR_RETURN(c.lock_, store.Lock(id));
  bool complete = false;
  ASSIGN_OR_RETURN(std::optional<StateFacts> facts, LoadFacts(store, id, &complete));
  c.has_state_ = complete;
  c.has_intent_ = facts.has_value() && !complete;
  if (facts) {
    c.facts_ = std::move(*facts);
  } else {
    c.facts_.id = id;
  }
  return c;
}

ContainerStatus Container::Status() const {
  std::optional<StateFacts> facts;
  if (has_state_ || has_intent_) facts = facts_;
  Observation o = ObserveFacts(*rt_.backend, facts, has_state_);
  o.creator_alive = false;  // We hold the lock, so no create is in progress.
  return DeriveStatus(o);
}

base::Status Container::Check(Operation op) const { return CheckOperation(Status(), op, id_); }

base::Status Container::RemoveState() const { return rt_.store().Remove(id_); }

base::Result<Snapshot> Peek(const Runtime& rt, const std::string& id) {
  StateStore store = rt.store();
  bool complete = false;
  ASSIGN_OR_RETURN(std::optional<StateFacts> facts, LoadFacts(store, id, &complete));
  Observation o = ObserveFacts(*rt.backend, facts, complete);
  if (!complete) o.creator_alive = store.LockedByOther(id);
  Snapshot s;
  s.has_state = complete;
  if (facts) {
    s.facts = std::move(*facts);
  } else {
    s.facts.id = id;
  }
  s.status = DeriveStatus(o);
  return s;
}

}  // namespace ocirun
