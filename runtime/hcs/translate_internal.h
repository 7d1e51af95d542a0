// Pieces shared by the translate_*.cc files. Not a public header.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "runtime/hcs/translate.h"

namespace ocirun::hcs::internal {

inline constexpr const char* kPipePrefix = "\\\\.\\pipe\\";
// hcsshim's VSMB share root inside a Windows utility VM.
inline constexpr const char* kVsmbPrefix = "\\\\?\\VMSMB\\VSMB-{dcc079ae-60ba-4d07-847c-3493609c0870}\\";

nlohmann::json SchemaVersion2();  // {"Major": 2, "Minor": 1}

// windows section present, >= 2 layer folders (one read-only layer + scratch), root not readonly.
base::Status CheckWindowsBasics(const ocispec::Spec& spec);

struct CpuLimits {
  int count = 0;    // processors
  int maximum = 0;  // percent x 100
  int weight = 0;   // 0..10000
};
// windows.resources.cpu; count, maximum and shares are mutually exclusive (hcsshim's message).
base::Result<CpuLimits> Cpu(const ocispec::Spec& spec, const TranslateOptions& opts);
uint64_t MemoryMB(const ocispec::Spec& spec);  // windows.resources.memory.limit / 1 MiB, 0 when unset

struct Mounts {
  nlohmann::json directories = nlohmann::json::array();  // MappedDirectories
  nlohmann::json pipes = nlohmann::json::array();        // MappedPipes
};
// mounts -> MappedDirectories / MappedPipes. `hosted`: host paths become VSMB paths in the VM.
base::Result<Mounts> MapMounts(const ocispec::Spec& spec, const TranslateOptions& opts, bool hosted);

// DNSSearchList entries joined with commas, as both schemas carry it.
std::string JoinDnsSearchList(const std::vector<std::string>& list);
// windows.network -> Networking (or null when absent).
nlohmann::json Networking(const ocispec::Spec& spec, const TranslateOptions& opts);

// Layer folders without the scratch (last) one, each with its id.
base::Result<nlohmann::json> Layers(const ocispec::Spec& spec, const TranslateOptions& opts, bool hosted);

// The utility VM image folder: windows.hyperv.utilityVMPath, else "<base layer>\UtilityVM".
std::string UtilityVmImagePath(const ocispec::Spec& spec);

}  // namespace ocirun::hcs::internal
