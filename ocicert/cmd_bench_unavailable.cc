// `ocicert bench` in a Linux build without Google Benchmark (OCICERT_BUILD_BENCH=OFF, or not packaged):
// the command says why it cannot run. ocicert/CMakeLists.txt picks this file or cmd_bench.cc.
#include <cstdio>

#include "ocicert/commands.h"

namespace ocicert {

int RunBench(int, char**) {
  std::fprintf(stderr, "ocicert bench: this build has no benchmark support (configured with OCICERT_BUILD_BENCH=OFF)\n");
  return 2;
}

}  // namespace ocicert
