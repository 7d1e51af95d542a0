// The Linux backend's part of state.json (StateFacts::backend), read back by start, exec and delete.
// The file is ours, but a crash, a full disk or a hand edit can leave anything there: the reader
// checks every type and returns an error instead of throwing (a corrupt state must not abort ocirun).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace ocirun::linux {

struct LinuxFacts {
  std::string state_dir;                // <root>/<id>
  std::vector<std::string> namespaces;  // OCI types of the namespaces the container made (exec joins them)
  bool seccomp = false;                 // the config has a seccomp filter (exec applies it too)
};

// kInternal "corrupt state: backend.<field> ..." when a field has the wrong type; absent fields keep
// their defaults (states written by older ocirun builds).
base::Result<LinuxFacts> LinuxFactsFromJson(const nlohmann::json& backend);

}  // namespace ocirun::linux
