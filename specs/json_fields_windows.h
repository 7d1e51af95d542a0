// Internal: JSON field lists of the `windows` section structs (see json_map.h).
#pragma once

#include "specs/spec_windows.h"

namespace ocispec {

template <class V> void Fields(V& v, WindowsDevice& d) {
  v("id", d.id);
  v("idType", d.id_type);
}
template <class V> void Fields(V& v, WindowsMemory& m) { v("limit", m.limit); }
template <class V> void Fields(V& v, WindowsCpuGroupAffinity& a) {
  v("mask", a.mask);
  v("group", a.group);
}
template <class V> void Fields(V& v, WindowsCpu& c) {
  v("count", c.count);
  v("shares", c.shares);
  v("maximum", c.maximum);
  v("affinity", c.affinity);
}
template <class V> void Fields(V& v, WindowsStorage& s) {
  v("iops", s.iops);
  v("bps", s.bps);
  v("sandboxSize", s.sandbox_size);
}
template <class V> void Fields(V& v, WindowsResources& r) {
  v("memory", r.memory);
  v("cpu", r.cpu);
  v("storage", r.storage);
}
template <class V> void Fields(V& v, WindowsHyperV& h) { v("utilityVMPath", h.utility_vm_path); }
template <class V> void Fields(V& v, WindowsNetwork& n) {
  v("endpointList", n.endpoint_list);
  v("allowUnqualifiedDNSQuery", n.allow_unqualified_dns_query);
  v("DNSSearchList", n.dns_search_list);
  v("networkSharedContainerName", n.network_shared_container_name);
  v("networkNamespace", n.network_namespace);
}
template <class V> void Fields(V& v, Windows& w) {
  v("layerFolders", w.layer_folders);
  v("devices", w.devices);
  v("resources", w.resources);
  v("credentialSpec", w.credential_spec);
  v("servicing", w.servicing);
  v("ignoreFlushesDuringBoot", w.ignore_flushes_during_boot);
  v("hyperv", w.hyperv);
  v("network", w.network);
}

}  // namespace ocispec
