// The CLI side of the owner socket: one request per connection (protocol.h).
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace ocirun::hyperv {

// Output of an exec, relayed while its request is pending: stream 1 or 2 and the bytes.
using OutputSink = std::function<void(int stream, const std::string& data)>;

// Sends {op, args} to the owner of the container whose state folder is `state_dir` and returns the
// reply's results. kFailedPrecondition "container not running" when no owner listens (the VM is
// gone); kTimeout after `timeout` (zero: none); the agent's error otherwise.
base::Result<nlohmann::json> CallOwner(const std::string& state_dir, const std::string& op,
                                       nlohmann::json args = nlohmann::json::object(),
                                       std::chrono::milliseconds timeout = std::chrono::milliseconds(0),
                                       const OutputSink& output = nullptr);

}  // namespace ocirun::hyperv
