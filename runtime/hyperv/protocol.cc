#include "runtime/hyperv/protocol.h"

#include "base/hex.h"

namespace ocirun::hyperv {

std::optional<Message> ParseLine(std::string_view line, std::string* error) {
  nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    *error = "agent protocol: not a JSON object";
    return std::nullopt;
  }
  auto v = j.find("v");
  if (v == j.end() || !v->is_number_integer()) {
    *error = "agent protocol: no version (\"v\")";
    return std::nullopt;
  }
  if (v->get<int>() != kProtocolVersion) {
    *error = "agent protocol: version " + v->dump() + " is not " + std::to_string(kProtocolVersion);
    return std::nullopt;
  }
  return Message{std::move(j)};
}

std::string Encode(nlohmann::json body) {
  body["v"] = kProtocolVersion;
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string Request(int64_t id, std::string_view op, nlohmann::json args) {
  if (!args.is_object()) args = nlohmann::json::object();
  args["id"] = id;
  args["op"] = op;
  return Encode(std::move(args));
}

std::string ReplyOk(int64_t id, nlohmann::json results) {
  if (!results.is_object()) results = nlohmann::json::object();
  results["id"] = id;
  results["ok"] = true;
  return Encode(std::move(results));
}

std::string ReplyError(int64_t id, std::string_view error) {
  return Encode({{"id", id}, {"ok", false}, {"error", error}});
}

std::string OutputEvent(int stream, std::string_view data, int64_t exec_id) {
  nlohmann::json e{{"event", "output"}, {"stream", stream}, {"data", HexEncode(data)}};
  if (exec_id >= 0) e["id"] = exec_id;
  return Encode(std::move(e));
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = base::HexValue(hex[i]), lo = base::HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

std::optional<std::string> LineBuffer::Next() {
  size_t nl = buf_.find('\n');
  if (nl == std::string::npos) {
    if (buf_.size() > kMaxLine) overflowed_ = true;
    return std::nullopt;
  }
  std::string line = buf_.substr(0, nl);
  buf_.erase(0, nl + 1);
  return line;
}

}  // namespace ocirun::hyperv
