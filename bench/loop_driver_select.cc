// Builds without Google Benchmark measure with our own loop (loop_driver.h says why).
#include <random>

#include "bench/driver.h"
#include "bench/loop_driver.h"

namespace ocicert::bench {

const char* DriverName() { return kLoopDriverName; }

base::Result<std::unique_ptr<RepetitionDriver>> MakeDriver(const DriverSettings& settings,
                                                           const std::string& json_path) {
  return MakeLoopDriver(settings, json_path, std::random_device{}());
}

}  // namespace ocicert::bench
