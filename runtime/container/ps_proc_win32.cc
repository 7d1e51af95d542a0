#include "runtime/container/ps_proc.h"

namespace ocirun {

base::Result<std::string> ProcPsTable(const std::vector<int>&) {
  return base::Unimplemented("ps -f table reads /proc, which Windows has not: use ps -f json");
}

}  // namespace ocirun
