// Internal: JSON field lists of the `linux` section structs (see json_map.h).
#pragma once

#include "specs/spec_linux.h"

namespace ocispec {

template <class V> void Fields(V& v, IdMapping& m) {
  v("containerID", m.container_id);
  v("hostID", m.host_id);
  v("size", m.size);
}
template <class V> void Fields(V& v, Namespace& n) {
  v("type", n.type);
  v("path", n.path);
}
template <class V> void Fields(V& v, TimeOffset& t) {
  v("secs", t.secs);
  v("nanosecs", t.nanosecs);
}
template <class V> void Fields(V& v, LinuxDevice& d) {
  v("type", d.type);
  v("path", d.path);
  v("major", d.major);
  v("minor", d.minor);
  v("fileMode", d.file_mode);
  v("uid", d.uid);
  v("gid", d.gid);
}
template <class V> void Fields(V& v, DeviceCgroupRule& d) {
  v("allow", d.allow);
  v("type", d.type);
  v("major", d.major);
  v("minor", d.minor);
  v("access", d.access);
}
template <class V> void Fields(V& v, LinuxMemory& m) {
  v("limit", m.limit);
  v("reservation", m.reservation);
  v("swap", m.swap);
  v("kernel", m.kernel);
  v("kernelTCP", m.kernel_tcp);
  v("swappiness", m.swappiness);
  v("disableOOMKiller", m.disable_oom_killer);
  v("useHierarchy", m.use_hierarchy);
  v("checkBeforeUpdate", m.check_before_update);
}
template <class V> void Fields(V& v, LinuxCpu& c) {
  v("shares", c.shares);
  v("quota", c.quota);
  v("burst", c.burst);
  v("period", c.period);
  v("realtimeRuntime", c.realtime_runtime);
  v("realtimePeriod", c.realtime_period);
  v("cpus", c.cpus);
  v("mems", c.mems);
  v("idle", c.idle);
}
template <class V> void Fields(V& v, WeightDevice& w) {
  v("major", w.major);
  v("minor", w.minor);
  v("weight", w.weight);
  v("leafWeight", w.leaf_weight);
}
template <class V> void Fields(V& v, ThrottleDevice& t) {
  v("major", t.major);
  v("minor", t.minor);
  v("rate", t.rate);
}
template <class V> void Fields(V& v, LinuxBlockIo& b) {
  v("weight", b.weight);
  v("leafWeight", b.leaf_weight);
  v("weightDevice", b.weight_device);
  v("throttleReadBpsDevice", b.throttle_read_bps_device);
  v("throttleWriteBpsDevice", b.throttle_write_bps_device);
  v("throttleReadIOPSDevice", b.throttle_read_iops_device);
  v("throttleWriteIOPSDevice", b.throttle_write_iops_device);
}
template <class V> void Fields(V& v, HugepageLimit& h) {
  v("pageSize", h.page_size);
  v("limit", h.limit);
}
template <class V> void Fields(V& v, NetPriority& p) {
  v("name", p.name);
  v("priority", p.priority);
}
template <class V> void Fields(V& v, LinuxNetwork& n) {
  v("classID", n.class_id);
  v("priorities", n.priorities);
}
template <class V> void Fields(V& v, LinuxPids& p) { v("limit", p.limit); }
template <class V> void Fields(V& v, RdmaLimit& r) {
  v("hcaHandles", r.hca_handles);
  v("hcaObjects", r.hca_objects);
}
template <class V> void Fields(V& v, LinuxResources& r) {
  v("devices", r.devices);
  v("memory", r.memory);
  v("cpu", r.cpu);
  v("blockIO", r.block_io);
  v("hugepageLimits", r.hugepage_limits);
  v("network", r.network);
  v("pids", r.pids);
  v("rdma", r.rdma);
  v("unified", r.unified);
}
template <class V> void Fields(V& v, IntelRdt& r) {
  v("closID", r.clos_id);
  v("l3CacheSchema", r.l3_cache_schema);
  v("memBwSchema", r.mem_bw_schema);
  v("schemata", r.schemata);
  v("enableMonitoring", r.enable_monitoring);
  v("enableCMT", r.enable_cmt);
  v("enableMBM", r.enable_mbm);
}
template <class V> void Fields(V& v, SeccompArg& a) {
  v("index", a.index);
  v("value", a.value);
  v("valueTwo", a.value_two);
  v("op", a.op);
}
template <class V> void Fields(V& v, SeccompSyscall& s) {
  v("names", s.names);
  v("action", s.action);
  v("errnoRet", s.errno_ret);
  v("args", s.args);
}
template <class V> void Fields(V& v, Seccomp& s) {
  v("defaultAction", s.default_action);
  v("defaultErrnoRet", s.default_errno_ret);
  v("architectures", s.architectures);
  v("flags", s.flags);
  v("listenerPath", s.listener_path);
  v("listenerMetadata", s.listener_metadata);
  v("syscalls", s.syscalls);
}
template <class V> void Fields(V& v, Personality& p) {
  v("domain", p.domain);
  v("flags", p.flags);
}
template <class V> void Fields(V& v, MemoryPolicy& m) {
  v("mode", m.mode);
  v("nodes", m.nodes);
  v("flags", m.flags);
}
template <class V> void Fields(V& v, NetDevice& n) { v("name", n.name); }
template <class V> void Fields(V& v, Linux& l) {
  v("namespaces", l.namespaces);
  v("uidMappings", l.uid_mappings);
  v("gidMappings", l.gid_mappings);
  v("timeOffsets", l.time_offsets);
  v("devices", l.devices);
  v("cgroupsPath", l.cgroups_path);
  v("resources", l.resources);
  v("intelRdt", l.intel_rdt);
  v("sysctl", l.sysctl);
  v("seccomp", l.seccomp);
  v("rootfsPropagation", l.rootfs_propagation);
  v("maskedPaths", l.masked_paths);
  v("readonlyPaths", l.readonly_paths);
  v("mountLabel", l.mount_label);
  v("personality", l.personality);
  v("memoryPolicy", l.memory_policy);
  v("netDevices", l.net_devices);
}

}  // namespace ocispec
