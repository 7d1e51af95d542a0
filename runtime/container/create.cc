#include "base/file.h"
#include "runtime/container/config.h"
#include "runtime/container/id.h"
#include "runtime/container/operations.h"

namespace ocirun {
namespace {

StateFacts BaseFacts(const CreateOptions& o, const std::string& bundle, const nlohmann::json& config) {
  StateFacts f;
  f.oci_version = config.value("ociVersion", "");
  f.id = o.id;
  f.bundle = bundle;
  f.rootfs = RootfsPath(config, bundle);
  f.created = NowRfc3339Nano();
  if (config.contains("annotations") && config["annotations"].is_object()) {
    for (const auto& [k, v] : config["annotations"].items()) {
      if (v.is_string()) f.annotations[k] = v.get<std::string>();
    }
  }
  return f;
}

// Everything after the id is reserved; on failure the caller removes the state folder.
base::Status CreateReserved(const Runtime& rt, const CreateOptions& o, const std::string& bundle,
                            const nlohmann::json& config, bool foreground) {
  StateStore store = rt.store();
  StateFacts facts = BaseFacts(o, bundle, config);
  facts.owner = platform::OwnerName(store.Dir(o.id));
  RETURN_IF_ERROR(store.SaveStoredConfig(o.id, WithoutAnnotations(config)));
  if (auto a = config.find("annotations"); a != config.end()) RETURN_IF_ERROR(store.SaveAnnotations(o.id, *a));
  CreateRequest req{o.id, bundle, store.Dir(o.id), config, o.console_socket, o.no_pivot,
                    o.no_new_keyring, o.preserve_fds, foreground, o.backend_options,
                    [&store](const StateFacts& known) { return store.SaveIntent(known); }};
  RETURN_IF_ERROR(rt.backend->Create(req, facts));
  base::Status st = store.Save(facts);
  if (st.ok() && !o.pid_file.empty()) {
    st = base::WriteFileAtomic(o.pid_file, std::to_string(facts.pid), 0644).Wrap("write pid file");
  }
  if (!st.ok()) rt.backend->Destroy(facts).IgnoreError();
  return st;
}

}  // namespace

base::Status CreateWith(const Runtime& rt, const CreateOptions& o, bool foreground) {
  RETURN_IF_ERROR(ValidateId(o.id));
  ASSIGN_OR_RETURN(std::string bundle, AbsoluteBundle(o.bundle));
  std::vector<std::string> warnings;
  ASSIGN_OR_RETURN(nlohmann::json config, LoadConfig(bundle, &warnings));
  if (rt.warn) {
    for (const std::string& w : warnings) rt.warn(w);
  }
  StateStore store = rt.store();
  ASSIGN_OR_RETURN(auto lock, store.Reserve(o.id));
  base::Status st = CreateReserved(rt, o, bundle, config, foreground);
  if (!st.ok()) store.Remove(o.id).IgnoreError();
  return st;
}

base::Status Create(const Runtime& rt, const CreateOptions& opts) { return CreateWith(rt, opts, false); }

}  // namespace ocirun
