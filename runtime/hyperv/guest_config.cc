#include "runtime/hyperv/guest_config.h"

#include <string>

#include "runtime/hyperv/isolation.h"

namespace ocirun::hyperv {
namespace {

bool IsBind(const nlohmann::json& m) {
  if (m.value("type", "") == "bind") return true;
  auto options = m.find("options");
  if (options == m.end() || !options->is_array()) return false;
  for (const auto& o : *options)
    if (o == "bind" || o == "rbind") return true;
  return false;
}

base::Status CheckSupported(const nlohmann::json& config) {
  auto process = config.find("process");
  if (process != config.end() && process->is_object() && process->value("terminal", false))
    return base::InvalidArgument("process.terminal: not supported with hyperv isolation yet");
  auto hooks = config.find("hooks");
  if (hooks != config.end() && hooks->is_object() && !hooks->empty())
    return base::InvalidArgument("hooks: not supported with hyperv isolation yet (they run on the host)");
  auto mounts = config.find("mounts");
  if (mounts != config.end() && mounts->is_array()) {
    for (size_t i = 0; i < mounts->size(); ++i) {
      if (IsBind((*mounts)[i]))
        return base::InvalidArgument("mounts[" + std::to_string(i) +
                                     "]: bind mounts of host paths are not supported with hyperv isolation");
    }
  }
  return base::Status::Ok();
}

}  // namespace

base::Result<nlohmann::json> GuestConfig(const nlohmann::json& config) {
  RETURN_IF_ERROR(CheckSupported(config));
  nlohmann::json guest = config;
  if (guest.contains("annotations") && guest["annotations"].is_object()) {
    guest["annotations"].erase(kIsolationAnnotation);
  }
  guest.erase("hooks");
  return guest;
}

}  // namespace ocirun::hyperv
