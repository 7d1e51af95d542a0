#include <algorithm>
#include <cctype>

#include "runtime/hcs/translate_internal.h"

namespace ocirun::hcs::internal {
namespace {

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

bool ReadOnly(const ocispec::Mount& m) {
  return std::any_of(m.options.begin(), m.options.end(), [](const std::string& o) {
    return o.size() == 2 && std::tolower(static_cast<unsigned char>(o[0])) == 'r' &&
           std::tolower(static_cast<unsigned char>(o[1])) == 'o';
  });
}

// hcsshim prints the mount with %+v; we name it by index and fields.
std::string Describe(size_t i, const ocispec::Mount& m) {
  return "mounts[" + std::to_string(i) + "] {Destination:" + m.destination +
         " Type:" + m.type.value_or("") + " Source:" + m.source.value_or("") + "}";
}

}  // namespace

nlohmann::json SchemaVersion2() { return {{"Major", 2}, {"Minor", 1}}; }

base::Status CheckWindowsBasics(const ocispec::Spec& spec) {
  if (!spec.windows) return base::InvalidArgument("invalid OCI spec - windows section is required for a Windows container");
  if (spec.windows->layer_folders.size() < 2) {
    return base::InvalidArgument("invalid OCI spec - windows.layerFolders needs at least 2 entries (a read-only layer "
                                 "and the scratch layer), got " +
                                 std::to_string(spec.windows->layer_folders.size()));
  }
  if (!spec.root) return base::InvalidArgument("spec is invalid - root isn't populated");
  if (spec.root->readonly.value_or(false)) {
    return base::InvalidArgument("invalid container spec - readonly is not supported for Windows containers");
  }
  return base::Status::Ok();
}

base::Result<CpuLimits> Cpu(const ocispec::Spec& spec, const TranslateOptions& opts) {
  CpuLimits c;
  if (!spec.windows || !spec.windows->resources || !spec.windows->resources->cpu) return c;
  const ocispec::WindowsCpu& cpu = *spec.windows->resources->cpu;
  c.count = static_cast<int>(cpu.count.value_or(0));
  c.maximum = cpu.maximum.value_or(0);
  c.weight = cpu.shares.value_or(0);
  int set = (c.count > 0) + (c.maximum > 0) + (c.weight > 0);
  if (set > 1) {
    return base::InvalidArgument("invalid spec - Windows Process Container CPU Count: '" + std::to_string(c.count) +
                                 "', Limit: '" + std::to_string(c.maximum) + "', and Weight: '" +
                                 std::to_string(c.weight) + "' are mutually exclusive");
  }
  // hcsshim lowers a count above the host's (or the utility VM's) processors to that number.
  if (opts.host_processors > 0 && c.count > opts.host_processors) c.count = opts.host_processors;
  return c;
}

uint64_t MemoryMB(const ocispec::Spec& spec) {
  if (!spec.windows || !spec.windows->resources || !spec.windows->resources->memory) return 0;
  return spec.windows->resources->memory->limit.value_or(0) / (1024 * 1024);
}

base::Result<Mounts> MapMounts(const ocispec::Spec& spec, const TranslateOptions& opts, bool hosted) {
  Mounts out;
  for (size_t i = 0; i < spec.mounts.size(); ++i) {
    const ocispec::Mount& m = spec.mounts[i];
    const std::string source = m.source.value_or("");
    if (m.destination.empty() || source.empty()) {
      return base::InvalidArgument("invalid OCI spec - a mount must have both source and a destination: " +
                                   Describe(i, m));
    }
    if (m.type && !m.type->empty()) {
      return base::InvalidArgument("invalid container spec - Mount.Type '" + *m.type + "' must not be set (" +
                                   Describe(i, m) + ")");
    }
    if (StartsWithNoCase(source, kPipePrefix)) {
      std::string pipe = source.substr(std::string_view(kPipePrefix).size());
      std::string host = hosted ? std::string(kVsmbPrefix) + "IPC$\\" + pipe : source;
      std::string name = StartsWithNoCase(m.destination, kPipePrefix)
                             ? m.destination.substr(std::string_view(kPipePrefix).size())
                             : m.destination;
      out.pipes.push_back({{"ContainerPipeName", name}, {"HostPath", host}});
      continue;
    }
    std::string host = hosted ? std::string(kVsmbPrefix) + "m" + std::to_string(i) : source;
    out.directories.push_back({{"HostPath", host}, {"ContainerPath", m.destination}, {"ReadOnly", ReadOnly(m)}});
  }
  return out;
}

std::string JoinDnsSearchList(const std::vector<std::string>& list) {
  std::string joined;
  for (const std::string& d : list) joined += (joined.empty() ? "" : ",") + d;
  return joined;
}

nlohmann::json Networking(const ocispec::Spec& spec, const TranslateOptions& opts) {
  if (!spec.windows || !spec.windows->network) return nullptr;
  const ocispec::WindowsNetwork& n = *spec.windows->network;
  nlohmann::json net = nlohmann::json::object();
  std::string ns = !opts.network_namespace.empty() ? opts.network_namespace : n.network_namespace.value_or("");
  if (!ns.empty()) net["Namespace"] = ns;
  if (n.allow_unqualified_dns_query.value_or(false)) net["AllowUnqualifiedDnsQuery"] = true;
  if (!n.dns_search_list.empty()) net["DnsSearchList"] = JoinDnsSearchList(n.dns_search_list);
  if (n.network_shared_container_name && !n.network_shared_container_name->empty()) {
    net["NetworkSharedContainerName"] = *n.network_shared_container_name;
  }
  return net;
}

base::Result<nlohmann::json> Layers(const ocispec::Spec& spec, const TranslateOptions& opts, bool hosted) {
  nlohmann::json layers = nlohmann::json::array();
  const auto& folders = spec.windows->layer_folders;
  for (size_t i = 0; i + 1 < folders.size(); ++i) {
    ASSIGN_OR_RETURN_CTX(std::string id, opts.layer_id(folders[i]),
                         "layer id of windows.layerFolders[" + std::to_string(i) + "]");
    std::string path = hosted ? std::string(kVsmbPrefix) + id : folders[i];
    layers.push_back({{"Id", id}, {"Path", path}});
  }
  return layers;
}

std::string UtilityVmImagePath(const ocispec::Spec& spec) {
  if (spec.windows->hyperv && spec.windows->hyperv->utility_vm_path && !spec.windows->hyperv->utility_vm_path->empty()) {
    return *spec.windows->hyperv->utility_vm_path;
  }
  const auto& folders = spec.windows->layer_folders;
  std::string base = folders.size() >= 2 ? folders[folders.size() - 2] : std::string();
  while (!base.empty() && (base.back() == '\\' || base.back() == '/')) base.pop_back();
  return base + "\\UtilityVM";
}

}  // namespace ocirun::hcs::internal

namespace ocirun::hcs {

base::Status HostBuildSupported(uint32_t host_build) {
  if (pod::SupportsSchemaV2(host_build)) return base::Status::Ok();
  return base::Unimplemented("Windows " + pod::DescribeBuild(host_build) +
                             " is not supported: ocirun needs Windows Server 2019 / Windows 10 1809, " +
                             pod::DescribeBuild(pod::kRS5) +
                             " or later (computecore.dll and HCS schema v2; older builds have only "
                             "vmcompute.dll's schema v1, which runhcs drives and ocirun does not)");
}

}  // namespace ocirun::hcs
