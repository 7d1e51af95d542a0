#include "reports/host_identity.h"

#include <stdexcept>

namespace reports {
namespace {

using OJson = nlohmann::ordered_json;
using Json = nlohmann::json;

std::string Str(const Json& obj, const char* key, const std::string& where) {
  if (!obj.contains(key) || obj.at(key).is_null()) return "";
  const Json& v = obj.at(key);
  if (!v.is_string()) throw std::runtime_error(where + "." + key + ": not a string");
  return v.get<std::string>();
}

double Num(const Json& obj, const char* key, const std::string& where) {
  if (!obj.contains(key) || obj.at(key).is_null()) return 0;
  const Json& v = obj.at(key);
  if (!v.is_number() || v.get<double>() < 0) throw std::runtime_error(where + "." + key + ": not a number >= 0");
  return v.get<double>();
}

const Json& Object(const Json& obj, const char* key, const std::string& where) {
  static const Json kEmpty = Json::object();
  if (!obj.contains(key)) return kEmpty;
  if (!obj.at(key).is_object()) throw std::runtime_error(where + "." + key + ": not an object");
  return obj.at(key);
}

HostFacts FactsFromJson(const Json& j) {
  const std::string w = "identity.host";
  HostFacts h;
  h.hostname = Str(j, "hostname", w);
  h.os_family = Str(j, "os_family", w);
  h.os = Str(j, "os", w);
  h.edition = Str(j, "edition", w);
  h.build = Str(j, "build", w);
  h.ubr = Str(j, "ubr", w);
  h.display_version = Str(j, "display_version", w);
  h.kernel = Str(j, "kernel", w);
  h.arch = Str(j, "arch", w);
  h.cgroup = Str(j, "cgroup", w);
  h.cpu_model = Str(j, "cpu_model", w);
  h.cpus = static_cast<int>(Num(j, "cpus", w));
  h.memory_bytes = static_cast<uint64_t>(Num(j, "memory_bytes", w));
  h.virtualization = Str(j, "virtualization", w);
  return h;
}

}  // namespace

std::string HostIdentity::FullBuild() const {
  if (host.build.empty()) return "";
  return host.ubr.empty() ? host.build : host.build + "." + host.ubr;
}

std::string HostIdentity::HostBuildLabel() const {
  const std::string os = host.os.empty() ? (host.os_family.empty() ? "unknown OS" : host.os_family) : host.os;
  if (host.os_family == "windows") return FullBuild().empty() ? os : os + " " + FullBuild();
  std::string label = os;
  if (!host.kernel.empty()) label += ", kernel " + host.kernel;
  if (!host.cgroup.empty()) label += ", cgroup " + host.cgroup;
  return label;
}

OJson HostIdentityToJson(const HostIdentity& id) {
  const HostFacts& h = id.host;
  OJson host{{"hostname", h.hostname},   {"os_family", h.os_family},
             {"os", h.os},               {"edition", h.edition},
             {"build", h.build},         {"ubr", h.ubr},
             {"display_version", h.display_version}, {"kernel", h.kernel},
             {"arch", h.arch},           {"cgroup", h.cgroup},
             {"cpu_model", h.cpu_model}, {"cpus", h.cpus},
             {"memory_bytes", h.memory_bytes}, {"virtualization", h.virtualization}};
  OJson runtimes = OJson::array();
  for (const RuntimeDigest& r : id.runtimes) {
    OJson e{{"name", r.name}, {"path", r.path}, {"version", r.version}, {"sha256", r.sha256}};
    if (!r.digest_error.empty()) e["digest_error"] = r.digest_error;
    runtimes.push_back(std::move(e));
  }
  return OJson{{"host", std::move(host)},
               {"suite", OJson{{"name", "ocicert"}, {"version", id.suite_version}}},
               {"command_line", id.command_line},
               {"runtimes", std::move(runtimes)}};
}

HostIdentity HostIdentityFromJson(const Json& j) {
  if (!j.is_object()) throw std::runtime_error("identity: not an object");
  HostIdentity id;
  id.present = true;
  id.host = FactsFromJson(Object(j, "host", "identity"));
  id.suite_version = Str(Object(j, "suite", "identity"), "version", "identity.suite");
  if (j.contains("command_line")) {
    const Json& argv = j.at("command_line");
    if (!argv.is_array()) throw std::runtime_error("identity.command_line: not an array");
    for (const Json& a : argv) {
      if (!a.is_string()) throw std::runtime_error("identity.command_line: entry is not a string");
      id.command_line.push_back(a.get<std::string>());
    }
  }
  if (j.contains("runtimes")) {
    const Json& rts = j.at("runtimes");
    if (!rts.is_array()) throw std::runtime_error("identity.runtimes: not an array");
    for (size_t i = 0; i < rts.size(); ++i) {
      std::string w = "identity.runtimes[" + std::to_string(i) + "]";
      if (!rts[i].is_object()) throw std::runtime_error(w + ": not an object");
      id.runtimes.push_back({Str(rts[i], "name", w), Str(rts[i], "path", w), Str(rts[i], "version", w),
                             Str(rts[i], "sha256", w), Str(rts[i], "digest_error", w)});
    }
  }
  return id;
}

namespace {
const std::map<std::string, std::string HostFacts::*>& Fields() {
  static const std::map<std::string, std::string HostFacts::*> kFields = {
      {"hostname", &HostFacts::hostname}, {"os_family", &HostFacts::os_family},
      {"os", &HostFacts::os},             {"edition", &HostFacts::edition},
      {"build", &HostFacts::build},       {"ubr", &HostFacts::ubr},
      {"display_version", &HostFacts::display_version}, {"kernel", &HostFacts::kernel},
      {"arch", &HostFacts::arch},         {"cgroup", &HostFacts::cgroup},
      {"virtualization", &HostFacts::virtualization}};
  return kFields;
}
}  // namespace

std::string HostField(const HostFacts& h, const std::string& field) {
  auto it = Fields().find(field);
  return it == Fields().end() ? "" : h.*(it->second);
}

bool IsHostField(const std::string& field) { return Fields().count(field) > 0; }

}  // namespace reports
