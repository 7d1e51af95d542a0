// Waivers: accepted deviations. A waiver names a case ID or a requirement ID, a runtime (its name on
// the command line or its profile name, "*" for any) and the reason with the spec clause. A failing
// (or erroring) case that matches a waiver is reported as "waived", never hidden.
//
// File (conformance/waivers.json is built in; --waivers FILE replaces it):
//   {"schema": "ocicert.waivers/v1",
//    "waivers": [{"id": "lifecycle.delete.created", "runtime": "runc",
//                 "clause": "runtime.md#delete", "reason": "..."}]}
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace conform {

struct Waiver {
  std::string id;       // case ID or requirement ID
  std::string runtime;  // runtime name, profile name or "*"
  std::string clause;   // "runtime.md#delete"
  std::string reason;
};

class Waivers {
 public:
  // kInvalidArgument naming the entry when id, runtime, clause or reason is missing.
  static base::Result<Waivers> Parse(const std::string& json_text);
  static base::Result<Waivers> Load(const std::string& path);
  static const Waivers& Builtin();

  // The first waiver for this case (by case ID, then by any of its requirement IDs) and runtime.
  const Waiver* Match(const std::string& case_id, const std::vector<std::string>& requirements,
                      const std::string& runtime_name, const std::string& profile_name) const;
  const std::vector<Waiver>& all() const { return waivers_; }

 private:
  std::vector<Waiver> waivers_;
};

}  // namespace conform
