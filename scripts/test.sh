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
# How long each part took, printed at the end: CI's whole run must stay well under its limit.
timings=()
timed() {  # timed NAME START_SECONDS
  timings+=("$(printf '%-28s %5d s' "$1" $(( $(date +%s) - $2 )))")
}
timings+=("$(printf '%-28s %5d s' "setup, build, prepare" "$SECONDS")")
echo "== ctest"
# Unit tests in parallel; tests that create containers, cgroups and daemons one at a time, so that
# their leak checks see only their own leftovers.
t0=$(date +%s)
(cd "$OCICERT_BUILD_DIR" && ctest --output-on-failure -j"$(nproc)" -L unit ${OCICERT_CTEST_ARGS:-})
timed "ctest unit" "$t0"; t0=$(date +%s)
(cd "$OCICERT_BUILD_DIR" && ctest --output-on-failure -LE unit ${OCICERT_CTEST_ARGS:-})
timed "ctest privileged+slow" "$t0"

failed=()
logs="$OCICERT_BUILD_DIR/stage-logs"
mkdir -p "$logs"
for stage in scripts/test-stages/*.sh; do
  [ -e "$stage" ] || continue
  name=$(basename "$stage" .sh)
  echo "== stage $name"
  t0=$(date +%s)
  # Each stage's output goes to the console and to $logs/NAME.log, whose end is repeated below for
  # a stage that failed: CI shows only the end of a long run's output.
  if ! bash "$stage" 2>&1 | tee "$logs/$name.log"; then
    echo "!! stage $name FAILED"
    failed+=("$name")
  fi
  timed "stage $name" "$t0"
done
echo "== time per part"
printf '%s\n' "${timings[@]}"
echo "total since start                 $SECONDS s"
if ((${#failed[@]})); then
  for name in "${failed[@]}"; do
    echo "---- the last 25 lines of failed stage $name ($logs/$name.log):"
    tail -n 25 "$logs/$name.log"
  done
  echo "test.sh: failed stages: ${failed[*]}"
  exit 1
fi
echo "test.sh: all tests and stages passed"
