// The Host Compute Service behind a narrow interface: compute systems and their processes. The real
// implementation (computecore_client_win32.cc) drives computecore.dll, loaded at run time; the fake
// (fake_hcs.h) records every call and models the state machine, so the Windows backend's lifecycle
// logic is tested on every platform.
//
// Every HCS call is asynchronous: the client creates an HCS_OPERATION, starts the call, waits for its
// result up to the timeout, and cancels the operation when the timeout passes (kTimeout).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "runtime/hcs/byte_stream.h"
#include "runtime/hcs/hresult.h"

namespace ocirun::hcs {

// An HRESULT as a Status (HresultError, hresult.h) plus the HCS error document's message when there
// is one.
base::Status HcsError(std::string_view what, uint32_t hr, std::string_view result_document = "");

// Shutdown and terminate treat these as success (the system is gone or going): hcsshim's
// IsAlreadyStopped / IsNotExist / IsPending.
bool IsAlreadyStopped(const base::Status& st);
bool IsNotExist(const base::Status& st);
bool IsPending(const base::Status& st);

using Timeout = std::chrono::milliseconds;
inline constexpr Timeout kDefaultTimeout{std::chrono::minutes(4)};  // hcsshim's SystemCreate timeout

class HcsProcess {
 public:
  virtual ~HcsProcess() = default;  // closes the process handle
  virtual uint32_t pid() const = 0;  // the process id inside the container
  // options: SignalOptions() output.
  virtual base::Status Signal(const nlohmann::json& options, Timeout timeout = kDefaultTimeout) = 0;
  virtual base::Status Terminate(Timeout timeout = kDefaultTimeout) = 0;
  // Waits for exit; the exit code, or kTimeout.
  virtual base::Result<int> WaitExit(Timeout timeout) = 0;
  // Our ends of the stdio pipes the process document asked for (CreateStdInPipe / OutPipe /
  // ErrPipe): moved to the caller by the first call; absent afterwards and on OpenProcess results.
  virtual StdioStreams TakeStdio() = 0;
  // Tells the process its stdin has ended: ModifyProcess {"Operation": "CloseHandle",
  // "CloseHandle": {"Handle": "StdIn"}}, which hcsshim's CloseStdin sends besides closing its end.
  virtual base::Status CloseStdin(Timeout timeout = kDefaultTimeout) = 0;
  // Resizes the process's console (runhcs resize-tty): ModifyProcess {"Operation": "ConsoleSize",
  // "ConsoleSize": {"Height": h, "Width": w}}, as hcsshim's ResizeConsole.
  virtual base::Status ResizeConsole(uint16_t width, uint16_t height, Timeout timeout = kDefaultTimeout) = 0;
};

class HcsSystem {
 public:
  virtual ~HcsSystem() = default;  // closes the compute-system handle
  virtual const std::string& id() const = 0;
  virtual base::Status Start(Timeout timeout = kDefaultTimeout) = 0;
  virtual base::Status Shutdown(Timeout timeout = kDefaultTimeout) = 0;
  virtual base::Status Terminate(Timeout timeout = kDefaultTimeout) = 0;
  virtual base::Status Pause(Timeout timeout = kDefaultTimeout) = 0;
  virtual base::Status Resume(Timeout timeout = kDefaultTimeout) = 0;
  // query: PropertyQuery() output; returns the properties document ({"State": ..., "ProcessList": ...}).
  virtual base::Result<nlohmann::json> Properties(const nlohmann::json& query, Timeout timeout = kDefaultTimeout) = 0;
  virtual base::Status Modify(const nlohmann::json& request, Timeout timeout = kDefaultTimeout) = 0;
  // params: ProcessDocument() output.
  virtual base::Result<std::unique_ptr<HcsProcess>> CreateProcess(const nlohmann::json& params,
                                                                  Timeout timeout = kDefaultTimeout) = 0;
  virtual base::Result<std::unique_ptr<HcsProcess>> OpenProcess(uint32_t pid) = 0;
};

class HcsClient {
 public:
  virtual ~HcsClient() = default;
  // Creates (does not start) a compute system from a ContainerDocument / UtilityVmDocument.
  virtual base::Result<std::unique_ptr<HcsSystem>> Create(const std::string& id, const nlohmann::json& document,
                                                          Timeout timeout = kDefaultTimeout) = 0;
  // kNotFound when no compute system has this id.
  virtual base::Result<std::unique_ptr<HcsSystem>> Open(const std::string& id) = 0;
};

// The computecore.dll client (Windows); kUnimplemented "HCS not available: ..." when the DLL or one of
// its functions is missing (a host without the Containers feature, or wine).
base::Result<std::unique_ptr<HcsClient>> OpenComputeCore();

}  // namespace ocirun::hcs
