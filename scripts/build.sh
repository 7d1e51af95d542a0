#!/usr/bin/env bash
# Configures and builds ocicert into build/ (native). Usage: scripts/build.sh [extra cmake -D flags]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${OCICERT_BUILD_DIR:-build}
# Share the compiler cache between checkouts in different folders (CI clones elsewhere).
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja "${launcher[@]}" "$@" >/dev/null
fi
cmake --build "$BUILD_DIR" -j"$(nproc)"
