#include "harness/clock.h"

#include <ctime>
#include <mutex>

namespace harness {

std::string Rfc3339Now() {
  static std::mutex mu;  // std::gmtime's result is shared
  std::lock_guard<std::mutex> lock(mu);
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

std::string DefaultOutputFolder(const std::string& command) {
  std::string compact;  // 2026-11-28T19:00:00Z -> 20261128T190000Z
  for (char c : Rfc3339Now())
    if (c != '-' && c != ':') compact += c;
  return "ocicert-results/" + command + "-" + compact;
}

}  // namespace harness
