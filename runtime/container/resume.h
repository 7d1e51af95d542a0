// ocirun resume: see pause.h.
#pragma once

#include "runtime/container/pause.h"
