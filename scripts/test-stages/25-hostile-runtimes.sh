#!/usr/bin/env bash
# Harness safety and honesty against fake runtimes (conformance/testdata/fake-runtimes/): a hostile
# runtime (ids "..", ".", "/", state pids 1 / the harness / its parent, foreign ids in list, a bind
# mount of a host folder left in the case folder) must not make `ocicert conform` touch anything it did
# not create; a crashing and a hanging runtime pass no case; a do-nothing and a lying one pass only the
# cases listed in expected-passes.txt. All inside a private pid + mount namespace with a fake cgroup
# tree (in-namespace.sh), each run time-bounded.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${OCICERT_BUILD_DIR:-build}
OCICERT=$(realpath "$BUILD/ocicert/ocicert")
PROBE=$(realpath "$BUILD/conformance/probe")
OUT=$(realpath -m "${OCICERT_HOSTILE_OUT:-ocicert-results/hostile-runtimes}")
[ -x "$OCICERT" ] || { echo "25-hostile-runtimes: $OCICERT not built" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "25-hostile-runtimes: needs root (namespaces, mounts)" >&2; exit 1; }
command -v unshare >/dev/null || { echo "25-hostile-runtimes: needs unshare (util-linux)" >&2; exit 1; }
command -v jq >/dev/null || { echo "25-hostile-runtimes: needs jq" >&2; exit 1; }
rm -rf "$OUT"; mkdir -p "$OUT"
rootfs=$(mktemp -d /tmp/oct-hostile-rootfs-XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
bash scripts/make-rootfs.sh "$rootfs" "$PROBE" >/dev/null
start=$(date +%s)
timeout -k 10 170 unshare --pid --mount --fork --mount-proc \
  bash conformance/testdata/fake-runtimes/in-namespace.sh "$OCICERT" "$rootfs" "$OUT"
echo "25-hostile-runtimes: passed in $(( $(date +%s) - start )) s ($OUT)"
