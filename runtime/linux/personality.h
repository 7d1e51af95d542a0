// linux.personality: the execution domain of the container's init (personality(2)).
#pragma once

#include "base/status.h"
#include "specs/spec_linux.h"

namespace ocirun::linux {

// The persona for `p`: domain LINUX or LINUX32; runtime-spec defines no flag values yet, so any flag
// is refused. kInvalidArgument naming the field otherwise.
base::Result<unsigned long> Persona(const ocispec::Personality& p);

// Sets the calling process's execution domain.
base::Status ApplyPersonality(const ocispec::Personality& p);

}  // namespace ocirun::linux
