// Reading a bundle's config.json for create: parse, validate with specs/ (the error names the field),
// and basic facts the core needs (root path, annotations).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace ocirun {

// The absolute form of `bundle` ("" = the current folder).
base::Result<std::string> AbsoluteBundle(const std::string& bundle);

// Reads and validates <bundle>/config.json. kNotFound "JSON specification file config.json not found"
// (runc's words) when absent; kInvalidArgument naming the field when invalid. SHOULD-level findings
// are appended to `warnings` when given.
base::Result<nlohmann::json> LoadConfig(const std::string& bundle, std::vector<std::string>* warnings = nullptr);

// A copy of the config's top level without "annotations" (what the stored config and the init need:
// annotations can be tens of MB and are kept apart, see state_store.h).
nlohmann::json WithoutAnnotations(const nlohmann::json& config);

// root.path made absolute against the bundle.
std::string RootfsPath(const nlohmann::json& config, const std::string& bundle);

// The current time as RFC3339 with nanoseconds, UTC ("2026-11-28T12:14:06.123456789Z").
std::string NowRfc3339Nano();

}  // namespace ocirun
