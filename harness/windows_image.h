// Windows-container bundles for the harness (conform cases, bench). A Windows container has no rootfs folder: its
// filesystem is the image's layer folders plus a fresh scratch layer (windows.layerFolders, top-most
// image layer first, scratch last), which the runtime mounts (runhcs / hcsshim and ocirun both do
// when root.path is empty). Its programs are cmd.exe built-ins and ping.exe, which every Windows base
// image (nanoserver, servercore) carries; the marks a Linux case gets from the probe come from
// `echo` appending JSON lines to C:\oct\marks.log, a host folder mapped into the container.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace harness {

// Where the host's case folder appears inside a Windows container.
inline constexpr const char* kWindowsOctDir = "C:\\oct";

// --windows-layers: either a comma-separated list of layer folders (top-most first), or one folder
// whose layerchain.json (written by docker's windowsfilter driver and containerd's Windows
// snapshotter) lists its parents, top-most first. Every folder must exist. kInvalidArgument naming the
// flag otherwise.
base::Result<std::vector<std::string>> ResolveWindowsLayers(const std::string& arg);

// The default config of a Windows conformance container: `layer_folders` (image layers then the
// scratch), cmd.exe marking "program" then sleeping as the process, C:\oct mapped to `oct_dir`, hostname, and
// windows.hyperv when `hyperv`.
nlohmann::json WindowsContainerConfig(const std::string& oci_version, const std::vector<std::string>& layer_folders,
                                      const std::string& oct_dir, bool hyperv);

// Makes a fresh scratch layer at `folder` over the image's `layers` (top-most first), as `wclayer
// create` does, through the host's vmcompute.dll (fails with its error where there is none).
base::Status CreateScratchLayer(const std::string& folder, const std::vector<std::string>& layers);

// A cmd.exe command line running `commands` (joined with " & ") with /S /C semantics: cmd strips the
// outer quotes and runs the rest verbatim.
std::string CmdLine(const std::vector<std::string>& commands);
// Sets process.commandLine to CmdLine(commands) (what Windows runtimes run) and process.args to the
// same as an argv ("cmd", "/S", "/C", joined), for readers that want args.
void SetWindowsProgram(nlohmann::json& config, const std::vector<std::string>& commands);
// `echo {"kind":"<kind>"}>>C:\oct\marks.log`: the mark a Linux probe writes.
std::string EchoMark(const std::string& kind);
// Keeps the container running for about `seconds` (ping.exe to the loopback, output discarded).
std::string SleepCommand(int seconds);

}  // namespace harness
