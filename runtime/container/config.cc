#include "runtime/container/config.h"

#include <chrono>
#include <ctime>
#include <filesystem>

#include "base/file.h"
#include "base/utf8.h"
#include "runtime/container/validate.h"

namespace ocirun {

base::Result<std::string> AbsoluteBundle(const std::string& bundle) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(bundle.empty() ? "." : bundle, ec);
  if (ec) return base::ErrnoError("bundle " + bundle, ec.value());
  std::string s = p.lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  // The path goes into state.json and the hooks' state, which are JSON and so UTF-8 (RFC 8259 8.1).
  if (base::FirstInvalidUtf8(s)) {
    return base::InvalidArgument("bundle path " + base::EscapeInvalidUtf8(s) + " is not UTF-8 (it goes into the state, which is JSON)");
  }
  return s;
}

base::Result<nlohmann::json> LoadConfig(const std::string& bundle, std::vector<std::string>* warnings) {
  auto text = base::ReadFile(bundle + "/config.json");
  if (!text.ok()) {
    if (text.status().code() == base::Code::kNotFound) {
      return base::NotFound("JSON specification file config.json not found");
    }
    return text.status();
  }
  nlohmann::json config = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  text->clear();
  text->shrink_to_fit();  // a config may be tens of MB: do not hold the text and the tree at once
  if (config.is_discarded()) return base::InvalidArgument("config.json: invalid JSON");
  RETURN_IF_ERROR(ValidateConfigJson(config, warnings));
  return config;
}

nlohmann::json WithoutAnnotations(const nlohmann::json& config) {
  nlohmann::json out = nlohmann::json::object();
  for (auto it = config.begin(); it != config.end(); ++it) {
    if (it.key() != "annotations") out[it.key()] = it.value();
  }
  return out;
}

std::string RootfsPath(const nlohmann::json& config, const std::string& bundle) {
  std::string root = config.value("/root/path"_json_pointer, std::string("rootfs"));
  if (!root.empty() && root[0] == '/') return root;
  return (std::filesystem::path(bundle) / root).lexically_normal().string();
}

std::string NowRfc3339Nano() {
  auto now = std::chrono::system_clock::now();
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ns / 1000000000);
  std::tm tm {};
  gmtime_r(&secs, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%09lldZ", static_cast<long long>(ns % 1000000000));
  return buf;
}

}  // namespace ocirun
