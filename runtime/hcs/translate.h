// OCI config -> Host Compute Service documents, as hcsshim builds them (internal/hcsoci, internal/uvm,
// cmd/runhcs). Pure functions over the typed model: no HCS calls, tested on every platform against
// the expected documents in fixtures/hcs/.
//
// Errors are kInvalidArgument with hcsshim's wording ("invalid OCI spec - a mount must have both
// source and a destination: ..."), so users see what runhcs would have told them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "runtime/hcs/guid.h"
#include "runtime/pod/windows_builds.h"
#include "specs/spec.h"

namespace ocirun::hcs {

struct TranslateOptions {
  std::string id;                           // the container id (compute system id)
  std::string owner = "ocirun";             // runhcs --owner
  uint32_t host_build = pod::kLTSC2022;     // below RS5: refused (HostBuildSupported)
  int host_processors = 0;                  // clamp processor counts to this (0: no clamp)
  LayerIdFunc layer_id = PortableLayerId;   // NameToGuid on a Windows host, see guid.h
  // Non-empty: the container is hosted in this utility VM (Hyper-V isolation, or a pod member).
  std::string hosting_system_id;
  // The HNS namespace to join; empty: windows.network.networkNamespace.
  std::string network_namespace;
};

// The compute-system document for a container:
//   - Windows, no hosting system, host RS5+: {Owner, SchemaVersion 2.1, ShouldTerminateOnLastHandleClosed,
//     Container{...}} (process isolation, "Argon");
//   - Windows with a hosting system: {..., HostingSystemId, HostedSystem{SchemaVersion, Container}} with
//     layer, mount and scratch paths as the utility VM sees them ("Xenon");
//   - Linux (spec.linux set): {..., HostingSystemId, HostedSystem{SchemaVersion, OciBundlePath,
//     OciSpecification, ScratchDirPath}} (LCOW, always hosted);
//   - host before RS5: refused (HostBuildSupported).
base::Result<nlohmann::json> ContainerDocument(const ocispec::Spec& spec, const TranslateOptions& opts);

// ocirun drives computecore.dll with schema v2 documents, which exist from RS5 (17763) on. Older
// hosts (RS1..RS4) have neither: runhcs drives them through vmcompute.dll with schema v1, which
// ocirun does not implement. kUnimplemented naming the build and the minimum below RS5.
base::Status HostBuildSupported(uint32_t host_build);

// The utility VM document for a Hyper-V isolated container or pod (id "<opts.id>@vm" by convention):
// a Windows VM booting the image's UtilityVM folder over VSMB, or a Linux VM (LinuxKernelDirect) for
// LCOW. Memory and processors come from windows.resources (defaults 1024 MB, 2 processors).
base::Result<nlohmann::json> UtilityVmDocument(const ocispec::Spec& spec, const TranslateOptions& opts);

// Process parameters for HcsCreateProcess. Windows: CommandLine (process.commandLine, else args
// escaped as Go's syscall.EscapeArg), User (username), WorkingDirectory, Environment, EmulateConsole,
// ConsoleSize [height, width], CreateStd*Pipe. Linux (lcow): CommandArgs instead of CommandLine, plus
// OCIProcess. Errors name the field: empty args and commandLine, env without '='.
base::Result<nlohmann::json> ProcessDocument(const ocispec::Process& process, bool lcow);

// Signal options for HcsSignalProcess (hcsshim internal/signals ValidateWCOW / ValidateLCOW).
// Windows: 0 CtrlC, 1 CtrlBreak, 2 CtrlClose, 5 CtrlLogOff, 6 and 15 (SIGTERM) CtrlShutdown, 9 (SIGKILL):
// nullopt, meaning "terminate the process"; anything else is kInvalidArgument "invalid signal value".
// Linux: {"Signal": n} for 1..31, nullopt for SIGKILL.
base::Result<std::optional<nlohmann::json>> SignalOptions(int signal, bool lcow);

// {"Operation": "ConsoleSize", "ConsoleSize": {"Height": h, "Width": w}} for HcsModifyProcess
// (hcsshim's ProcessModifyRequest for ResizeConsole).
nlohmann::json ConsoleSizeRequest(uint16_t width, uint16_t height);

// {"PropertyTypes": [...]} for HcsGetComputeSystemProperties, e.g. {"ProcessList", "Statistics"}.
nlohmann::json PropertyQuery(const std::vector<std::string>& types);

// The compute-system states HCS reports, mapped to OCI statuses: Created -> created, Running ->
// running, Paused -> paused, Stopped -> stopped, anything else -> unknown (runhcs Status()).
std::string_view OciStatusFromHcsState(std::string_view state);

}  // namespace ocirun::hcs
