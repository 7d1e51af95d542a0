// The harness's one clock format: timestamps in results (RFC 3339, UTC) and the default names of
// output folders, which sort by time.
#pragma once

#include <string>

namespace harness {

// Now in UTC: "2026-11-28T19:00:00Z".
std::string Rfc3339Now();

// The default output folder of a command: "ocicert-results/<command>-20261128T190000Z".
std::string DefaultOutputFolder(const std::string& command);

}  // namespace harness
