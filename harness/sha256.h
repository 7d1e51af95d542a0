// SHA-256 (FIPS 180-4) of a byte string or a file: waivers pin a runtime binary by its digest.
#pragma once

#include <string>

namespace harness {

// Lower-case hex digest of `data`.
std::string Sha256Hex(const std::string& data);
// Lower-case hex digest of a file's contents; "" when it cannot be read.
std::string Sha256OfFile(const std::string& path);

}  // namespace harness
