// ocirun ps: the processes of a container, from its cgroup (every pid in it and its descendants).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "runtime/container/container.h"

namespace ocirun {

// The pids, sorted. A stopped container whose cgroup is already gone has none.
base::Result<std::vector<int>> Ps(const Runtime& rt, const std::string& id);

// `-f json`: a JSON array of pids, as containerd's shim parses it ("[12,13]"); "null" when there
// are none (a stopped container), byte for byte what runc 1.1.5 prints.
std::string PsJson(const std::vector<int>& pids);

// `-f table`: the output of `ps <ps_args>` (default "-ef", as runc) reduced to its header and the
// lines whose PID column holds one of `pids`. kNotFound when the output has no PID column.
base::Result<std::string> FilterPsTable(std::string_view ps_output, const std::vector<int>& pids);

// `-f table`. Without `ps_args`: the columns of `ps -ef` for `pids`, read from /proc by ocirun
// itself (ps_proc.h). With them: the host's `ps <ps_args>`, filtered (FilterPsTable), as runc does.
base::Result<std::string> PsTable(const std::vector<int>& pids, const std::vector<std::string>& ps_args);

}  // namespace ocirun
