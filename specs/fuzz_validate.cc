// libFuzzer target over parsing, validation and validate's text and JSON reports (built with
// -DOCICERT_FUZZ=ON, clang, -fsanitize=fuzzer,address,undefined; run by scripts/test-stages/20-fuzz.sh;
// its corpus and crash regressions in fixtures/fuzz/specs_fuzz/ are replayed by a unit test).
// Besides "no crash, no leak, no UB", it checks the round trip (a config that parses is written back
// by ToJson, and that JSON parses again to the same JSON) and that both reports are UTF-8 whatever
// the input holds.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "specs/parse.h"
#include "base/utf8.h"
#include "specs/validate_report.h"

namespace {

void CheckRoundTrip(std::string_view text) {
  auto spec = ocispec::ParseConfig(text);
  if (!spec.ok()) return;
  nlohmann::json once = ocispec::ToJson(*spec);
  auto again = ocispec::ConfigFromJson(once);
  if (!again.ok() || ocispec::ToJson(*again) != once) std::abort();
}

// Both reports of `ocicert validate`, as it prints them, for the findings of one input.
void CheckReports(std::vector<ocispec::Finding> findings) {
  ocispec::PathReport r{"fuzz/config.json", "fuzz/config.json", "", std::move(findings)};
  std::string text = ocispec::TextReport(r);
  std::string json = ocispec::DumpReport(ocispec::JsonReport(r));
  if (base::FirstInvalidUtf8(text) || base::FirstInvalidUtf8(json)) std::abort();
  if (!nlohmann::json::accept(json)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ocispec::ValidateOptions options;
  options.platform = size % 2 ? ocispec::Platform::kWindows : ocispec::Platform::kLinux;
  options.stage = static_cast<ocispec::Stage>(size % 3);
  // Every input as a config; one in three also as a state and one in three as a features document.
  ocispec::Document second = size % 3 == 1 ? ocispec::Document::kState : ocispec::Document::kFeatures;
  for (ocispec::Document d : {ocispec::Document::kConfig, second}) {
    options.document = d;
    std::vector<ocispec::Finding> findings = ocispec::ValidateText(text, options);
    for (const ocispec::Finding& f : findings) {
      if (f.rule_id.empty() || f.message.empty()) std::abort();
    }
    CheckReports(std::move(findings));
    if (size % 3 == 0) break;
  }
  CheckRoundTrip(text);
  (void)ocispec::ParseState(text);
  (void)ocispec::ParseFeatures(text);
  (void)ocispec::ParseLinuxResources(text);
  (void)ocispec::ParseProcess(text);
  return 0;
}
