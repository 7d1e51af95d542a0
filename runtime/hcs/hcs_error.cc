#include "runtime/hcs/hcs_client.h"

namespace ocirun::hcs {
namespace {

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
  base::Status st = HresultError(what, hr);
  std::string detail = DocumentMessage(result_document);
  if (detail.empty()) return st;
  return base::Status(st.code(), st.message() + ": " + detail, st.os_error());
}

bool IsAlreadyStopped(const base::Status& st) {
  return st.os_error() == kHcsAlreadyStopped || st.os_error() == kHcsProcessAlreadyStopped;
}
bool IsNotExist(const base::Status& st) { return st.os_error() == kHcsSystemNotFound; }
bool IsPending(const base::Status& st) { return st.os_error() == kHcsPending; }

}  // namespace ocirun::hcs
