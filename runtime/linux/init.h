// The child side of the init protocol (init_protocol.h): stage 1 (namespaces, then fork with
// CLONE_PARENT) and stage 2 (the container init for create, or the exec'd process).
#pragma once

namespace ocirun::linux {

// `ocirun init`: reads the pipe fd from the environment, runs both stages. Returns an exit code only
// on failure (after reporting it to the parent); on success it execs the user program.
int RunInit();

}  // namespace ocirun::linux
