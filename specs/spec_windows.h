// The `windows` section of config.json (config-windows.md), runtime-spec 1.0 to 1.3.
// Conventions as in specs/spec.h: optional where absence matters, `extra` keeps unknown keys.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ocispec {

// windows.devices entry: id with idType "class" (a device interface class GUID).
struct WindowsDevice {
  std::string id;
  std::string id_type;  // JSON "idType"
  nlohmann::json extra;
};

struct WindowsMemory {
  std::optional<uint64_t> limit;  // bytes
  nlohmann::json extra;
};

// windows.resources.cpu.affinity entry (1.2+): a processor mask within a group.
struct WindowsCpuGroupAffinity {
  uint64_t mask = 0;
  uint32_t group = 0;
  nlohmann::json extra;
};

// count, shares and maximum are mutually exclusive for process isolation (hcsshim).
struct WindowsCpu {
  std::optional<uint64_t> count;
  std::optional<uint16_t> shares;   // 0..10000
  std::optional<uint16_t> maximum;  // percent x 100, 1..10000
  std::vector<WindowsCpuGroupAffinity> affinity;
  nlohmann::json extra;
};

struct WindowsStorage {
  std::optional<uint64_t> iops;
  std::optional<uint64_t> bps;
  std::optional<uint64_t> sandbox_size;
  nlohmann::json extra;
};

struct WindowsResources {
  std::optional<WindowsMemory> memory;
  std::optional<WindowsCpu> cpu;
  std::optional<WindowsStorage> storage;
  nlohmann::json extra;
};

// windows.hyperv: present means the container MUST run Hyper-V isolated.
struct WindowsHyperV {
  std::optional<std::string> utility_vm_path;  // JSON "utilityVMPath"
  nlohmann::json extra;
};

struct WindowsNetwork {
  std::vector<std::string> endpoint_list;
  std::optional<bool> allow_unqualified_dns_query;  // JSON "allowUnqualifiedDNSQuery"
  std::vector<std::string> dns_search_list;         // JSON "DNSSearchList"
  std::optional<std::string> network_shared_container_name;
  std::optional<std::string> network_namespace;
  nlohmann::json extra;
};

struct Windows {
  // REQUIRED, >= 1 entry: topmost layer first, base layer next-to-last, scratch last.
  std::vector<std::string> layer_folders;
  std::vector<WindowsDevice> devices;
  std::optional<WindowsResources> resources;
  std::optional<nlohmann::json> credential_spec;  // opaque object
  std::optional<bool> servicing;
  std::optional<bool> ignore_flushes_during_boot;
  std::optional<WindowsHyperV> hyperv;
  std::optional<WindowsNetwork> network;
  nlohmann::json extra;
};

}  // namespace ocispec
