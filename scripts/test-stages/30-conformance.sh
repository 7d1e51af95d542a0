#!/usr/bin/env bash
# Conformance self-check: `ocicert conform` against ocirun, runc and crun, twice. Each of the three is
# a gate (--gate): fails when any of them has a case failing that no waiver covers (conformance/
# waivers.json) or is otherwise not a pass (nothing passed, mostly skipped), or when the two runs
# disagree on any verdict.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${OCICERT_BUILD_DIR:-build}
OCICERT=$BUILD/ocicert/ocicert
OCIRUN=${OCICERT_OCIRUN:-$BUILD/runtime/ocirun}
OUT=${OCICERT_CONFORM_OUT:-ocicert-results/conform-ci}
[ -x "$OCICERT" ] || { echo "30-conformance: $OCICERT not built" >&2; exit 1; }
[ -x "$OCIRUN" ] || { echo "30-conformance: $OCIRUN not built" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "30-conformance: needs root (containers)" >&2; exit 1; }

# crun 1.8.1 refuses the hybrid cgroup layout without a hugetlb v1 hierarchy (idempotent remount).
bash scripts/prepare-host.sh

runtimes=(--runtime "ocirun=$OCIRUN" --runtime runc=/usr/sbin/runc --runtime "crun=$(command -v crun)")
rc=0
# The two runs use different -j (2, then 3), so a verdict that depends on which cases overlap shows.
for run in 1 2; do
  jobs=$((run + 1))
  echo "-- conform run $run (-j$jobs)"
  start=$(date +%s%N)
  "$OCICERT" conform "${runtimes[@]}" --gate ocirun --gate runc --gate crun -j"$jobs" --waivers conformance/waivers.json --out "$OUT-$run" || rc=$?
  echo "-- run $run took $(( ($(date +%s%N) - start) / 1000000 )) ms"
  [ "$rc" = 0 ] || { echo "30-conformance: run $run failed (exit $rc); see $OUT-$run/summary.md"; exit 1; }
done

# Determinism: the case x runtime verdict table of summary.md must be the same in both runs (-j2, -j3).
if ! diff <(grep '^| `' "$OUT-1/summary.md") <(grep '^| `' "$OUT-2/summary.md"); then
  echo "30-conformance: verdicts differ between the two runs (lines above)"
  exit 1
fi
echo "30-conformance: both runs green and identical ($OUT-1/summary.md)"
