// The runtime's state document (runtime.md "State") and the features document (features.md).
// Conventions as in specs/spec.h: optional where absence matters, `extra` keeps unknown keys.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#ifdef linux  // GNU dialects predefine it; the model uses it as a member name.
#undef linux
#endif

namespace ocispec {

// `ocirun state <id>` output. status: creating|created|running|stopped (runtimes may add, e.g.
// paused). runc/runhcs also print rootfs, created, owner: those stay in `extra`.
struct State {
  std::string oci_version;
  std::string id;
  std::string status;
  std::optional<int64_t> pid;  // REQUIRED on Linux when created or running
  std::string bundle;          // absolute path
  std::map<std::string, std::string> annotations;
  nlohmann::json extra;
};

// An `{"enabled": bool}` feature flag.
struct FeatureEnabled {
  std::optional<bool> enabled;
  nlohmann::json extra;
};

struct CgroupFeatures {
  std::optional<bool> v1;
  std::optional<bool> v2;
  std::optional<bool> systemd;
  std::optional<bool> systemd_user;
  std::optional<bool> rdma;
  nlohmann::json extra;
};

struct SeccompFeatures {
  std::optional<bool> enabled;
  std::vector<std::string> actions;
  std::vector<std::string> operators;
  std::vector<std::string> archs;
  std::vector<std::string> known_flags;
  std::vector<std::string> supported_flags;
  nlohmann::json extra;
};

struct MountExtensions {
  std::optional<FeatureEnabled> idmap;
  nlohmann::json extra;
};

struct LinuxFeatures {
  std::vector<std::string> namespaces;
  std::vector<std::string> capabilities;
  std::optional<CgroupFeatures> cgroup;
  std::optional<SeccompFeatures> seccomp;
  std::optional<FeatureEnabled> apparmor;
  std::optional<FeatureEnabled> selinux;
  std::optional<FeatureEnabled> intel_rdt;
  std::optional<MountExtensions> mount_extensions;
  nlohmann::json extra;
};

// `ocirun features` output: what this runtime implements.
struct Features {
  std::string oci_version_min;  // REQUIRED
  std::string oci_version_max;  // REQUIRED
  std::vector<std::string> hooks;
  std::vector<std::string> mount_options;
  std::optional<LinuxFeatures> linux;
  std::map<std::string, std::string> annotations;
  std::vector<std::string> potentially_unsafe_config_annotations;
  nlohmann::json extra;
};

}  // namespace ocispec
