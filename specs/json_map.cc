#include "specs/json_map.h"

namespace ocispec::internal {

void AppendPointerToken(std::string& pointer, std::string_view token) {
  pointer += '/';
  for (char c : token) {
    if (c == '~') pointer += "~0";
    else if (c == '/') pointer += "~1";
    else pointer += c;
  }
}

std::string DescribeJson(const json& j) {
  if (j.is_number()) return "number " + j.dump();
  return j.type_name();
}

}  // namespace ocispec::internal
