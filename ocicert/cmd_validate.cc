// PLACEHOLDER: replaced by the owner of this command.
#include <cstdio>

#include "ocicert/commands.h"

namespace ocicert {

int RunValidate(int, char**) {
  std::fprintf(stderr, "ocicert validate: not built yet\n");
  return 2;
}

}  // namespace ocicert
