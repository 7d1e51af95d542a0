#!/bin/bash
# Runs `ocicert conform` against the fake runtimes. Started by scripts/test-stages/25-hostile-runtimes.sh
# as pid 1 of a private pid + mount namespace (unshare --pid --mount --fork --mount-proc): nothing here
# can reach the host's processes, and /sys/fs/cgroup is a fake tree.
#   in-namespace.sh OCICERT ROOTFS OUT
# 1. hostile: sentinel processes, cgroups and files outside the run must be untouched afterwards.
# 2. crasher and hanger pass no case; do-nothing and liar pass only what expected-passes.txt lists.
# Every run is bounded (timeout) and must leave no process behind.
set -euo pipefail
OCICERT=$1 ROOTFS=$2 OUT=$3
HERE=$(cd "$(dirname "$0")" && pwd)
[ "$$" = 1 ] || { echo "in-namespace.sh: must run as pid 1 of a private pid namespace" >&2; exit 1; }
mount --make-rprivate /
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# --- The fake cgroup tree: a tmpfs over /sys/fs/cgroup (the host's hierarchies are out of sight), two
# named v1 hierarchies of our own (real cgroupfs, no controller: moving a process there changes
# nothing else), and a plain tmpfs "memory" folder that looks like a controller with a frozen cgroup.
tag=$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')
mount -t tmpfs -o mode=755 oct-fake-cgroup /sys/fs/cgroup
fake_ctls=(freezer pids)
for ctl in "${fake_ctls[@]}"; do
  mkdir "/sys/fs/cgroup/$ctl"
  if ! mount -t cgroup -o "none,name=oct-fake-$ctl-$tag" cgroup "/sys/fs/cgroup/$ctl"; then
    echo "SKIP: this kernel cannot mount a named cgroup v1 hierarchy (no cgroup v1 support)"; exit 0
  fi
done
sleep 900 & s_cg=$!     # in the sentinel cgroups
sleep 900 & s_root=$!   # stays in the root cgroups
sleep 900 & s_decoy=$!  # listed in the decoy folder
for ctl in "${fake_ctls[@]}"; do
  mkdir -p "/sys/fs/cgroup/$ctl/sentinel/child"
  echo "$s_cg" > "/sys/fs/cgroup/$ctl/sentinel/cgroup.procs"
done
mkdir -p /sys/fs/cgroup/memory/sentinel
echo "$s_decoy" > /sys/fs/cgroup/memory/cgroup.procs
echo "$s_decoy" > /sys/fs/cgroup/memory/sentinel/cgroup.procs
echo FROZEN > /sys/fs/cgroup/memory/sentinel/freezer.state
tree_before=$(find /sys/fs/cgroup -type d -name 'sentinel*' -o -type d -path '*/sentinel/*' | sort)
decoy_before=$(cd /sys/fs/cgroup/memory && find . -type f -exec md5sum {} + | sort)

# --- Host files outside the run, reachable through what the hostile runtime leaves in a case folder.
host_dir=$(mktemp -d /tmp/oct-hostile-host-XXXXXX)
mkdir -p "$host_dir/sub"; echo keep > "$host_dir/a"; echo keep > "$host_dir/sub/b"
host_before=$(cd "$host_dir" && find . -exec ls -ld --time-style=+%s {} + | awk '{print $1, $6, $7}' | sort)

bounded_run() {  # NAME TIMEOUT ARGS...: ocicert conform under a time limit, from a child shell so that
  local name=$1 limit=$2; shift 2  # the harness's parent is not pid 1
  local start; start=$(date +%s)
  set +e
  timeout -k 5 "$limit" bash -c '"$@"; exit $?' conform-run "$OCICERT" conform --rootfs "$ROOTFS" --no-waivers \
    --out "$OUT/$name" "$@" > "$OUT/$name.log" 2>&1
  local rc=$?
  set -e
  echo "-- $name: exit $rc in $(( $(date +%s) - start )) s"
  [ "$rc" = 124 ] || [ "$rc" = 137 ] && bad "$name: the run did not finish within ${limit} s"
  [ "$rc" = 1 ] || bad "$name: want exit 1 (cases failed), got $rc (see $OUT/$name.log)"
  [ -f "$OUT/$name/results.json" ] || bad "$name: no results.json"
  # No process of the run may stay: only the sentinels (and this shell's helpers) are left.
  local left self
  self=$(ps -o args= -p 1)  # pid 1 and its subshells
  left=$(ps -eo pid=,args= | awk -v a="$s_cg" -v b="$s_root" -v c="$s_decoy" -v self="$self" \
         '$1 != a && $1 != b && $1 != c && $2 != "ps" && $2 != "awk" && substr($0, index($0, $2)) != self' || true)
  [ -z "$left" ] || { bad "$name: processes left behind:"; echo "$left"; }
}

# --- 1. hostile
OCT_FAKE_HOSTILE_OK=1 OCT_FAKE_HOST_DIR=$host_dir OCT_FAKE_LOG=$OUT/hostile-calls.log \
  bounded_run hostile 120 --runtime "hostile=$HERE/hostile" -j4
for pid in $s_cg $s_root $s_decoy; do kill -0 "$pid" 2>/dev/null || bad "hostile: sentinel process $pid was killed"; done
[ "$tree_before" = "$(find /sys/fs/cgroup -type d -name 'sentinel*' -o -type d -path '*/sentinel/*' | sort)" ] ||
  bad "hostile: sentinel cgroup folders changed"
[ "$decoy_before" = "$(cd /sys/fs/cgroup/memory && find . -type f -exec md5sum {} + | sort)" ] ||
  bad "hostile: files of the decoy cgroup folder changed (cgroup.procs, freezer.state)"
for ctl in "${fake_ctls[@]}"; do
  grep -qx "$s_cg" "/sys/fs/cgroup/$ctl/sentinel/cgroup.procs" || bad "hostile: sentinel left its cgroup in $ctl"
done
[ "$host_before" = "$(cd "$host_dir" && find . -exec ls -ld --time-style=+%s {} + | awk '{print $1, $6, $7}' | sort)" ] ||
  bad "hostile: host files outside the run changed"
if grep -E '(^| )delete .*(victim-not-ours|--force /$|--force \.$)' "$OUT/hostile-calls.log"; then
  bad "hostile: the harness deleted ids it never created (lines above)"
fi
jq -e '.cases[] | select(.id == "operations.create.invalid-id") | .results.hostile.verdict == "fail"' \
  "$OUT/hostile/results.json" >/dev/null || bad "hostile: operations.create.invalid-id must fail (\"..\" was accepted)"
messages=$(jq -r '.cases[] | .results.hostile.message' "$OUT/hostile/results.json")
grep -q 'never signalled' <<<"$messages" || bad "hostile: no case reported the protected pids its cgroup listed"
# The hostile runtime moved pid 1 into case cgroups: back to the roots, so later runs start clean.
for ctl in "${fake_ctls[@]}"; do echo $$ > "/sys/fs/cgroup/$ctl/cgroup.procs"; done
hostile_passes=$(jq -r '.cases[] | select(.results.hostile.verdict == "pass") | .id' "$OUT/hostile/results.json")

# --- 2. the four lying fakes
check_passes() {  # NAME: the cases NAME passed must all be listed for it in expected-passes.txt
  local name=$1 passed allowed extra
  passed=$(jq -r --arg r "$name" '.cases[] | select(.results[$r].verdict == "pass") | .id' "$OUT/$name/results.json" | sort)
  allowed=$(awk -v r="$name" '$1 == r { print $2 }' "$HERE/expected-passes.txt" | sort)
  extra=$(comm -23 <(echo "$passed") <(echo "$allowed") | grep . || true)
  echo "-- $name passes $(echo "$passed" | grep -c . || true) cases: $(echo $passed)"
  [ -z "$extra" ] || bad "$name passes cases not in expected-passes.txt (vacuous?): $(echo $extra)"
}
bounded_run do-nothing 150 --runtime "do-nothing=$HERE/do-nothing" -j8
check_passes do-nothing
bounded_run liar 150 --runtime "liar=$HERE/liar" -j8
check_passes liar
bounded_run crasher 60 --runtime "crasher=$HERE/crasher" -j8
check_passes crasher
bounded_run hanger 90 --runtime "hanger=$HERE/hanger" -j8
check_passes hanger
messages=$(jq -r '.cases[] | .results.hanger.message' "$OUT/hanger/results.json")
grep -q 'hung' <<<"$messages" || bad "hanger: no case was reported as not run because the runtime hung"
echo "-- hostile passes: $(echo $hostile_passes)"

# --- Tear down what this script made (the named hierarchies go away once empty and unmounted).
kill "$s_cg" "$s_root" "$s_decoy" 2>/dev/null || true
wait 2>/dev/null || true
for ctl in "${fake_ctls[@]}"; do
  echo $$ > "/sys/fs/cgroup/$ctl/cgroup.procs" || true
  find "/sys/fs/cgroup/$ctl" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null || true
  umount "/sys/fs/cgroup/$ctl" || true
done
umount /sys/fs/cgroup || true
# The hostile runtime re-makes its bind mount of host_dir on every call, cleanup's included, so one may
# outlive the run (the harness then leaves that case folder: it never removes through a mount). Unmount
# those before removing host_dir (rmdir of a bind mount's source can say EBUSY meanwhile).
awk -v d="$host_dir" '$4 == d { print $5 }' /proc/self/mountinfo | while read -r mp; do
  umount -l "$(printf '%b' "$mp")" || true
done
rm -rf --one-file-system "$host_dir"
[ "$fail" = 0 ] && echo "hostile-runtimes: all checks passed"
exit "$fail"
