// The portable part of the host seam (host.h); host_posix.cc / host_win32.cc hold the rest.
#include "harness/host.h"

namespace harness::host {

std::atomic<bool>& Interrupted() {
  static std::atomic<bool> flag{false};
  return flag;
}

}  // namespace harness::host
