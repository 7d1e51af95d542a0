#!/usr/bin/env bash
# Benchmark smoke stage: a short `ocicert bench --quick` of ocirun, runc and crun side by side, then an
# ADVISORY comparison against the committed baseline for this machine kind (timing on a shared CI
# machine is noisy: a regression is printed, never fatal) and the HTML report.
# Fails only when the bench itself fails (a runtime operation errors, or the harness breaks).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${OCICERT_BUILD_DIR:-build}
ocicert="$build/ocicert/ocicert"
[ -x "$ocicert" ] || { echo "40-bench: $ocicert not built" >&2; exit 1; }
if [ "$(id -u)" != 0 ]; then
  echo "40-bench: SKIP: needs root to create containers"
  exit 0
fi

# crun 1.8 refuses the cgroup v1/v2 hybrid layout until a v1 hierarchy it accepts is mounted.
if command -v crun >/dev/null && [ -d /sys/fs/cgroup/unified ] && ! mountpoint -q /sys/fs/cgroup/hugetlb; then
  echo "40-bench: mounting the hugetlb cgroup v1 hierarchy for crun (hybrid layout)"
  mkdir -p /sys/fs/cgroup/hugetlb
  mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb
fi

out=${OCICERT_BENCH_OUT:-$build/bench-results}
rm -rf "$out"
runtimes=()
[ -x "$build/runtime/ocirun" ] && runtimes+=(--runtime "ocirun=$build/runtime/ocirun")
[ -x /usr/sbin/runc ] && runtimes+=(--runtime runc=/usr/sbin/runc)
command -v crun >/dev/null && runtimes+=(--runtime "crun=$(command -v crun)")
((${#runtimes[@]})) || { echo "40-bench: no runtime to benchmark" >&2; exit 1; }

# ocirun's operations through its library as well (the CLI's share of each latency).
library=()
[ -x "$build/bench/ocirun-libbench" ] && library=(--library-helper "$build/bench/ocirun-libbench")
echo "40-bench: ocicert bench --quick ${runtimes[*]} ${library[*]}"
"$ocicert" bench --quick "${runtimes[@]}" "${library[@]}" --isolation process,hyperv --out "$out"

kind=$(uname -s | tr A-Z a-z)-$(uname -m)-$(nproc)cpu
baseline=reports/baselines/$kind.json
if [ -f "$baseline" ]; then
  # Ratios to crun measured in the same run: the baseline was recorded on another machine (or the
  # same one in another mood), and a uniformly slower host must not read as a regression.
  normalize=()
  command -v crun >/dev/null && grep -q '"name": "crun"' "$baseline" && normalize=(--normalize-to crun)
  echo "40-bench: advisory comparison against $baseline ${normalize[*]} (not gating: shared, noisy machine)"
  "$ocicert" report compare "$baseline" "$out/bench.json" --threshold 15 "${normalize[@]}" || \
    echo "40-bench: ADVISORY: regression(s) above; compare on a quiet machine before acting"
  history=(--history "$baseline")
else
  echo "40-bench: no baseline for machine kind $kind (add one: docs/bench.md)"
  history=()
fi
"$ocicert" report html --bench "$out/bench.json" "${history[@]}" -o "$out/report.html"
echo "40-bench: report at $out/report.html"
