#include "runtime/linux/namespaces.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>

#include "base/unique_fd.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

namespace ocirun::linux {

const std::vector<NamespaceInfo>& AllNamespaces() {
  static const std::vector<NamespaceInfo> kAll = {
      {"user", CLONE_NEWUSER, "user"}, {"pid", CLONE_NEWPID, "pid"},       {"network", CLONE_NEWNET, "net"},
      {"ipc", CLONE_NEWIPC, "ipc"},    {"uts", CLONE_NEWUTS, "uts"},       {"cgroup", CLONE_NEWCGROUP, "cgroup"},
      {"time", CLONE_NEWTIME, "time"}, {"mount", CLONE_NEWNS, "mnt"},
  };
  return kAll;
}

base::Result<NamespaceInfo> LookupNamespace(const std::string& oci_type) {
  for (const NamespaceInfo& n : AllNamespaces()) {
    if (oci_type == n.oci_type) return n;
  }
  return base::InvalidArgument("linux.namespaces: unknown namespace type \"" + oci_type + "\"");
}

base::Status JoinNamespaces(std::vector<NamespaceJoin> joins) {
  auto rank = [](const NamespaceJoin& j) {
    if (j.type == "user") return 0;
    if (j.type == "mount") return 2;
    return 1;
  };
  std::stable_sort(joins.begin(), joins.end(),
                   [&](const NamespaceJoin& a, const NamespaceJoin& b) { return rank(a) < rank(b); });
  // Open them all first: after joining the mount namespace, host paths no longer resolve.
  std::vector<base::UniqueFd> fds;
  for (const NamespaceJoin& j : joins) {
    base::UniqueFd fd(::open(j.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return base::ErrnoError("open " + j.type + " namespace " + j.path);
    fds.push_back(std::move(fd));
  }
  for (size_t i = 0; i < joins.size(); ++i) {
    ASSIGN_OR_RETURN(NamespaceInfo info, LookupNamespace(joins[i].type));
    if (::setns(fds[i].get(), info.clone_flag) != 0) {
      return base::ErrnoError("join " + joins[i].type + " namespace " + joins[i].path);
    }
  }
  return base::Status::Ok();
}

}  // namespace ocirun::linux
