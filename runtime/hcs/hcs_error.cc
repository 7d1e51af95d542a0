#include <cstdio>

#include "runtime/hcs/hcs_client.h"

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
    {kModNotFound, base::Code::kUnimplemented, "HCS not available: computecore.dll not found"},
};

// The HCS error document: {"Error": hr, "ErrorMessage": "...", "ErrorEvents": [{"Message": ...}]}.
std::string DocumentMessage(std::string_view doc) {
  if (doc.empty()) return "";
  nlohmann::json j = nlohmann::json::parse(doc, nullptr, false);
  if (!j.is_object()) return "";
  std::string msg = j.value("ErrorMessage", std::string());
  if (j.contains("ErrorEvents") && j["ErrorEvents"].is_array()) {
    for (const auto& e : j["ErrorEvents"]) {
      if (e.is_object() && e.contains("Message") && e["Message"].is_string()) {
        msg += (msg.empty() ? "" : "; ") + e["Message"].get<std::string>();
      }
    }
  }
  return msg;
}

}  // namespace

base::Status HcsError(std::string_view what, uint32_t hr, std::string_view result_document) {
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
  std::string message = std::string(what) + ": " + text;
  if (std::string detail = DocumentMessage(result_document); !detail.empty()) message += ": " + detail;
  return base::Status(code, std::move(message), static_cast<int64_t>(hr));
}

bool IsAlreadyStopped(const base::Status& st) {
  return st.os_error() == kHcsAlreadyStopped || st.os_error() == kHcsProcessAlreadyStopped;
}
bool IsNotExist(const base::Status& st) { return st.os_error() == kHcsSystemNotFound; }
bool IsPending(const base::Status& st) { return st.os_error() == kHcsPending; }

}  // namespace ocirun::hcs
