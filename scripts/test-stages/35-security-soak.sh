#!/usr/bin/env bash
# Security and soak suites (opt-in, not part of 30-conformance): `ocicert conform --suite security
# --suite soak` against ocirun, runc and crun with the built-in waivers, the soak bounded for CI
# (100 sequential and 16-way concurrent lifecycles per runtime; the full 1,000 / 64 run in
# scripts/certify.sh). Fails when a case fails that no waiver covers, or a soak census finds a leak.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${OCICERT_BUILD_DIR:-build}
OCICERT=$BUILD/ocicert/ocicert
OCIRUN=${OCICERT_OCIRUN:-$BUILD/runtime/ocirun}
OUT=${OCICERT_SECURITY_OUT:-ocicert-results/security-soak-ci}
LIFECYCLES=${OCICERT_SOAK_LIFECYCLES:-100}
PARALLEL=${OCICERT_SOAK_PARALLEL:-16}
[ -x "$OCICERT" ] || { echo "35-security-soak: $OCICERT not built" >&2; exit 1; }
[ -x "$OCIRUN" ] || { echo "35-security-soak: $OCIRUN not built" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "35-security-soak: needs root (containers)" >&2; exit 1; }

bash scripts/prepare-host.sh

runtimes=(--runtime "ocirun=$OCIRUN" --runtime runc=/usr/sbin/runc --runtime "crun=$(command -v crun)")
start=$(date +%s%N)
rc=0
"$OCICERT" conform "${runtimes[@]}" -j2 --suite security --suite soak --soak-lifecycles "$LIFECYCLES" \
  --soak-parallel "$PARALLEL" --waivers conformance/waivers.json --out "$OUT" || rc=$?
echo "-- security + soak took $(( ($(date +%s%N) - start) / 1000000 )) ms"
# The soak figures (throughput, leak census) of each runtime.
[ -f "$OUT/results.json" ] && python3 - "$OUT/results.json" <<'PY'
import json, sys
for c in json.load(open(sys.argv[1]))["cases"]:
    if c["suite"] == "soak":
        for rt, res in c["results"].items():
            print(f"   {c['id']:<16} {rt:<7} {res['verdict']:<6} {res['message']}")
PY
[ "$rc" = 0 ] || { echo "35-security-soak: failed (exit $rc); see $OUT/summary.md"; exit 1; }
echo "35-security-soak: green ($OUT/summary.md)"
