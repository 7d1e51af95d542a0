#include "runtime/hyperv/isolation.h"

namespace ocirun::hyperv {

std::string_view IsolationName(Isolation mode) { return mode == Isolation::kHyperv ? "hyperv" : "process"; }

base::Result<Isolation> ParseIsolation(std::string_view text, std::string_view what) {
  if (text == "process") return Isolation::kProcess;
  if (text == "hyperv") return Isolation::kHyperv;
  return base::InvalidArgument(std::string(what) + ": isolation \"" + std::string(text) +
                               "\" is not one of process, hyperv");
}

base::Result<Isolation> ChooseIsolation(const nlohmann::json& config, Isolation default_mode) {
  auto annotations = config.find("annotations");
  if (annotations == config.end() || !annotations->is_object()) return default_mode;
  auto value = annotations->find(kIsolationAnnotation);
  if (value == annotations->end()) return default_mode;
  const std::string what = std::string("annotations[\"") + kIsolationAnnotation + "\"]";
  if (!value->is_string()) return base::InvalidArgument(what + " must be a string");
  return ParseIsolation(value->get<std::string>(), what);
}

Isolation RecordedIsolation(const StateFacts& facts) {
  if (facts.backend.is_object() && facts.backend.value("isolation", "") == "hyperv") return Isolation::kHyperv;
  return Isolation::kProcess;
}

}  // namespace ocirun::hyperv
