// PLACEHOLDER: replaced by the owner of this command.
#include <cstdio>

#include "ocicert/commands.h"

namespace ocicert {

int RunReport(int, char**) {
  std::fprintf(stderr, "ocicert report: not built yet\n");
  return 2;
}

}  // namespace ocicert
