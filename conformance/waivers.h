// Waivers: accepted deviations, pinned so that they expire. A waiver names a case ID or a requirement
// ID, a runtime (its name on the command line or its profile name, "*" for any), the runtime versions
// it holds for (and/or the binary's sha256), optionally the failed check it covers (a substring of the
// failure text), and the reason with the spec clause. Only failures are waived: errors and timeouts
// never. A waived result is reported as "waived", never hidden; a waiver that matched nothing where
// its case ran (the case passed, the version moved on, the failure changed) is reported as stale.
//
// File (conformance/waivers.json is built in; --waivers FILE replaces it):
//   {"schema": "ocicert.waivers/v2",
//    "waivers": [{"id": "lifecycle.delete.created", "runtime": "runc",
//                 "versions": {"min": "1.1.0", "before": "1.2.0"},   // and/or "sha256": "<hex>"
//                 "check": "delete of a created container must fail",  // optional
//                 "clause": "runtime.md#delete", "reason": "..."}]}
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace conform {

struct Waiver {
  std::string id;       // case ID or requirement ID
  std::string runtime;  // runtime name, profile name or "*"
  std::string version_min;     // inclusive; "" only when sha256 pins the binary
  std::string version_before;  // exclusive; "" for no upper bound
  std::string sha256;          // lower-case hex of the runtime binary; "" for any
  std::string check;           // a substring of the failed check's text; "" covers every failed check
  std::string clause;   // "runtime.md#delete"
  std::string reason;
  std::string Describe() const;  // "lifecycle.delete.created for runc 1.1.0..<1.2.0"
};

// The runtime a waiver is matched against.
struct WaiverTarget {
  std::string name;          // as given on the command line
  std::string profile;       // profile name
  std::string version_line;  // first line of --version ("runc version 1.1.5+ds1")
  std::string sha256;        // "" when not computed (no waiver asks for it)
};

class Waivers {
 public:
  // kInvalidArgument naming the entry when a field is missing or malformed (a version that is not
  // X.Y[.Z], neither versions nor sha256), or for another schema (v1 files must be migrated).
  static base::Result<Waivers> Parse(const std::string& json_text);
  static base::Result<Waivers> Load(const std::string& path);
  static const Waivers& Builtin();

  // Waivers naming this case (by case ID, or any of its requirement IDs) and this runtime by name or
  // profile, whatever the version.
  std::vector<const Waiver*> Named(const std::string& case_id, const std::vector<std::string>& requirements,
                                   const WaiverTarget& rt) const;
  // Why a waiver does not hold for this runtime's version or binary ("" when it does).
  static std::string VersionMismatch(const Waiver& w, const WaiverTarget& rt);
  // Whether any waiver pins a binary digest for a runtime of this name or profile.
  bool WantsDigest(const WaiverTarget& rt) const;
  const std::vector<Waiver>& all() const { return waivers_; }

 private:
  std::vector<Waiver> waivers_;
};

// The release in a --version line: the first X.Y or X.Y.Z token ("runc version 1.1.5+ds1" -> 1.1.5).
std::optional<std::string> ReleaseOf(const std::string& version_line);
// -1, 0, 1 comparing dotted numeric versions ("1.1" == "1.1.0").
int CompareVersions(const std::string& a, const std::string& b);

}  // namespace conform
