#include "runtime/hcs/hresult.h"

#include <cstdio>
#include <string>

namespace ocirun::hcs {
namespace {

struct Known {
  uint32_t hr;
  base::Code code;
  const char* name;
};

constexpr Known kKnown[] = {
    {kHcsPending, base::Code::kFailedPrecondition, "the operation is pending (HCS_E_OPERATION_PENDING)"},
    {kHcsInvalidState, base::Code::kFailedPrecondition, "the compute system is in an invalid state for this operation"},
    {kHcsInvalidStateWarning, base::Code::kFailedPrecondition,
     "the compute system is in an invalid state for this operation"},
    {kHcsUnexpectedExit, base::Code::kIo, "the compute system exited unexpectedly"},
    {kHcsInvalidJson, base::Code::kInvalidArgument, "the HCS rejected the JSON document"},
    {kHcsSystemNotFound, base::Code::kNotFound, "the compute system does not exist"},
    {kHcsAlreadyExists, base::Code::kAlreadyExists, "a compute system with this id already exists"},
    {kHcsAlreadyStopped, base::Code::kFailedPrecondition, "the compute system is already stopped"},
    {kHcsOperationTimeout, base::Code::kTimeout, "the operation timed out"},
    {kHcsProcessAlreadyStopped, base::Code::kFailedPrecondition, "the process has already stopped"},
    {kAccessDenied, base::Code::kFailedPrecondition, "access is denied (run as Administrator)"},
    {kSharingViolation, base::Code::kIo, "the file is in use by another process (sharing violation)"},
    {kModNotFound, base::Code::kUnimplemented, "HCS not available: computecore.dll not found"},
};

}  // namespace

base::Status HresultError(std::string_view what, uint32_t hr) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%08x", hr);
  base::Code code = base::Code::kIo;
  std::string text = "HRESULT " + std::string(hex);
  for (const Known& k : kKnown) {
    if (k.hr == hr) {
      code = k.code;
      text = std::string(k.name) + " (" + hex + ")";
    }
  }
  return base::Status(code, std::string(what) + ": " + text, static_cast<int64_t>(hr));
}

}  // namespace ocirun::hcs
