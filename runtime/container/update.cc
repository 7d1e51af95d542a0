#include "runtime/container/update.h"

#include <cctype>
#include <charconv>

namespace ocirun {
namespace {

base::Result<int64_t> ParseInt(std::string_view flag, std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    return base::InvalidArgument(std::string(flag) + ": \"" + std::string(text) +
                                 "\" is not an integer");
  return v;
}

base::Result<uint64_t> ParseUnsigned(std::string_view flag, std::string_view text) {
  ASSIGN_OR_RETURN(int64_t v, ParseInt(flag, text));
  if (v < 0)
    return base::InvalidArgument(std::string(flag) + ": \"" + std::string(text) +
                                 "\" must not be negative");
  return static_cast<uint64_t>(v);
}

// Sets out[group][key] from a flag through `parse` when the flag was given.
template <typename Parse>
base::Status Set(nlohmann::json& out, const char* group, const char* key, const char* flag,
                 const std::optional<std::string>& value, Parse parse) {
  if (!value) return base::Status::Ok();
  auto parsed = parse(flag, *value);
  if (!parsed.ok()) return parsed.status();
  out[group][key] = *parsed;
  return base::Status::Ok();
}

base::Result<std::string> AsString(std::string_view, std::string_view text) {
  return std::string(text);
}

// Copies the non-null members of `from` into `into`: objects merge member by member, anything
// else replaces.
void MergeInto(nlohmann::json& into, const nlohmann::json& from) {
  for (const auto& [key, value] : from.items()) {
    if (value.is_null()) continue;
    if (!value.is_object()) {
      into[key] = value;
      continue;
    }
    if (!into[key].is_object()) into[key] = nlohmann::json::object();
    MergeInto(into[key], value);
  }
}

}  // namespace

bool UpdateFlags::any() const {
  for (const auto* f : {&memory, &memory_reservation, &memory_swap, &kernel_memory,
                        &kernel_memory_tcp, &cpu_shares, &cpu_quota, &cpu_period, &cpu_burst,
                        &cpu_rt_period, &cpu_rt_runtime, &cpuset_cpus, &cpuset_mems, &pids_limit,
                        &blkio_weight})
    if (f->has_value()) return true;
  return false;
}

base::Result<int64_t> ParseByteSize(std::string_view flag, std::string_view text) {
  if (text == "-1") return int64_t{-1};
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  std::string unit;
  for (char ch : text.substr(digits)) unit += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (unit.size() > 2 && unit.ends_with("ib")) unit.resize(unit.size() - 2);  // "mib" -> "m"
  else if (unit.size() > 1 && unit.back() == 'b') unit.pop_back();       // "mb" -> "m"
  int shift = unit.empty() || unit == "b" ? 0 : unit == "k" ? 10 : unit == "m" ? 20
            : unit == "g" ? 30 : unit == "t" ? 40 : -1;
  if (digits == 0 || shift < 0)
    return base::InvalidArgument(std::string(flag) + ": \"" + std::string(text) +
                                 "\" is not a size (use e.g. 1048576, 512k, 64m, 1g or -1)");
  ASSIGN_OR_RETURN(int64_t v, ParseInt(flag, text.substr(0, digits)));
  if (v > (INT64_MAX >> shift))
    return base::InvalidArgument(std::string(flag) + ": \"" + std::string(text) + "\" is too large");
  return v << shift;
}

base::Result<nlohmann::json> ResourcesFromFlags(const UpdateFlags& f) {
  nlohmann::json r = nlohmann::json::object();
  RETURN_IF_ERROR(Set(r, "memory", "limit", "--memory", f.memory, ParseByteSize));
  RETURN_IF_ERROR(Set(r, "memory", "reservation", "--memory-reservation", f.memory_reservation, ParseByteSize));
  RETURN_IF_ERROR(Set(r, "memory", "swap", "--memory-swap", f.memory_swap, ParseByteSize));
  RETURN_IF_ERROR(Set(r, "memory", "kernel", "--kernel-memory", f.kernel_memory, ParseByteSize));
  RETURN_IF_ERROR(Set(r, "memory", "kernelTCP", "--kernel-memory-tcp", f.kernel_memory_tcp, ParseByteSize));
  RETURN_IF_ERROR(Set(r, "cpu", "shares", "--cpu-shares", f.cpu_shares, ParseUnsigned));
  RETURN_IF_ERROR(Set(r, "cpu", "quota", "--cpu-quota", f.cpu_quota, ParseInt));
  RETURN_IF_ERROR(Set(r, "cpu", "period", "--cpu-period", f.cpu_period, ParseUnsigned));
  RETURN_IF_ERROR(Set(r, "cpu", "burst", "--cpu-burst", f.cpu_burst, ParseUnsigned));
  RETURN_IF_ERROR(Set(r, "cpu", "realtimePeriod", "--cpu-rt-period", f.cpu_rt_period, ParseUnsigned));
  RETURN_IF_ERROR(Set(r, "cpu", "realtimeRuntime", "--cpu-rt-runtime", f.cpu_rt_runtime, ParseInt));
  RETURN_IF_ERROR(Set(r, "cpu", "cpus", "--cpuset-cpus", f.cpuset_cpus, AsString));
  RETURN_IF_ERROR(Set(r, "cpu", "mems", "--cpuset-mems", f.cpuset_mems, AsString));
  RETURN_IF_ERROR(Set(r, "pids", "limit", "--pids-limit", f.pids_limit, ParseInt));
  RETURN_IF_ERROR(Set(r, "blockIO", "weight", "--blkio-weight", f.blkio_weight, ParseUnsigned));
  return r;
}

base::Result<nlohmann::json> ParseResourcesDocument(std::string_view source, std::string_view text) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded())
    return base::InvalidArgument(std::string(source) + ": not valid JSON");
  if (!doc.is_object())
    return base::InvalidArgument(std::string(source) + ": a LinuxResources object is expected");
  return doc;
}

nlohmann::json MergeResources(nlohmann::json config, const nlohmann::json& resources) {
  if (!config.is_object() || !resources.is_object()) return config;
  const char* section = config.contains("windows") && !config.contains("linux") ? "windows" : "linux";
  nlohmann::json applied = resources;
  applied.erase("devices");
  if (!config[section].is_object()) config[section] = nlohmann::json::object();
  if (!config[section]["resources"].is_object()) config[section]["resources"] = nlohmann::json::object();
  MergeInto(config[section]["resources"], applied);
  return config;
}

base::Status Update(const Runtime& rt, const std::string& id, const nlohmann::json& resources) {
  ASSIGN_OR_RETURN(Container c, Container::Load(rt, id));
  RETURN_IF_ERROR(c.Check(Operation::kUpdate));
  // Read first: a stored config that cannot be read fails the update before anything changes.
  StateStore store = rt.store();
  ASSIGN_OR_RETURN_CTX(nlohmann::json config, store.LoadStoredConfig(id), "update " + id);
  RETURN_IF_ERROR(c.backend().Update(c.facts(), resources).Wrap("update " + id));
  return store.SaveStoredConfig(id, MergeResources(std::move(config), resources))
      .Wrap("update " + id + ": record the resources");
}

}  // namespace ocirun
