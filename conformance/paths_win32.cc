// Windows builds run Windows containers only: no probe and no make-rootfs.sh (Linux-container bundles).
#include "conformance/paths.h"

namespace conform {

std::string DefaultProbePath() { return ""; }
std::string DefaultMakeRootfs() { return ""; }

}  // namespace conform
