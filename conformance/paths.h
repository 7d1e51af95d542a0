// Where the probe binary and make-rootfs.sh are: beside the ocicert binary, in the build tree, or
// where they were at build time (the last candidate is returned even when missing, for the message).
#pragma once

#include <string>

namespace conform {

std::string DefaultProbePath();
std::string DefaultMakeRootfs();

}  // namespace conform
