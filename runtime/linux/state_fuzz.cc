// libFuzzer target over what ocirun reads back from its state folder <root>/<id>/ (cmake/OcicertFuzz.cmake;
// scripts/test-stages/20-fuzz.sh): the input is written as state.json and as the stored config.json
// of a container in a private temporary root, then read the way the commands read them:
// StateStore::Load (the facts), the Linux backend's facts, the cgroup paths recorded there, and
// LoadStoredConfig (update, exec). Nothing is started, signalled or removed from the fuzzed facts.
// Invariants: no crash, leak or UB, and no exception escapes a reader (a corrupt state is an error).
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <cstdlib>
#include <string>
#include <string_view>

#include "base/file.h"
#include "runtime/container/state_store.h"
#include "runtime/linux/backend_facts.h"
#include "runtime/linux/cgroup.h"

namespace {

const std::string kId = "fuzz";

// A private root, made once per process (mkdtemp: mode 0700) and removed at exit.
const ocirun::StateStore& Store() {
  static const ocirun::StateStore* store = [] {
    char tmpl[] = "/tmp/ocirun-state-fuzz-XXXXXX";
    if (!::mkdtemp(tmpl)) std::abort();
    static std::string root = tmpl;
    if (::mkdir((root + "/" + kId).c_str(), 0700) != 0) std::abort();
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(root, ec);
    });
    return new ocirun::StateStore(root);
  }();
  return *store;
}

void ReadFacts(const ocirun::StateFacts& facts) {
  (void)ocirun::linux::LinuxFactsFromJson(facts.backend);
  if (!facts.cgroup_path.empty()) (void)ocirun::linux::CgroupPaths::Parse(facts.cgroup_path);
  // What `ocirun state` prints is built from the facts read back.
  (void)ocirun::FactsToJson(facts).dump();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ocirun::StateStore& store = Store();
  std::string text(reinterpret_cast<const char*>(data), size);
  if (!base::WriteFile(store.StatePath(kId), text).ok()) std::abort();
  if (!base::WriteFile(store.ConfigPath(kId), text).ok()) std::abort();
  try {
    auto facts = store.Load(kId);
    if (facts.ok() && facts->has_value()) ReadFacts(**facts);
    (void)store.LoadStoredConfig(kId);
    (void)ocirun::linux::CgroupPaths::Parse(text);
    (void)ocirun::linux::LinuxFactsFromJson(nlohmann::json::parse(text, nullptr, false));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "a state reader threw: %s\n", e.what());
    std::abort();
  }
  return 0;
}
