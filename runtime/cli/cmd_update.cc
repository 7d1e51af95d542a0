// ocirun update <id> [-r file|-] [per-field flags]: change a container's cgroup resources.
#include <iostream>
#include <iterator>

#include "base/file.h"
#include "runtime/cli/command.h"
#include "runtime/container/update.h"

namespace ocirun::cli {

struct UpdateCli {
  std::string id;
  std::string resources;  // file, "-" for stdin
  UpdateFlags flags;
};

namespace {

void AddFieldFlags(CLI::App* sub, UpdateFlags& f) {
  sub->add_option("--memory", f.memory, "memory limit (bytes, or 64m, 1g; -1 unlimited)");
  sub->add_option("--memory-reservation", f.memory_reservation, "memory soft limit");
  sub->add_option("--memory-swap", f.memory_swap, "memory plus swap limit (-1 unlimited)");
  sub->add_option("--kernel-memory", f.kernel_memory, "kernel memory limit (deprecated)");
  sub->add_option("--kernel-memory-tcp", f.kernel_memory_tcp, "kernel TCP buffer limit");
  sub->add_option("--cpu-share,--cpu-shares", f.cpu_shares, "CPU shares (relative weight)");
  sub->add_option("--cpu-quota", f.cpu_quota, "CPU CFS quota in microseconds (-1 unlimited)");
  sub->add_option("--cpu-period", f.cpu_period, "CPU CFS period in microseconds");
  sub->add_option("--cpu-burst", f.cpu_burst, "CPU CFS burst in microseconds");
  sub->add_option("--cpu-rt-period", f.cpu_rt_period, "CPU realtime period in microseconds");
  sub->add_option("--cpu-rt-runtime", f.cpu_rt_runtime, "CPU realtime runtime in microseconds");
  sub->add_option("--cpuset-cpus", f.cpuset_cpus, "CPUs allowed (0-3, 0,1)");
  sub->add_option("--cpuset-mems", f.cpuset_mems, "memory nodes allowed (0-3, 0,1)");
  sub->add_option("--pids-limit", f.pids_limit, "maximum number of pids (<= 0 unlimited)");
  sub->add_option("--blkio-weight", f.blkio_weight, "block IO weight (10-1000)");
}

base::Result<nlohmann::json> ReadResources(const UpdateCli& c) {
  if (c.resources.empty()) return ResourcesFromFlags(c.flags);
  if (c.flags.any())
    return base::InvalidArgument("--resources cannot be combined with the per-field flags");
  if (c.resources == "-") {
    std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    return ParseResourcesDocument("--resources -", text);
  }
  ASSIGN_OR_RETURN_CTX(std::string text, base::ReadFile(c.resources), "--resources");
  return ParseResourcesDocument("--resources " + c.resources, text);
}

}  // namespace

CommandRun RegisterUpdate(CLI::App& app, GlobalOptions& global) {
  auto c = std::make_shared<UpdateCli>();
  auto* sub = app.add_subcommand("update", "update container resource constraints");
  sub->add_option("id", c->id, "container id")->required();
  sub->add_option("-r,--resources", c->resources,
                  "LinuxResources JSON file, or - for stdin (replaces the per-field flags)");
  AddFieldFlags(sub, c->flags);
  return [&global, c] {
    auto resources = ReadResources(*c);
    if (!resources.ok()) return ReportError(global, resources.status());
    base::Status st = Update(GetRuntime(global), c->id, *resources);
    return st.ok() ? 0 : ReportError(global, st);
  };
}

}  // namespace ocirun::cli
