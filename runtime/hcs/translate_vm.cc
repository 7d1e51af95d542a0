// Utility VM documents (hcsshim internal/uvm create_wcow.go / create_lcow.go, simplified to what a
// runhcs-style runtime needs: boot, memory, processors, scratch, hvsocket, shares).
#include <algorithm>

#include "runtime/hcs/translate.h"
#include "runtime/hcs/translate_internal.h"

namespace ocirun::hcs {
namespace {

constexpr uint64_t kDefaultMemoryMB = 1024;
constexpr int kDefaultProcessors = 2;
// SYSTEM and Administrators may bind hvsockets in the VM (hcsshim's default).
constexpr const char* kHvSocketSddl = "D:P(A;;FA;;;SY)(A;;FA;;;BA)";
constexpr const char* kLcowBootFiles = "C:\\Program Files\\Linux Containers";

base::Result<nlohmann::json> Topology(const ocispec::Spec& spec, const TranslateOptions& opts) {
  ASSIGN_OR_RETURN(internal::CpuLimits cpu, internal::Cpu(spec, opts));
  uint64_t mb = internal::MemoryMB(spec);
  nlohmann::json processor = {{"Count", cpu.count ? cpu.count : kDefaultProcessors}};
  if (cpu.maximum) processor["Limit"] = cpu.maximum;
  if (cpu.weight) processor["Weight"] = cpu.weight;
  return nlohmann::json{{"Memory", {{"SizeInMB", mb ? mb : kDefaultMemoryMB}, {"AllowOvercommit", true}}},
                        {"Processor", processor}};
}

nlohmann::json ReadOnlyShare(const std::string& name, const std::string& path) {
  return {{"Name", name},
          {"Path", path},
          {"Options",
           {{"ReadOnly", true}, {"PseudoOplocks", true}, {"TakeBackupPrivilege", true}, {"CacheIo", true},
            {"ShareRead", true}}}};
}

// The VM's own OS files, the container's read-only layers (share name = layer id, the path the hosted
// container document uses) and its mapped directories ("m<index>").
base::Result<nlohmann::json> WindowsShares(const ocispec::Spec& spec, const TranslateOptions& opts) {
  nlohmann::json shares = nlohmann::json::array();
  shares.push_back(ReadOnlyShare("os", internal::UtilityVmImagePath(spec) + "\\Files"));
  const auto& folders = spec.windows->layer_folders;
  for (size_t i = 0; i + 1 < folders.size(); ++i) {
    ASSIGN_OR_RETURN(std::string id, opts.layer_id(folders[i]));
    shares.push_back(ReadOnlyShare(id, folders[i]));
  }
  for (size_t i = 0; i < spec.mounts.size(); ++i) {
    const ocispec::Mount& m = spec.mounts[i];
    std::string source = m.source.value_or("");
    if (source.empty() || source.rfind(internal::kPipePrefix, 0) == 0) continue;
    bool ro = std::find(m.options.begin(), m.options.end(), "ro") != m.options.end();
    nlohmann::json share = ro ? ReadOnlyShare("m" + std::to_string(i), source)
                              : nlohmann::json{{"Name", "m" + std::to_string(i)}, {"Path", source}};
    shares.push_back(share);
  }
  return shares;
}

base::Result<nlohmann::json> WindowsVm(const ocispec::Spec& spec, const TranslateOptions& opts) {
  RETURN_IF_ERROR(internal::CheckWindowsBasics(spec));
  ASSIGN_OR_RETURN(nlohmann::json topology, Topology(spec, opts));
  ASSIGN_OR_RETURN(nlohmann::json shares, WindowsShares(spec, opts));
  std::string scratch = spec.windows->layer_folders.back();
  while (!scratch.empty() && (scratch.back() == '\\' || scratch.back() == '/')) scratch.pop_back();
  return nlohmann::json{
      {"StopOnReset", true},
      {"Chipset", {{"Uefi", {{"BootThis", {{"DeviceType", "VmbFs"}, {"DevicePath", "\\EFI\\Microsoft\\Boot\\bootmgfw.efi"}}}}}}},
      {"ComputeTopology", topology},
      {"Devices",
       {{"Scsi", {{"0", {{"Attachments", {{"0", {{"Path", scratch + "\\vm\\sandbox.vhdx"}, {"Type", "VirtualDisk"}}}}}}}}},
        {"HvSocket", {{"HvSocketConfig", {{"DefaultBindSecurityDescriptor", kHvSocketSddl}}}}},
        {"VirtualSmb", {{"Shares", shares}, {"DirectFileMappingInMB", 1024}}}}}};
}

base::Result<nlohmann::json> LinuxVm(const ocispec::Spec& spec, const TranslateOptions& opts) {
  ASSIGN_OR_RETURN(nlohmann::json topology, Topology(spec, opts));
  std::string boot = kLcowBootFiles;
  if (spec.windows && spec.windows->hyperv && spec.windows->hyperv->utility_vm_path &&
      !spec.windows->hyperv->utility_vm_path->empty()) {
    boot = *spec.windows->hyperv->utility_vm_path;
  }
  const int cpus = topology["Processor"]["Count"].get<int>();
  // hcsshim's LCOW command line: no serial console, panic reboots, the GCS started over vsock.
  std::string cmdline = "initrd=/initrd.img 8250_core.nr_uarts=0 panic=-1 quiet pci=off nr_cpus=" +
                        std::to_string(cpus) +
                        " brd.rd_nr=0 pmtmr=0 -- -e 1 /bin/vsockexec -e 109 /bin/gcs -v4 -log-format json -loglevel info";
  return nlohmann::json{
      {"StopOnReset", true},
      {"Chipset",
       {{"LinuxKernelDirect",
         {{"KernelFilePath", boot + "\\kernel"}, {"InitRdPath", boot + "\\initrd.img"}, {"KernelCmdLine", cmdline}}}}},
      {"ComputeTopology", topology},
      {"Devices",
       {{"Scsi", {{"0", {{"Attachments", nlohmann::json::object()}}}}},
        {"HvSocket", {{"HvSocketConfig", {{"DefaultBindSecurityDescriptor", kHvSocketSddl}}}}},
        {"Plan9", nlohmann::json::object()}}}};
}

}  // namespace

base::Result<nlohmann::json> UtilityVmDocument(const ocispec::Spec& spec, const TranslateOptions& opts) {
  RETURN_IF_ERROR(HostBuildSupported(opts.host_build));
  nlohmann::json vm;
  if (spec.linux) {
    ASSIGN_OR_RETURN(vm, LinuxVm(spec, opts));
  } else {
    ASSIGN_OR_RETURN(vm, WindowsVm(spec, opts));
  }
  return nlohmann::json{{"Owner", opts.owner},
                        {"SchemaVersion", internal::SchemaVersion2()},
                        {"ShouldTerminateOnLastHandleClosed", true},
                        {"VirtualMachine", vm}};
}

}  // namespace ocirun::hcs
