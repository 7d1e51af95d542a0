// GUIDs for HCS documents: RFC 4122 name-based (version 5, SHA-1) GUIDs, and the layer ids that
// Storage.Layers carries.
//
// hcsshim derives a layer's Id with wclayer.LayerID(path) = NameToGuid(filepath.Base(path)), and
// NameToGuid calls vmcompute.dll!NameToGuid: the algorithm lives inside the HCS and is not published
// (hcsshim issue #1072 records one data point: "4" -> bd9c3ef9-f239-59b5-a27e-15c523b1d149, a version-5
// GUID whose namespace is not public). So the layer id source is a function the caller picks:
//   - on Windows, the HCS client passes vmcompute.dll's NameToGuid (exactly what hcsshim does);
//   - everywhere else (tests, translation previews), PortableLayerId: a version-5 GUID over the UTF-16LE
//     base name under ocirun's own namespace. Same property (same folder name, same id, on every
//     client), different values from the HCS's; documents made with it are for tests only.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace ocirun::hcs {

using GuidBytes = std::array<uint8_t, 16>;  // RFC 4122 byte order (big-endian fields)

// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", lowercase.
std::string FormatGuid(const GuidBytes& g);
// Parses the form above (braces allowed); kInvalidArgument otherwise.
base::Result<GuidBytes> ParseGuid(std::string_view text);

// SHA-1 of `data` (20 bytes).
std::array<uint8_t, 20> Sha1(std::string_view data);

// RFC 4122 section 4.3 version-5 GUID of `name` in `ns`.
GuidBytes NewV5(const GuidBytes& ns, std::string_view name);

// The last path element of a Windows or POSIX path ("C:\\layers\\abc\\" -> "abc").
std::string BaseName(std::string_view path);

// Maps a layer folder to its Storage.Layers Id.
using LayerIdFunc = std::function<base::Result<std::string>(const std::string& layer_folder)>;

// The portable stand-in for NameToGuid described above.
base::Result<std::string> PortableLayerId(const std::string& layer_folder);

}  // namespace ocirun::hcs
