// The container API shared by the verbs (create.cc, start.cc, ..., and pause/resume/ps/update):
// load a container by root + id with its lock held, derive its status, check the state table.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "runtime/container/backend.h"
#include "runtime/container/state_store.h"
#include "runtime/container/state_table.h"
#include "runtime/container/status.h"
#include "runtime/platform.h"

namespace ocirun {

// What every verb needs: where state lives and which backend runs containers.
struct Runtime {
  std::string root = "/run/ocirun";
  Backend* backend = nullptr;
  // Where warnings go (the CLI logs them at level "warning"); none when unset.
  std::function<void(const std::string&)> warn;
  StateStore store() const { return StateStore(root); }
};

class Container {
 public:
  // Loads <root>/<id> and holds its lock until the object is destroyed. kInvalidArgument for a bad id,
  // kNotFound "container does not exist".
  static base::Result<Container> Load(const Runtime& rt, const std::string& id);

  const std::string& id() const { return id_; }
  // The facts; for a folder left by a killed create (no state file) those of its intent, or only
  // `id` when it recorded none.
  const StateFacts& facts() const { return facts_; }
  bool has_state() const { return has_state_; }
  // No state file, but the intent of a create that never finished (state_store.h).
  bool has_intent() const { return has_intent_; }
  const std::string& cgroup_path() const { return facts_.cgroup_path; }
  Backend& backend() const { return *rt_.backend; }
  const Runtime& runtime() const { return rt_; }

  // The status derived now (each call observes again).
  ContainerStatus Status() const;
  // Ok when `op` is allowed in the current status, else runc's error.
  base::Status Check(Operation op) const;
  // Removes the state folder (backend resources must be destroyed first).
  base::Status RemoveState() const;

 private:
  Container(const Runtime& rt, std::string id) : rt_(rt), id_(std::move(id)) {}

  Runtime rt_;
  std::string id_;
  StateFacts facts_;
  bool has_state_ = false;
  bool has_intent_ = false;
  std::unique_ptr<platform::FileLock> lock_;
};

// The status of a container without taking its lock (state, list): a create in progress, or the
// remains of a killed one whose processes still live, show as "creating". kNotFound "container does
// not exist".
struct Snapshot {
  StateFacts facts;
  bool has_state = false;
  ContainerStatus status = ContainerStatus::kStopped;
};
base::Result<Snapshot> Peek(const Runtime& rt, const std::string& id);

}  // namespace ocirun
