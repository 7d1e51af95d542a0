#include "runtime/linux/personality.h"

#include <sys/personality.h>

namespace ocirun::linux {

base::Result<unsigned long> Persona(const ocispec::Personality& p) {
  if (!p.flags.empty()) {
    return base::InvalidArgument("linux.personality.flags: runtime-spec defines no flags, got \"" + p.flags[0] + "\"");
  }
  if (p.domain == "LINUX") return PER_LINUX;
  if (p.domain == "LINUX32") return PER_LINUX32;
  return base::InvalidArgument("linux.personality.domain: expected LINUX or LINUX32, got \"" + p.domain + "\"");
}

base::Status ApplyPersonality(const ocispec::Personality& p) {
  ASSIGN_OR_RETURN(unsigned long persona, Persona(p));
  if (::personality(persona) == -1) return base::ErrnoError("personality (linux.personality)");
  return base::Status::Ok();
}

}  // namespace ocirun::linux
