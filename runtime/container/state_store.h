// The state store: <root>/<id>/ holds one container's facts.
//   <root>/<id>/lock        advisory lock serialising every ocirun invocation on the id
//   <root>/<id>/state.json  the facts below, written atomically once create has succeeded
//   <root>/<id>/config.json the config as create read it (later bundle edits do not matter), with
//                           the resources of every later `update` merged in
//   <root>/<id>/exec.fifo   the create->start gate (Linux backend), removed by start
//   <root>/<id>/intent.json the facts an unfinished create recorded before making each thing (the
//                           cgroup paths, then the init pid with its start time): what `delete
//                           --force` destroys when a killed create never wrote state.json
//   <root>/.new-<key>-*     a folder being reserved, renamed to <root>/<id> once it holds its lock
//   <root>/.del-<key>-*     a folder being removed: renamed away first, so that a delete killed
//                           midway never leaves a half-removed <root>/<id> without its lock
// <key> is a hash of the id (IdKey), so that temp names stay short whatever the id's length.
// The status is never stored: it is derived from the facts on every read (status.h).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "runtime/platform.h"

namespace ocirun {

struct StateFacts {
  std::string oci_version;  // of the config the container was created from
  std::string id;
  std::string bundle;  // absolute
  std::string rootfs;  // absolute
  int pid = 0;                  // the init process (host pid)
  uint64_t pid_start_time = 0;  // platform::ProcessStartTime(pid) at create
  std::string created;          // RFC3339 with nanoseconds, UTC
  std::string owner;
  std::map<std::string, std::string> annotations;
  std::string cgroup_path;  // as given to the cgroup manager ("" when the backend has none)
  std::string exec_gate;    // path of the create->start gate; empty when the backend has none
  nlohmann::json backend;   // backend-specific facts (namespaces joined, etc.)
};

// state.json and intent.json carry no annotations: they can be most of a large config (tens of MB)
// and every verb reads state.json. Create writes them once to annotations.json (SaveAnnotations);
// readers that print or hand them on (state, list, hooks) load them. FactsFromJson still reads the
// "annotations" of a state file written before the split.
nlohmann::json FactsToJson(const StateFacts& facts);
base::Result<StateFacts> FactsFromJson(const nlohmann::json& j);

constexpr const char* kAnnotationsFile = "annotations.json";

// The annotations stored in a container's state folder: empty when it has none; the raw JSON object
// text (as written by SaveAnnotations, "" when none) for printing without a parse.
base::Result<std::map<std::string, std::string>> ReadAnnotations(const std::string& state_dir);
base::Result<std::string> ReadAnnotationsText(const std::string& state_dir);

class StateStore {
 public:
  explicit StateStore(std::string root) : root_(std::move(root)) {}

  const std::string& root() const { return root_; }
  std::string Dir(const std::string& id) const { return root_ + "/" + id; }
  std::string StatePath(const std::string& id) const { return Dir(id) + "/state.json"; }
  std::string LockPath(const std::string& id) const { return Dir(id) + "/lock"; }
  std::string ConfigPath(const std::string& id) const { return Dir(id) + "/config.json"; }
  std::string IntentPath(const std::string& id) const { return Dir(id) + "/intent.json"; }
  std::string AnnotationsPath(const std::string& id) const { return Dir(id) + "/annotations.json"; }

  // Creates <root>/<id> exclusively and locks it: of concurrent creates of one id exactly one wins;
  // the others get kAlreadyExists "container with id exists: <id>". The id must be valid.
  base::Result<std::unique_ptr<platform::FileLock>> Reserve(const std::string& id) const;
  // Locks an existing container; kNotFound "container does not exist".
  base::Result<std::unique_ptr<platform::FileLock>> Lock(const std::string& id) const;
  // True when someone holds the lock of `id` right now (a create in progress).
  bool LockedByOther(const std::string& id) const;

  // Writes state.json atomically.
  base::Status Save(const StateFacts& facts) const;
  // The facts, or nullopt while the state file is not written yet (create in progress or crashed).
  // kNotFound "container does not exist" when the folder is gone.
  base::Result<std::optional<StateFacts>> Load(const std::string& id) const;
  // Writes intent.json atomically: what create is about to make (called before making it).
  base::Status SaveIntent(const StateFacts& facts) const;
  // The recorded intent, or nullopt when create recorded none.
  base::Result<std::optional<StateFacts>> LoadIntent(const std::string& id) const;
  // The stored config.json (kNotFound when absent, kInternal when not a JSON object), and its
  // atomic replacement (update keeps the resources in effect there).
  base::Result<nlohmann::json> LoadStoredConfig(const std::string& id) const;
  base::Status SaveStoredConfig(const std::string& id, const nlohmann::json& config) const;
  // Writes annotations.json (nothing when there are none) and reads it back (empty when absent).
  base::Status SaveAnnotations(const std::string& id, const nlohmann::json& annotations) const;
  base::Result<std::map<std::string, std::string>> LoadAnnotations(const std::string& id) const;
  // Removes <root>/<id> (the caller holds the lock): renamed to .del-<key>-* first, then removed.
  base::Status Remove(const std::string& id) const;
  // Removes what killed runs left for `id`: .del-<key>-* folders and unlocked .new-<key>-* ones.
  base::Status Sweep(const std::string& id) const;
  // The ids present (folders with a valid id name), sorted.
  base::Result<std::vector<std::string>> List() const;

 private:
  std::string root_;
};

// 16 hex digits (FNV-1a 64) naming the temp folders of `id`.
std::string IdKey(const std::string& id);

// "container does not exist" as kNotFound: the exact words containerd matches.
base::Status ContainerNotExist();

}  // namespace ocirun
