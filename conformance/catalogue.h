// The requirement catalogue: every requirement the suites check, as data (requirements.json),
// each with a stable ID, an RFC 2119 level (or "normative" / "CLI"), its source clause and text.
// The catalogue is compiled into the binary; --catalogue FILE replaces it.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "reports/conform_results.h"

namespace conform {

struct Requirement {
  std::string id;
  std::string level;   // MUST, MUST NOT, REQUIRED, SHOULD, normative, CLI
  std::string source;  // "runtime.md#start", "runc-cli#pid-file"
  std::string text;
  // How far the suite tests it, where not fully: "partly: <what is missing>", "n/a: <why it cannot be
  // observed on this host>" or "untested: <what a case needs>". Empty: fully tested by the cases that
  // name it (the MustTable test checks some case does).
  std::string tested;
};

class Catalogue {
 public:
  // Parses requirements.json; kInvalidArgument naming the entry on a missing field or a duplicate ID.
  static base::Result<Catalogue> Parse(const std::string& json_text);
  static base::Result<Catalogue> Load(const std::string& path);
  // The catalogue built into the binary (conformance/requirements.json at build time).
  static const Catalogue& Builtin();

  const std::vector<Requirement>& requirements() const { return requirements_; }
  // nullptr when the ID is unknown.
  const Requirement* Find(const std::string& id) const;

 private:
  std::vector<Requirement> requirements_;
  std::map<std::string, size_t> index_;
};

// The runtime-enforceable MUSTs (level MUST, MUST NOT or REQUIRED of runtime.md, runtime-linux.md,
// config.md, config-linux.md, features.md), one markdown table row each: ID, clause, the cases naming
// it (`case_ids`: requirement -> case IDs), and "fully" or the requirement's "tested" note.
// docs/conform.md holds its output (catalogue_test keeps the two equal). Sets `problems` to the
// requirements without a case and without a "tested" note.
std::string MustTable(const Catalogue& catalogue, const std::map<std::string, std::vector<std::string>>& case_ids,
                      std::vector<std::string>* problems);

// covered = catalogue IDs named in `checked`; uncovered in catalogue order.
reports::Coverage ComputeCoverage(const Catalogue& catalogue, const std::set<std::string>& checked);

// Coverage of one source document prefix ("runtime.md") only.
reports::Coverage ComputeCoverageOf(const Catalogue& catalogue, const std::set<std::string>& checked,
                                    const std::string& source_prefix);

}  // namespace conform
