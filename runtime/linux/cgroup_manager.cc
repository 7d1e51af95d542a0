// CgroupBase (what v1 and v2 share: pids, kill, destroy, field writes) and the factories.
#include <algorithm>
#include <charconv>
#include <csignal>
#include <string>

#include "runtime/linux/cgroup_internal.h"

namespace ocirun::linux {
namespace internal {

std::chrono::microseconds PollDelay(int attempt) {
  return std::chrono::microseconds(attempt < 100 ? 1000 : 10000);
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\n");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\n");
  return std::string(s.substr(b, e - b + 1));
}

std::optional<int64_t> ParseInt(std::string_view s) {
  std::string t = Trim(s);
  int64_t v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
  return v;
}

std::vector<ThrottleList> ThrottleLists(const CgroupResources::BlockIo& b) {
  return {{"linux.resources.blockIO.throttleReadBpsDevice", "blkio.throttle.read_bps_device",
           "rbps", &b.throttle_read_bps},
          {"linux.resources.blockIO.throttleWriteBpsDevice", "blkio.throttle.write_bps_device",
           "wbps", &b.throttle_write_bps},
          {"linux.resources.blockIO.throttleReadIOPSDevice", "blkio.throttle.read_iops_device",
           "riops", &b.throttle_read_iops},
          {"linux.resources.blockIO.throttleWriteIOPSDevice", "blkio.throttle.write_iops_device",
           "wiops", &b.throttle_write_iops}};
}

std::string DeviceLine(int64_t major, int64_t minor, std::string_view value) {
  return std::to_string(major) + ":" + std::to_string(minor) + " " + std::string(value);
}

std::set<std::string> CgroupBase::DistinctDirs() const {
  std::set<std::string> dirs;
  for (const auto& [ctrl, dir] : paths_.dirs) dirs.insert(dir);
  return dirs;
}

base::Status CgroupBase::MakeDirs(const std::string& dir,
                                  const std::function<base::Status(const std::string&)>& on_new) {
  for (size_t pos = 1; pos <= dir.size(); ++pos) {
    if (pos != dir.size() && dir[pos] != '/') continue;
    std::string prefix = dir.substr(0, pos);
    if (os_.Exists(prefix)) continue;
    base::Status st = os_.MakeDir(prefix);
    if (!st.ok() && st.code() != base::Code::kAlreadyExists) return st;
    if (st.ok() && on_new) RETURN_IF_ERROR(on_new(prefix));
  }
  return base::Status::Ok();
}

base::Status CgroupBase::SetField(std::string_view field, const std::string& dir,
                                  std::string_view file, const std::string& value) {
  std::string f(field);
  if (dir.empty())
    return base::Unimplemented(f + ": this host has no cgroup controller for it");
  std::string path = dir + "/" + std::string(file);
  if (!os_.Exists(path))
    return base::Unimplemented(f + ": not supported on this host (no " + path + ")");
  return os_.Write(path, value).Wrap(f);
}

base::Result<bool> CgroupBase::PollUntil(int polls,
                                         const std::function<base::Result<bool>()>& done) {
  for (int i = 0; i < polls; ++i) {
    ASSIGN_OR_RETURN(bool ok, done());
    if (ok) return true;
    os_.Sleep(PollDelay(i));
  }
  return done();
}

base::Status CgroupBase::AddProcess(pid_t pid) {
  for (const std::string& dir : DistinctDirs())
    RETURN_IF_ERROR_CTX(os_.Write(dir + "/cgroup.procs", std::to_string(pid)),
                        "add pid " + std::to_string(pid) + " to cgroup");
  return base::Status::Ok();
}

base::Status CgroupBase::CollectPids(const std::string& dir, std::set<pid_t>& out) {
  auto text = os_.Read(dir + "/cgroup.procs");
  if (!text.ok()) return text.status();
  size_t pos = 0;
  const std::string& s = *text;
  while (pos < s.size()) {
    size_t end = s.find('\n', pos);
    if (end == std::string::npos) end = s.size();
    std::optional<int64_t> pid = ParseInt(std::string_view(s).substr(pos, end - pos));
    if (pid) out.insert(static_cast<pid_t>(*pid));
    pos = end + 1;
  }
  ASSIGN_OR_RETURN(std::vector<std::string> children, os_.SubDirs(dir));
  for (const std::string& child : children) RETURN_IF_ERROR(CollectPids(dir + "/" + child, out));
  return base::Status::Ok();
}

base::Result<std::vector<pid_t>> CgroupBase::Pids() {
  std::set<pid_t> pids;
  RETURN_IF_ERROR_CTX(CollectPids(PrimaryDir(), pids), "list cgroup pids");
  return std::vector<pid_t>(pids.begin(), pids.end());
}

base::Status CgroupBase::KillAll(int signo) {
  // Freezing first stops a fork loop from outrunning us (runc's signalAllProcesses).
  base::Status frozen = Freeze();
  if (!frozen.ok() && frozen.code() != base::Code::kUnimplemented) return frozen;
  auto pids = Pids();
  if (pids.ok()) {
    for (pid_t pid : *pids) {
      base::Status st = os_.Kill(pid, signo);
      if (!st.ok() && st.code() != base::Code::kNotFound) {
        if (frozen.ok()) Thaw().IgnoreError();
        return st;
      }
    }
  }
  if (frozen.ok()) RETURN_IF_ERROR(Thaw());
  return pids.status();
}

base::Status CgroupBase::RemoveTree(const std::string& dir) {
  auto children = os_.SubDirs(dir);
  if (!children.ok()) {
    return children.status().code() == base::Code::kNotFound ? base::Status::Ok()
                                                             : children.status();
  }
  for (const std::string& child : *children) RETURN_IF_ERROR(RemoveTree(dir + "/" + child));
  base::Status last;
  auto removed = PollUntil(kRemovePolls, [&]() -> base::Result<bool> {
    last = os_.RemoveDir(dir);
    if (last.ok() || last.code() == base::Code::kNotFound) return true;
    if (last.os_error() == EBUSY) return false;
    return last;
  });
  if (!removed.ok()) return removed.status();
  if (!*removed) return base::Timeout("remove cgroup " + dir + ": processes remain (" +
                                      last.message() + ")");
  return base::Status::Ok();
}

base::Status CgroupBase::Destroy() {
  base::Status first;
  for (const std::string& dir : DistinctDirs()) {
    base::Status st = RemoveTree(dir);
    if (!st.ok() && first.ok()) first = st;
  }
  return first;
}

}  // namespace internal

base::Result<std::unique_ptr<CgroupManager>> LoadCgroupManager(const CgroupPaths& paths,
                                                               CgroupOs& os) {
  for (const auto& [ctrl, dir] : paths.dirs)
    if (dir.empty() || dir[0] != '/')
      return base::InvalidArgument("cgroup path for " + ctrl + " is not absolute: \"" + dir + "\"");
  if (paths.layout == CgroupLayout::kV2) {
    if (!paths.dirs.count("unified"))
      return base::InvalidArgument("cgroup v2 paths lack the \"unified\" directory");
    return internal::NewV2Manager(paths, os);
  }
  return internal::NewV1Manager(paths, os);
}

base::Result<std::unique_ptr<CgroupManager>> NewCgroupManager(const CgroupConfig& config,
                                                              CgroupOs& os) {
  ASSIGN_OR_RETURN(CgroupPaths paths, ResolveCgroupPaths(config, os));
  return LoadCgroupManager(paths, os);
}

}  // namespace ocirun::linux
