// Internal: JSON field lists of the config, state and features structs (see json_map.h).
#pragma once

#include "specs/json_fields_linux.h"
#include "specs/json_fields_windows.h"
#include "specs/spec.h"
#include "specs/state.h"

namespace ocispec {

template <class V> void Fields(V& v, ConsoleSize& c) {
  v("height", c.height);
  v("width", c.width);
}
template <class V> void Fields(V& v, User& u) {
  v("uid", u.uid);
  v("gid", u.gid);
  v("umask", u.umask);
  v("additionalGids", u.additional_gids);
  v("username", u.username);
}
template <class V> void Fields(V& v, Capabilities& c) {
  v("bounding", c.bounding);
  v("effective", c.effective);
  v("inheritable", c.inheritable);
  v("permitted", c.permitted);
  v("ambient", c.ambient);
}
template <class V> void Fields(V& v, Rlimit& r) {
  v("type", r.type);
  v("hard", r.hard);
  v("soft", r.soft);
}
template <class V> void Fields(V& v, IoPriority& p) {
  v("class", p.io_class);
  v("priority", p.priority);
}
template <class V> void Fields(V& v, Scheduler& s) {
  v("policy", s.policy);
  v("nice", s.nice);
  v("priority", s.priority);
  v("flags", s.flags);
  v("runtime", s.runtime);
  v("deadline", s.deadline);
  v("period", s.period);
}
template <class V> void Fields(V& v, ExecCpuAffinity& a) {
  v("initial", a.initial);
  v("final", a.final_cpus);
}
template <class V> void Fields(V& v, Process& p) {
  v("terminal", p.terminal);
  v("consoleSize", p.console_size);
  v("user", p.user);
  v("args", p.args);
  v("commandLine", p.command_line);
  v("env", p.env);
  v("cwd", p.cwd);
  v("capabilities", p.capabilities);
  v("rlimits", p.rlimits);
  v("noNewPrivileges", p.no_new_privileges);
  v("apparmorProfile", p.apparmor_profile);
  v("oomScoreAdj", p.oom_score_adj);
  v("selinuxLabel", p.selinux_label);
  v("ioPriority", p.io_priority);
  v("scheduler", p.scheduler);
  v("execCPUAffinity", p.exec_cpu_affinity);
}
template <class V> void Fields(V& v, Root& r) {
  v("path", r.path);
  v("readonly", r.readonly);
}
template <class V> void Fields(V& v, Mount& m) {
  v("destination", m.destination);
  v("type", m.type);
  v("source", m.source);
  v("options", m.options);
  v("uidMappings", m.uid_mappings);
  v("gidMappings", m.gid_mappings);
}
template <class V> void Fields(V& v, Hook& h) {
  v("path", h.path);
  v("args", h.args);
  v("env", h.env);
  v("timeout", h.timeout);
}
template <class V> void Fields(V& v, Hooks& h) {
  v("prestart", h.prestart);
  v("createRuntime", h.create_runtime);
  v("createContainer", h.create_container);
  v("startContainer", h.start_container);
  v("poststart", h.poststart);
  v("poststop", h.poststop);
}
template <class V> void Fields(V& v, VmHypervisor& h) {
  v("path", h.path);
  v("parameters", h.parameters);
}
template <class V> void Fields(V& v, VmKernel& k) {
  v("path", k.path);
  v("parameters", k.parameters);
  v("initrd", k.initrd);
}
template <class V> void Fields(V& v, VmImage& i) {
  v("path", i.path);
  v("format", i.format);
}
template <class V> void Fields(V& v, Vm& m) {
  v("hypervisor", m.hypervisor);
  v("kernel", m.kernel);
  v("image", m.image);
}
template <class V> void Fields(V& v, Spec& s) {
  v("ociVersion", s.oci_version);
  v("process", s.process);
  v("root", s.root);
  v("hostname", s.hostname);
  v("domainname", s.domainname);
  v("mounts", s.mounts);
  v("hooks", s.hooks);
  v("annotations", s.annotations);
  v("linux", s.linux);
  v("windows", s.windows);
  v("vm", s.vm);
}

template <class V> void Fields(V& v, State& s) {
  v("ociVersion", s.oci_version);
  v("id", s.id);
  v("status", s.status);
  v("pid", s.pid);
  v("bundle", s.bundle);
  v("annotations", s.annotations);
}
template <class V> void Fields(V& v, FeatureEnabled& f) { v("enabled", f.enabled); }
template <class V> void Fields(V& v, CgroupFeatures& c) {
  v("v1", c.v1);
  v("v2", c.v2);
  v("systemd", c.systemd);
  v("systemdUser", c.systemd_user);
  v("rdma", c.rdma);
}
template <class V> void Fields(V& v, SeccompFeatures& s) {
  v("enabled", s.enabled);
  v("actions", s.actions);
  v("operators", s.operators);
  v("archs", s.archs);
  v("knownFlags", s.known_flags);
  v("supportedFlags", s.supported_flags);
}
template <class V> void Fields(V& v, MountExtensions& m) { v("idmap", m.idmap); }
template <class V> void Fields(V& v, LinuxFeatures& l) {
  v("namespaces", l.namespaces);
  v("capabilities", l.capabilities);
  v("cgroup", l.cgroup);
  v("seccomp", l.seccomp);
  v("apparmor", l.apparmor);
  v("selinux", l.selinux);
  v("intelRdt", l.intel_rdt);
  v("mountExtensions", l.mount_extensions);
}
template <class V> void Fields(V& v, Features& f) {
  v("ociVersionMin", f.oci_version_min);
  v("ociVersionMax", f.oci_version_max);
  v("hooks", f.hooks);
  v("mountOptions", f.mount_options);
  v("linux", f.linux);
  v("annotations", f.annotations);
  v("potentiallyUnsafeConfigAnnotations", f.potentially_unsafe_config_annotations);
}

}  // namespace ocispec
