// The helpers that read the host's /proc: namespace identities (Linux-container suites only).
#include <unistd.h>

#include "conformance/helpers.h"

namespace conform {

std::string NamespaceOf(const std::string& pid, const std::string& type) {
  char buf[256];
  std::string path = "/proc/" + pid + "/ns/" + type;
  ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
  return n < 0 ? "" : std::string(buf, static_cast<size_t>(n));
}

}  // namespace conform
