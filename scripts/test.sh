#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs every CTest test (unit, privileged, slow),
# then each extra stage in scripts/test-stages/ (cross build, fuzzing, conformance self-check,
# benchmark smoke), in name order. Exits non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export OCICERT_BUILD_DIR=${OCICERT_BUILD_DIR:-build}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}  # clones in other folders share the compiler cache

bash scripts/setup-deps.sh
echo "== build ($OCICERT_BUILD_DIR)"
bash scripts/build.sh
bash scripts/prepare-host.sh
echo "== ctest"
# Unit tests in parallel; tests that create containers, cgroups and daemons one at a time, so that
# their leak checks see only their own leftovers.
(cd "$OCICERT_BUILD_DIR" && ctest --output-on-failure -j"$(nproc)" -L unit ${OCICERT_CTEST_ARGS:-})
(cd "$OCICERT_BUILD_DIR" && ctest --output-on-failure -LE unit ${OCICERT_CTEST_ARGS:-})

failed=()
for stage in scripts/test-stages/*.sh; do
  [ -e "$stage" ] || continue
  echo "== stage $(basename "$stage")"
  if ! bash "$stage"; then
    echo "!! stage $(basename "$stage") FAILED"
    failed+=("$(basename "$stage")")
  fi
done
if ((${#failed[@]})); then
  echo "test.sh: failed stages: ${failed[*]}"
  exit 1
fi
echo "test.sh: all tests and stages passed"
