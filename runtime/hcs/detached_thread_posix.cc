#include <system_error>
#include <thread>

#include "runtime/hcs/detached_thread.h"

namespace ocirun::hcs {

bool StartDetachedThread(std::function<void()> fn, std::string* error) {
  try {
    std::thread(std::move(fn)).detach();
    return true;
  } catch (const std::system_error& e) {
    *error = e.what();
    return false;
  }
}

}  // namespace ocirun::hcs
