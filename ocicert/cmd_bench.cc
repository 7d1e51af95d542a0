// PLACEHOLDER: replaced by the owner of this command.
#include <cstdio>

#include "ocicert/commands.h"

namespace ocicert {

int RunBench(int, char**) {
  std::fprintf(stderr, "ocicert bench: not built yet\n");
  return 2;
}

}  // namespace ocicert
