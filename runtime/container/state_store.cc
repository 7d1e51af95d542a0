#include "runtime/container/state_store.h"

#include <algorithm>
#include <atomic>
#include <cstdio>

#include "base/file.h"
#include "runtime/container/id.h"

namespace ocirun {

namespace {

constexpr const char* kNewPrefix = ".new-";
constexpr const char* kDelPrefix = ".del-";

// A folder name of the root that nobody else uses: <prefix><key>-<pid>-<counter>.
std::string TempName(const char* prefix, const std::string& id) {
  static std::atomic<int> counter{0};
  return std::string(prefix) + IdKey(id) + "-" + platform::UniqueSuffix() + std::to_string(++counter);
}

base::Result<std::optional<StateFacts>> ReadFacts(const std::string& path) {
  auto data = base::ReadFile(path);
  if (!data.ok()) {
    if (data.status().code() == base::Code::kNotFound) return std::optional<StateFacts>();
    return data.status();
  }
  nlohmann::json j = nlohmann::json::parse(*data, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return base::Internal("corrupt state file " + path);
  ASSIGN_OR_RETURN_CTX(StateFacts facts, FactsFromJson(j), path);
  return std::optional<StateFacts>(std::move(facts));
}

}  // namespace

std::string IdKey(const std::string& id) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : id) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

base::Status ContainerNotExist() { return base::NotFound("container does not exist"); }

nlohmann::json FactsToJson(const StateFacts& f) {
  return nlohmann::json{{"ociVersion", f.oci_version}, {"id", f.id},
                        {"bundle", f.bundle},          {"rootfs", f.rootfs},
                        {"pid", f.pid},                {"pid_start_time", f.pid_start_time},
                        {"created", f.created},        {"owner", f.owner},
                        {"cgroup_path", f.cgroup_path}, {"exec_gate", f.exec_gate},
                        {"backend", f.backend}};
}

base::Result<std::string> ReadAnnotationsText(const std::string& state_dir) {
  auto text = base::ReadFile(state_dir + "/" + kAnnotationsFile);
  if (!text.ok() && text.status().code() == base::Code::kNotFound) return std::string();
  return text;
}

base::Result<std::map<std::string, std::string>> ReadAnnotations(const std::string& state_dir) {
  ASSIGN_OR_RETURN(std::string text, ReadAnnotationsText(state_dir));
  std::map<std::string, std::string> out;
  if (text.empty()) return out;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return base::Internal("corrupt " + state_dir + "/" + kAnnotationsFile);
  for (auto& [k, v] : j.items()) {
    if (v.is_string()) out.emplace(k, std::move(v.get_ref<std::string&>()));
  }
  return out;
}

base::Result<StateFacts> FactsFromJson(const nlohmann::json& j) {
  try {
    StateFacts f;
    f.oci_version = j.at("ociVersion").get<std::string>();
    f.id = j.at("id").get<std::string>();
    f.bundle = j.at("bundle").get<std::string>();
    f.rootfs = j.value("rootfs", "");
    // A float here would be cast to an integer, undefined when out of range: integers only.
    for (const char* key : {"pid", "pid_start_time"}) {
      if (!j.at(key).is_number_integer()) return base::Internal(std::string("corrupt state: ") + key + " is not an integer");
    }
    f.pid = j.at("pid").get<int>();
    f.pid_start_time = j.at("pid_start_time").get<uint64_t>();
    f.created = j.at("created").get<std::string>();
    f.owner = j.value("owner", "");
    f.annotations = j.value("annotations", std::map<std::string, std::string>{});
    f.cgroup_path = j.value("cgroup_path", "");
    f.exec_gate = j.value("exec_gate", "");
    f.backend = j.value("backend", nlohmann::json::object());
    // An intent recorded before the backend filled in its facts has "backend": null; readers call
    // .value() on it, which throws on anything but an object.
    if (!f.backend.is_object()) f.backend = nlohmann::json::object();
    return f;
  } catch (const nlohmann::json::exception& e) {
    return base::Internal(std::string("corrupt state: ") + e.what());
  }
}

base::Result<std::unique_ptr<platform::FileLock>> StateStore::Reserve(const std::string& id) const {
  RETURN_IF_ERROR(ValidateId(id));
  RETURN_IF_ERROR(platform::MakeDirs(root_, 0711));
  if (platform::PathExists(Dir(id))) return base::AlreadyExists("container with id exists: " + id);
  // Build the folder with its lock held under a private name, then rename it into place: rename onto
  // an existing (never empty) folder fails, so exactly one concurrent create wins, and nobody ever
  // sees <root>/<id> without a lock file.
  const std::string tmp = root_ + "/" + TempName(kNewPrefix, id);
  RETURN_IF_ERROR(platform::MakeDir(tmp, 0711));
  auto lock = platform::LockFile(tmp + "/lock");
  if (!lock.ok()) {
    platform::RemoveTree(tmp).IgnoreError();
    return lock.status();
  }
  base::Status moved = platform::Rename(tmp, Dir(id));
  if (!moved.ok()) {
    lock->reset();  // Windows keeps a folder whose file is still open (delete pending): unlock first
    platform::RemoveTree(tmp).IgnoreError();
    if (moved.code() == base::Code::kAlreadyExists) {
      return base::AlreadyExists("container with id exists: " + id);
    }
    return moved;
  }
  return lock;
}

base::Result<std::unique_ptr<platform::FileLock>> StateStore::Lock(const std::string& id) const {
  RETURN_IF_ERROR(ValidateId(id));
  if (!platform::PathExists(Dir(id))) return ContainerNotExist();
  auto lock = platform::LockFile(LockPath(id));
  if (!lock.ok() && lock.status().code() == base::Code::kNotFound) return ContainerNotExist();
  return lock;
}

bool StateStore::LockedByOther(const std::string& id) const {
  return platform::IsLocked(LockPath(id));
}

base::Status StateStore::Save(const StateFacts& facts) const {
  return base::WriteFileAtomic(StatePath(facts.id), FactsToJson(facts).dump(2), 0600);
}

base::Result<std::optional<StateFacts>> StateStore::Load(const std::string& id) const {
  RETURN_IF_ERROR(ValidateId(id));
  if (!platform::PathExists(Dir(id))) return ContainerNotExist();
  return ReadFacts(StatePath(id));
}

base::Status StateStore::SaveIntent(const StateFacts& facts) const {
  return base::WriteFileAtomic(IntentPath(facts.id), FactsToJson(facts).dump(), 0600).Wrap("record intent");
}

base::Result<std::optional<StateFacts>> StateStore::LoadIntent(const std::string& id) const {
  RETURN_IF_ERROR(ValidateId(id));
  return ReadFacts(IntentPath(id));
}

base::Result<nlohmann::json> StateStore::LoadStoredConfig(const std::string& id) const {
  RETURN_IF_ERROR(ValidateId(id));
  ASSIGN_OR_RETURN(std::string text, base::ReadFile(ConfigPath(id)));
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return base::Internal("corrupt stored config " + ConfigPath(id));
  return j;
}

base::Status StateStore::SaveStoredConfig(const std::string& id, const nlohmann::json& config) const {
  RETURN_IF_ERROR(ValidateId(id));
  return base::WriteFileAtomic(ConfigPath(id), config.dump(), 0600);
}

base::Status StateStore::SaveAnnotations(const std::string& id, const nlohmann::json& annotations) const {
  RETURN_IF_ERROR(ValidateId(id));
  if (!annotations.is_object() || annotations.empty()) return base::Status::Ok();
  return base::WriteFileAtomic(AnnotationsPath(id),
                               annotations.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), 0600);
}

base::Result<std::map<std::string, std::string>> StateStore::LoadAnnotations(const std::string& id) const {
  RETURN_IF_ERROR(ValidateId(id));
  return ReadAnnotations(Dir(id));
}

base::Status StateStore::Remove(const std::string& id) const {
  RETURN_IF_ERROR(ValidateId(id));
  const std::string gone = root_ + "/" + TempName(kDelPrefix, id);
  base::Status moved = platform::Rename(Dir(id), gone);
  if (moved.ok()) return platform::RemoveTree(gone);
  if (moved.code() == base::Code::kNotFound) return base::Status::Ok();
  // Windows refuses to rename a folder holding an open file (our lock): remove it in place there.
  return platform::RemoveTree(Dir(id));
}

base::Status StateStore::Sweep(const std::string& id) const {
  RETURN_IF_ERROR(ValidateId(id));
  auto names = platform::ListDir(root_);
  if (!names.ok()) return names.status().code() == base::Code::kNotFound ? base::Status::Ok() : names.status();
  const std::string key = IdKey(id) + "-";
  for (const std::string& n : *names) {
    const std::string path = root_ + "/" + n;
    bool removing = n.rfind(kDelPrefix + key, 0) == 0;
    // A reserve holds the lock of its .new folder until the rename: unlocked means its creator died.
    bool reserving = n.rfind(kNewPrefix + key, 0) == 0 && !platform::IsLocked(path + "/lock");
    if (!removing && !reserving) continue;
    base::Status st = platform::RemoveTree(path);
    if (!st.ok() && st.code() != base::Code::kNotFound) return st.Wrap("remove leftover " + path);
  }
  return base::Status::Ok();
}

base::Result<std::vector<std::string>> StateStore::List() const {
  auto names = platform::ListDir(root_);
  if (!names.ok()) {
    if (names.status().code() == base::Code::kNotFound) return std::vector<std::string>();
    return names.status();
  }
  std::vector<std::string> ids;
  for (const std::string& n : *names) {
    if (ValidateId(n).ok() && n[0] != '.') ids.push_back(n);  // ".new-*": creates in progress
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace ocirun
