#include <regex>

#include "runtime/hcs/translate.h"
#include "runtime/hcs/translate_internal.h"
#include "specs/parse.h"

namespace ocirun::hcs {
namespace {

using internal::SchemaVersion2;

// hcsshim's volumeGUIDRegex: \\?\Volume{GUID} with or without the trailing backslash.
bool IsVolumeGuidPath(const std::string& path) {
  static const std::regex kVolume(
      R"(^\\\\\?\\(Volume)\{{0,1}[0-9a-fA-F]{8}\-[0-9a-fA-F]{4}\-[0-9a-fA-F]{4}\-[0-9a-fA-F]{4}\-[0-9a-fA-F]{12}(\}){0,1}\}(|\\)$)");
  return std::regex_match(path, kVolume);
}

base::Result<std::string> ProcessIsolatedRoot(const ocispec::Spec& spec) {
  std::string root = spec.root->path;
  if (!IsVolumeGuidPath(root)) {
    return base::InvalidArgument("invalid container spec - Root.Path '" + root +
                                 "' must be a volume GUID path in the format '\\\\?\\Volume{GUID}\\'");
  }
  if (root.back() != '\\') root += '\\';
  return root;
}

base::Result<nlohmann::json> AssignedDevices(const ocispec::Spec& spec, bool hosted) {
  nlohmann::json devices = nlohmann::json::array();
  if (spec.windows->devices.empty()) return devices;
  if (hosted) return base::InvalidArgument("device assignment is currently only supported for HCS schema V2 argon");
  for (const ocispec::WindowsDevice& d : spec.windows->devices) {
    if (d.id_type == "vpci-location-path") {
      devices.push_back({{"Type", "DeviceInstance"}, {"LocationPath", d.id}});
    } else if (d.id_type == "class" || d.id_type == "vpci-class-guid") {
      devices.push_back({{"InterfaceClassGuid", d.id}});
    } else {
      return base::InvalidArgument("specified device " + d.id + " has unsupported type " + d.id_type);
    }
  }
  return devices;
}

void AddResources(const internal::CpuLimits& cpu, uint64_t memory_mb, nlohmann::json& c) {
  if (cpu.count || cpu.maximum || cpu.weight) {
    nlohmann::json p = nlohmann::json::object();
    if (cpu.count) p["Count"] = cpu.count;
    if (cpu.maximum) p["Maximum"] = cpu.maximum;
    if (cpu.weight) p["Weight"] = cpu.weight;
    c["Processor"] = p;
  }
  if (memory_mb) c["Memory"] = {{"SizeInMB", memory_mb}};
}

nlohmann::json StorageQos(const ocispec::Spec& spec) {
  if (!spec.windows->resources || !spec.windows->resources->storage) return nullptr;
  const ocispec::WindowsStorage& s = *spec.windows->resources->storage;
  uint64_t iops = s.iops.value_or(0), bps = s.bps.value_or(0);
  if (!iops && !bps) return nullptr;
  nlohmann::json q = nlohmann::json::object();
  if (iops) q["IopsMaximum"] = iops;
  if (bps) q["BandwidthMaximum"] = bps;
  return q;
}

// The Container object shared by process-isolated and hosted documents. In a hosted container the
// processors and memory belong to the utility VM document, not to the container.
base::Result<nlohmann::json> WindowsContainer(const ocispec::Spec& spec, const TranslateOptions& opts, bool hosted) {
  RETURN_IF_ERROR(internal::CheckWindowsBasics(spec));
  nlohmann::json c = nlohmann::json::object();
  if (spec.hostname && !spec.hostname->empty()) c["GuestOs"] = {{"HostName", *spec.hostname}};
  ASSIGN_OR_RETURN(internal::CpuLimits cpu, internal::Cpu(spec, opts));
  if (!hosted) AddResources(cpu, internal::MemoryMB(spec), c);

  nlohmann::json storage = nlohmann::json::object();
  ASSIGN_OR_RETURN(storage["Layers"], internal::Layers(spec, opts, hosted));
  if (hosted) {
    storage["Path"] = "C:\\c\\" + opts.id + "\\";  // the scratch disk, attached by SCSI and mounted here
  } else {
    ASSIGN_OR_RETURN(storage["Path"], ProcessIsolatedRoot(spec));
  }
  if (nlohmann::json qos = StorageQos(spec); !qos.is_null()) storage["QoS"] = qos;
  c["Storage"] = storage;

  ASSIGN_OR_RETURN(internal::Mounts mounts, internal::MapMounts(spec, opts, hosted));
  if (!mounts.directories.empty()) c["MappedDirectories"] = mounts.directories;
  if (!mounts.pipes.empty()) c["MappedPipes"] = mounts.pipes;
  if (nlohmann::json net = internal::Networking(spec, opts); !net.is_null()) c["Networking"] = net;
  ASSIGN_OR_RETURN(nlohmann::json devices, AssignedDevices(spec, hosted));
  if (!devices.empty()) c["AssignedDevices"] = devices;
  return c;
}

nlohmann::json Envelope(const TranslateOptions& opts) {
  return {{"Owner", opts.owner}, {"SchemaVersion", SchemaVersion2()}, {"ShouldTerminateOnLastHandleClosed", true}};
}

base::Result<nlohmann::json> LinuxHosted(const ocispec::Spec& spec, const TranslateOptions& opts) {
  if (opts.hosting_system_id.empty()) {
    return base::InvalidArgument("a Linux container (spec.linux) runs only in a utility VM: no hosting system given");
  }
  // The guest (GCS) receives the OCI spec with the host-only parts removed; it mounts the layers at
  // the bundle's rootfs.
  ocispec::Spec guest = spec;
  guest.windows.reset();
  guest.hooks.reset();
  const std::string bundle = "/run/gcs/c/" + opts.id;
  guest.root = ocispec::Root{bundle + "/rootfs", spec.root ? spec.root->readonly : std::nullopt, nullptr};
  nlohmann::json doc = Envelope(opts);
  doc["HostingSystemId"] = opts.hosting_system_id;
  doc["HostedSystem"] = {{"SchemaVersion", SchemaVersion2()},
                         {"OciBundlePath", bundle},
                         {"OciSpecification", ocispec::ToJson(guest)},
                         {"ScratchDirPath", bundle + "/scratch"}};
  return doc;
}

}  // namespace

base::Result<nlohmann::json> ContainerDocument(const ocispec::Spec& spec, const TranslateOptions& opts) {
  if (opts.id.empty()) return base::InvalidArgument("container id is empty");
  if (spec.linux) return LinuxHosted(spec, opts);
  RETURN_IF_ERROR(HostBuildSupported(opts.host_build));
  const bool hosted = !opts.hosting_system_id.empty();
  ASSIGN_OR_RETURN(nlohmann::json container, WindowsContainer(spec, opts, hosted));
  nlohmann::json doc = Envelope(opts);
  if (!hosted) {
    doc["Container"] = std::move(container);
    return doc;
  }
  doc["HostingSystemId"] = opts.hosting_system_id;
  doc["HostedSystem"] = {{"SchemaVersion", SchemaVersion2()}, {"Container", std::move(container)}};
  return doc;
}

}  // namespace ocirun::hcs
