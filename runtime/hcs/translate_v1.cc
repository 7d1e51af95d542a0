// Schema v1 documents (vmcompute, hosts before RS5), as hcsshim's schema1.ContainerConfig marshals them.
#include "runtime/hcs/translate.h"
#include "runtime/hcs/translate_internal.h"

namespace ocirun::hcs {
namespace {

nlohmann::json V1Layers(const nlohmann::json& v2_layers) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& l : v2_layers) out.push_back({{"ID", l.at("Id")}, {"Path", l.at("Path")}});
  return out;
}

nlohmann::json V1Mounts(const internal::Mounts& m, nlohmann::json& pipes) {
  nlohmann::json dirs = nlohmann::json::array();
  for (const auto& d : m.directories) {
    dirs.push_back({{"HostPath", d.at("HostPath")},
                    {"ContainerPath", d.at("ContainerPath")},
                    {"ReadOnly", d.at("ReadOnly")},
                    {"BandwidthMaximum", 0},
                    {"IOPSMaximum", 0},
                    {"CreateInUtilityVM", false}});
  }
  pipes = m.pipes;
  return dirs;
}

void AddV1Resources(const ocispec::Spec& spec, const internal::CpuLimits& cpu, nlohmann::json& doc) {
  if (cpu.count) doc["ProcessorCount"] = cpu.count;
  if (cpu.maximum) doc["ProcessorMaximum"] = cpu.maximum;
  if (cpu.weight) doc["ProcessorWeight"] = cpu.weight;
  if (uint64_t mb = internal::MemoryMB(spec)) doc["MemoryMaximumInMB"] = mb;
  if (spec.windows->resources && spec.windows->resources->storage) {
    const ocispec::WindowsStorage& s = *spec.windows->resources->storage;
    if (s.iops.value_or(0)) doc["StorageIOPSMaximum"] = *s.iops;
    if (s.bps.value_or(0)) doc["StorageBandwidthMaximum"] = *s.bps;
    if (s.sandbox_size.value_or(0)) doc["StorageSandboxSize"] = *s.sandbox_size;
  }
}

void AddV1Network(const ocispec::Spec& spec, nlohmann::json& doc) {
  if (!spec.windows->network) return;
  const ocispec::WindowsNetwork& n = *spec.windows->network;
  if (!n.endpoint_list.empty()) doc["EndpointList"] = n.endpoint_list;
  if (n.allow_unqualified_dns_query.value_or(false)) doc["AllowUnqualifiedDNSQuery"] = true;
  if (!n.dns_search_list.empty()) doc["DNSSearchList"] = internal::JoinDnsSearchList(n.dns_search_list);
  if (n.network_shared_container_name && !n.network_shared_container_name->empty()) {
    doc["NetworkSharedContainerName"] = *n.network_shared_container_name;
  }
}

}  // namespace

base::Result<nlohmann::json> ContainerDocumentV1(const ocispec::Spec& spec, const TranslateOptions& opts) {
  if (spec.linux) return base::InvalidArgument("Linux containers need schema v2 (RS5 or later)");
  RETURN_IF_ERROR(internal::CheckWindowsBasics(spec));
  const bool hyperv = spec.windows->hyperv.has_value();
  nlohmann::json doc = {{"SystemType", "Container"}, {"Name", opts.id}, {"Owner", opts.owner}};
  doc["LayerFolderPath"] = spec.windows->layer_folders.back();
  ASSIGN_OR_RETURN(nlohmann::json layers, internal::Layers(spec, opts, /*hosted=*/false));
  doc["Layers"] = V1Layers(layers);
  doc["HvPartition"] = hyperv;
  if (hyperv) {
    doc["HvRuntime"] = {{"ImagePath", internal::UtilityVmImagePath(spec)}};
  } else {
    std::string volume = spec.root->path;
    while (!volume.empty() && volume.back() == '\\') volume.pop_back();  // v1 wants no trailing backslash
    if (volume.empty()) return base::InvalidArgument("invalid container spec - Root.Path (the scratch volume) is empty");
    doc["VolumePath"] = volume;
  }
  if (spec.hostname && !spec.hostname->empty()) doc["HostName"] = *spec.hostname;
  ASSIGN_OR_RETURN(internal::CpuLimits cpu, internal::Cpu(spec, opts));
  AddV1Resources(spec, cpu, doc);
  ASSIGN_OR_RETURN(internal::Mounts mounts, internal::MapMounts(spec, opts, /*hosted=*/false));
  nlohmann::json pipes;
  if (nlohmann::json dirs = V1Mounts(mounts, pipes); !dirs.empty()) doc["MappedDirectories"] = dirs;
  if (!pipes.empty()) doc["MappedPipes"] = pipes;
  AddV1Network(spec, doc);
  if (spec.windows->credential_spec && spec.windows->credential_spec->is_string()) {
    doc["Credentials"] = spec.windows->credential_spec->get<std::string>();
  }
  if (spec.windows->ignore_flushes_during_boot.value_or(false)) doc["IgnoreFlushesDuringBoot"] = true;
  if (spec.windows->servicing.value_or(false)) doc["Servicing"] = true;
  if (!spec.windows->devices.empty()) {
    return base::InvalidArgument("device assignment is currently only supported for HCS schema V2 argon");
  }
  doc["TerminateOnLastHandleClosed"] = true;
  return doc;
}

}  // namespace ocirun::hcs
