#!/usr/bin/env bash
# Windows end-to-end stage: ocirun.exe's HCS backend (computecore client, shim, stdio relay, layer
# mounting) run under wine against the FAKE computecore.dll and vmcompute.dll of
# runtime/hcs/fakedll (test-only; their header comments list what they do not model: no isolation,
# the host's file system, no Hyper-V). Runs after 10-windows.sh, which builds $BUILD; builds only the
# targets it needs. Fails on the first mismatch, printing what was expected and what came.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${OCICERT_MINGW_BUILD_DIR:-build/mingw}
JOBS=${OCICERT_JOBS:-2}
WINE=/usr/lib/wine/wine64
WINESERVER=/usr/lib/wine/wineserver

for tool in x86_64-w64-mingw32-g++-posix "$WINE" "$WINESERVER"; do
  command -v "$tool" >/dev/null || { echo "15-windows-e2e: $tool not found (see 10-windows.sh)" >&2; exit 1; }
done
if [ ! -f "$BUILD/build.ninja" ]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  cmake -S . -B "$BUILD" -G Ninja "${launcher[@]}" -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/MingwToolchain.cmake" >/dev/null
fi
echo "15-windows-e2e: building ocirun.exe and the fake HCS DLLs ($BUILD)"
cmake --build "$BUILD" --target ocirun fake_computecore fake_vmcompute -j"$JOBS"

# A prefix of its own: 10-windows.sh's must keep running without computecore.dll / vmcompute.dll.
export WINEPREFIX="$PWD/$BUILD/wineprefix-e2e" WINEDEBUG=-all
mkdir -p "$WINEPREFIX"
"$WINESERVER" -p 30 </dev/null >/dev/null 2>&1 || true  # exits non-zero when one already serves this prefix
trap '"$WINESERVER" -k </dev/null >/dev/null 2>&1 || true' EXIT
timeout 120 "$WINE" wineboot -u </dev/null >/dev/null 2>&1 || true
# A crashing program ends at once, wine's "Unhandled ..." line with the faulting address on its
# stderr: no winedbg, which once hung on a crashed shim, holding this script's pipes open.
timeout 60 "$WINE" reg add 'HKLM\Software\Microsoft\Windows NT\CurrentVersion\AeDebug' /v Debugger \
  /d 'C:\windows\no-debugger.exe' /f </dev/null >/dev/null 2>&1

wine_run() { timeout 60 "$WINE" "$@" </dev/null; }
# Wine reports a Windows client build by default, where ocirun refuses process isolation (the pod
# matrix: clients run Hyper-V only): make the prefix a Windows Server 2022 (build 20348).
KEY='HKLM\Software\Microsoft\Windows NT\CurrentVersion'
wine_run reg add "$KEY" /v CurrentBuildNumber /d 20348 /f >/dev/null
wine_run reg add "$KEY" /v CurrentVersion /d 6.3 /f >/dev/null
wine_run reg add "$KEY" /v CSDVersion /d "" /f >/dev/null
wine_run reg add 'HKLM\System\CurrentControlSet\Control\ProductOptions' /v ProductType /d ServerNT /f >/dev/null

C="$WINEPREFIX/drive_c"
cp "$BUILD/runtime/hcs/fakedll/computecore.dll" "$BUILD/runtime/hcs/fakedll/vmcompute.dll" "$C/windows/system32/"
cp "$BUILD/runtime/ocirun.exe" "$C/ocirun.exe"
rm -rf "$C/e2e" "$C/ProgramData/fakehcs"
mkdir -p "$C/e2e/layers/base" "$C/e2e/out"
OUT="$C/e2e/out"

# A failure names what was expected; a crash under wine (its "Unhandled" line) is shown with it.
fail() {
  echo "15-windows-e2e: FAIL: $*" >&2
  grep -h "Unhandled" "$OUT"/*.err "$OUT"/*.log 2>/dev/null | tr -d '\r' | sed 's/^/15-windows-e2e: crash: /' >&2 || true
  exit 1
}
# expect_eq WHAT EXPECTED ACTUAL
expect_eq() { [ "$2" == "$3" ] || fail "$1: expected '$2', got '$3'"; }
ocirun() { timeout 60 "$WINE" "$C/ocirun.exe" --root 'C:\e2e\root' "$@" </dev/null; }
# status ID: the "status" field of `ocirun state ID`, or the error it printed.
status() {
  local out
  if out=$(ocirun state "$1" 2>&1); then
    printf '%s' "$out" | tr -d '\r' | sed -n 's/^ *"status": "\(.*\)",*$/\1/p'
  else
    printf 'error: %s' "$(printf '%s' "$out" | tr -d '\r' | sed -n 's/.*msg="\(.*\)".*/\1/p')"
  fi
}
# expect_ocirun WHAT CODE OUTPUT ARGS...: `ocirun ARGS` exits with CODE and prints OUTPUT (CRs and
# trailing blanks dropped); its stderr goes to $OUT/last.err.
expect_ocirun() {
  local what=$1 want_code=$2 want_out=$3 out code
  shift 3
  set +e
  out=$(ocirun "$@" 2>"$OUT/last.err")
  code=$?
  set -e
  expect_eq "$what: exit code" "$want_code" "$code"
  expect_eq "$what: output" "$want_out" "$(printf '%s' "$out" | tr -d '\r' | sed 's/ *$//')"
}
# bundle NAME SCRATCH COMMANDLINE ARGS_JSON: a Windows bundle whose config has no root (ocirun mounts
# the layers: base + a scratch folder) and the command line as both commandLine and args.
bundle() {
  mkdir -p "$C/e2e/$1" "$C/e2e/layers/$2"
  cat >"$C/e2e/$1/config.json" <<EOF
{"ociVersion": "1.1.0",
 "process": {"commandLine": $3, "args": $4, "cwd": "C:\\\\", "env": ["E2E=1"]},
 "windows": {"layerFolders": ["C:\\\\e2e\\\\layers\\\\base", "C:\\\\e2e\\\\layers\\\\$2"]}}
EOF
}

echo "15-windows-e2e: 1. run prints the output and exits with the process's exit code"
bundle b1 scratch1 '"cmd /S /C \"echo hello & exit 3\""' '["cmd", "/S", "/C", "echo hello & exit 3"]'
set +e
out=$(ocirun run -b 'C:\e2e\b1' c1 2>"$OUT/run.err")
code=$?
set -e
expect_eq "run c1 exit code" 3 "$code"
expect_eq "run c1 output" "hello" "$(printf '%s' "$out" | tr -d '\r' | sed 's/ *$//')"
# run deletes the container afterwards, as runc does: state fails, list is empty.
expect_eq "state c1 after run" "error: container does not exist" "$(status c1)"
expect_eq "list after run" "" "$(ocirun list -q | tr -d '\r')"
[ -z "$(ls "$C/ProgramData/fakehcs" 2>/dev/null)" ] || fail "compute systems left after run: $(ls "$C/ProgramData/fakehcs")"
[ ! -e "$C/e2e/layers/scratch1/fakehcs.activated" ] || fail "the scratch layer of c1 is still activated after run"

echo "15-windows-e2e: 2. create, start, exec, ps, pause, resume, kill, delete"
# cmd's echo reaches the pipe at once (ping's own output is buffered until it exits, and it is killed).
bundle b2 scratch2 '"cmd /S /C \"echo init-started & ping -n 60 127.0.0.1 >NUL\""' \
  '["cmd", "/S", "/C", "echo init-started & ping -n 60 127.0.0.1 >NUL"]'
timeout 60 "$WINE" "$C/ocirun.exe" --root 'C:\e2e\root' create -b 'C:\e2e\b2' c2 </dev/null >"$OUT/c2.out" 2>"$OUT/c2.err" ||
  fail "create c2: $(cat "$OUT/c2.err")"
expect_eq "state after create" created "$(status c2)"
[ -e "$C/e2e/layers/scratch2/fakehcs.prepared" ] || fail "create did not mount the layers (no PrepareLayer on scratch2)"
# create returned only once the shim held the compute system (its handle keeps the system alive).
[ -e "$C/e2e/root/c2/shim.holding" ] || fail "create returned before the shim said it holds the compute system (no shim.holding in C:\e2e\root\c2)"
ocirun start c2 || fail "start c2"
expect_eq "state after start" running "$(status c2)"
expect_ocirun "exec c2" 4 from-exec exec c2 cmd /c "echo from-exec & exit 4"
pids=$(ocirun ps -f json c2 | tr -d '\r')
[[ "$pids" =~ ^\[[0-9]+\]$ ]] || fail "ps -f json c2: expected one pid (the init), got '$pids'"
ocirun pause c2 || fail "pause c2"
expect_eq "state after pause" paused "$(status c2)"
ocirun resume c2 || fail "resume c2"
expect_eq "state after resume" running "$(status c2)"

echo "15-windows-e2e: 3. error paths"
if ocirun create -b 'C:\e2e\b2' c2 >/dev/null 2>"$OUT/dup.err"; then fail "a second create of c2 succeeded"; fi
grep -q "container with id exists: c2" "$OUT/dup.err" || fail "second create of c2: expected 'container with id exists: c2', got '$(cat "$OUT/dup.err")'"
if ocirun delete c2 2>"$OUT/del.err"; then fail "delete of running c2 without --force succeeded"; fi
grep -q "not stopped" "$OUT/del.err" || fail "delete of running c2: expected 'not stopped', got '$(cat "$OUT/del.err")'"
expect_eq "state after refused delete" running "$(status c2)"

ocirun kill c2 9 || fail "kill c2 9"
for _ in $(seq 1 50); do [ "$(status c2)" == stopped ] && break; sleep 0.2; done
expect_eq "state after kill" stopped "$(status c2)"
ocirun delete c2 || fail "delete c2"
expect_eq "state after delete" "error: container does not exist" "$(status c2)"
[ -z "$(ls "$C/ProgramData/fakehcs" 2>/dev/null)" ] || fail "compute systems left after delete: $(ls "$C/ProgramData/fakehcs")"
[ ! -e "$C/e2e/layers/scratch2/fakehcs.activated" ] || fail "delete left the scratch layer of c2 activated"
expect_eq "the init's output in create's stdout" "init-started" "$(tr -d '\r' <"$OUT/c2.out" | sed 's/ *$//')"
echo "15-windows-e2e: 4. ocicert.exe conform drives ocirun.exe through the Windows-container cases"
# The cases the fake can model must all pass. Left out, because the fake does not model them (its
# processes run on the host): windows.hostname (no GuestOs.HostName), windows.mount.* and
# lifecycle.start.created (no MappedDirectories: the program's mark lands in the host's C:\oct),
# windows.hyperv-present (no utility VMs).
echo "15-windows-e2e: not run under the fake: windows.hostname windows.mount.read-write windows.mount.read-only lifecycle.start.created windows.hyperv-present"
cmake --build "$BUILD" --target ocicert -j"$JOBS" >/dev/null
cp "$BUILD/ocicert/ocicert.exe" "$C/ocicert.exe"
rm -rf "$C/e2e/conform"
cases=()
for c in lifecycle.start.running lifecycle.start.paused lifecycle.start.stopped lifecycle.kill lifecycle.delete \
         lifecycle.pause lifecycle.resume lifecycle.state windows.run.output-and-exit windows.process \
         windows.mount.no-source windows.exec windows.kill.default windows.ps windows.layer-folders-required \
         windows.hyperv-omitted windows.resources windows.root.readonly; do
  cases+=(--case "$c")
done
conform_run() {
  rm -rf "$C/e2e/conform"
  set +e
  timeout 600 "$WINE" "$C/ocicert.exe" conform --runtime 'ocirun=C:\ocirun.exe' --windows-layers 'C:\e2e\layers\base' \
    "${cases[@]}" -j2 --out 'C:\e2e\conform' </dev/null >"$OUT/conform.log" 2>&1
  code=$?
  set -e
}
conform_run
# Known, not understood: ocirun.exe crashed now and then under wine ("Unhandled page fault on execute
# access", a thread executing freed memory; docs/windows.md). One rerun when that is what happened,
# said loudly; a second failure fails the stage.
if [ "$code" -ne 0 ] && grep -q "Unhandled page fault" "$OUT/conform.log"; then
  echo "15-windows-e2e: WARNING: a process crashed under wine during conform (known intermittent crash); running it once more"
  conform_run
fi
tr -d '\r' <"$OUT/conform.log" | grep -E "^(FAIL|ERROR)|^ocirun|coverage" || true
[ "$code" -eq 0 ] || fail "ocicert.exe conform exited $code (want 0: every case passed or was waived): $(tr -d '\r' <"$OUT/conform.log" | tail -20)"
python3 - "$C/e2e/conform/results.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
verdicts = {c["id"]: c["results"]["ocirun"]["verdict"] for c in r["cases"]}
bad = {c: v for c, v in verdicts.items() if v not in ("pass", "waived")}
assert len(verdicts) >= 35 and not bad, (len(verdicts), bad)
print("15-windows-e2e: conform: %d cases, %d pass, %d waived" % (len(verdicts),
      sum(v == "pass" for v in verdicts.values()), sum(v == "waived" for v in verdicts.values())))
PY
[ -z "$(ls "$C/ProgramData/fakehcs" 2>/dev/null)" ] || fail "compute systems left after conform: $(ls "$C/ProgramData/fakehcs")"

echo "15-windows-e2e: 5. ocicert.exe bench measures ocirun.exe (our own loop driver; a bundle and scratch layer per container)"
# Without --windows-layers a Windows bench is bad usage, named as such (exit 2).
set +e
wine_run "$C/ocicert.exe" bench --runtime 'ocirun=C:\ocirun.exe' --out 'C:\e2e\bench-none' >"$OUT/bench-usage.log" 2>&1
code=$?
set -e
expect_eq "bench without --windows-layers: exit status" 2 "$code"
grep -q -- "--windows-layers is required" "$OUT/bench-usage.log" ||
  fail "bench without --windows-layers said: $(tr -d '\r' <"$OUT/bench-usage.log")"
# Tiny settings (wine makes every ocirun.exe call take 0.3-1 s): 2 repetitions of 1 iteration after one
# warm-up, scaling with 1 background container and 2 concurrent lifecycles.
BENCH_OPS=create,start,state,exec_detached,exec_foreground,kill,delete,pause,resume,ps,run_true,lifecycle
bench_run() {
  rm -rf "$C/e2e/bench"
  set +e
  timeout 600 "$WINE" "$C/ocicert.exe" bench --runtime 'ocirun=C:\ocirun.exe' --windows-layers 'C:\e2e\layers\base' \
    --ops "$BENCH_OPS" --warmup 1 --repetitions 2 --iterations 1 --others 1 --threads 2 \
    --out 'C:\e2e\bench' </dev/null >"$OUT/bench.log" 2>&1
  code=$?
  set -e
}
bench_run
# Known, not understood, ocirun.exe under wine: the intermittent crash (step 4), and now and then
# CreateProcessW of the shim failing with "Internal error" (docs/windows.md). One rerun when one of
# those is what failed, said loudly; a second failure fails the stage.
if [ "$code" -ne 0 ] && tr -d '\r' <"$OUT/bench.log" | grep -qE "Unhandled page fault|start shim .*Internal error"; then
  echo "15-windows-e2e: WARNING: ocirun.exe failed under wine during bench (known intermittent failure):"
  tr -d '\r' <"$OUT/bench.log" | grep -E "FAILED" | head -3
  echo "15-windows-e2e: running the bench once more"
  bench_run
fi
tr -d '\r' <"$OUT/bench.log" | grep -E "FAILED|^warning|bench_driver|^ocicert bench" || true
[ "$code" -eq 0 ] || fail "ocicert.exe bench exited $code (want 0: every case measured): $(tr -d '\r' <"$OUT/bench.log" | tail -30)"
python3 - "$C/e2e/bench/bench.json" "$C/e2e/bench/gbench.json" "$BENCH_OPS" <<'PY'
import json, sys
bench, gbench, ops = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3].split(",")
cases = {c["name"]: c for c in bench["benchmarks"]}
want = [op + "/ocirun" for op in ops] + ["state/others:1/ocirun", "lifecycle/others:1/ocirun",
                                          "lifecycle/threads:2/ocirun"]
for name in want:
    c = cases.get(name)
    assert c is not None, ("missing in bench.json", name, sorted(cases))
    assert c["status"] == "ok", (name, c["status"], c["message"])
    assert len(c["samples"]) >= 2 and all(s > 0 for s in c["samples"]), (name, c["samples"])
    # The runtime's peak working set: left out when Windows (here: wine) cannot tell, never a made-up 0.
    assert c["counters"].get("runtime_peak_rss_kb", 1) > 0, (name, c["counters"])
assert "not Google Benchmark" in bench["host"]["bench_driver"], bench["host"]
assert "not Google Benchmark" in gbench["context"]["driver"], gbench["context"]
runs = {}
for b in gbench["benchmarks"]:
    runs.setdefault(b["run_name"], set()).add(b["run_type"])
for name in want:
    run = name + "/iterations:1/repeats:2/manual_time"
    assert runs.get(run) == {"iteration", "aggregate"}, ("gbench.json", run, runs.get(run))
for b in gbench["benchmarks"]:
    if b["run_type"] == "iteration":
        assert b["time_unit"] == "ms" and b["iterations"] == 1 and b["real_time"] > 0, b
rss = sum("runtime_peak_rss_kb" in cases[n]["counters"] for n in want)
print("15-windows-e2e: bench: %d cases ok, all with samples; gbench.json has %d entries for %d runs; "
      "runtime peak working set known for %d of them" % (len(want), len(gbench["benchmarks"]), len(runs), rss))
PY
# report compare reads our gbench.json as Google Benchmark's (the same run against itself: unchanged).
wine_run "$C/ocicert.exe" report compare 'C:\e2e\bench\gbench.json' 'C:\e2e\bench\gbench.json' >"$OUT/compare.log" 2>&1 ||
  fail "report compare of gbench.json: $(tr -d '\r' <"$OUT/compare.log" | tail -5)"
grep -q "0 regressed" "$OUT/compare.log" || fail "report compare of gbench.json said: $(tr -d '\r' <"$OUT/compare.log" | tail -3)"
[ -z "$(ls "$C/ProgramData/fakehcs" 2>/dev/null)" ] || fail "compute systems left after bench: $(ls "$C/ProgramData/fakehcs")"
echo "15-windows-e2e: 6. the argv hcsshim's pkg/go-runhcs builds (every global it can add; runhcs's create and exec flags)"
# runhcs.go args(): --debug --log --log-format --owner --root; runhcs_create.go: --bundle --pid-file
# --shim-log --vm-log --vm-console; runhcs_exec.go: --process --detach --pid-file --shim-log;
# runhcs_ps.go / runhcs_list.go: --format=json; runhcs_kill.go: kill ID SIGNAL; runhcs_resize-tty.go.
runhcs() {
  timeout 60 "$WINE" "$C/ocirun.exe" --debug --log 'C:\e2e\out\runhcs.log' --log-format json \
    --owner containerd-shim-runhcs-v1 --root 'C:\e2e\root' "$@" </dev/null
}
bundle b6 scratch6 '"cmd /S /C \"echo init6 & ping -n 60 127.0.0.1 >NUL\""' '["cmd", "/S", "/C", "echo init6 & ping -n 60 127.0.0.1 >NUL"]'
printf '{"args": ["cmd", "/c", "echo exec6"], "cwd": "C:\\\\"}' >"$C/e2e/b6/exec.json"
rm -f "$OUT/runhcs.log" "$OUT"/c6*.pid
runhcs create --bundle 'C:\e2e\b6' --pid-file 'C:\e2e\out\c6.pid' --shim-log 'C:\e2e\out\c6-shim.log' \
  --vm-log 'C:\e2e\out\c6-vm.log' --vm-console '\\.\pipe\c6-console' c6 >"$OUT/c6.out" 2>"$OUT/c6.err" ||
  fail "go-runhcs create c6: $(cat "$OUT/c6.err")"
state6=$(ocirun state c6 | tr -d '\r')
owner6=$(printf '%s' "$state6" | sed -n 's/^ *"owner": "\(.*\)",*$/\1/p')
expect_eq "state owner of c6 (--owner)" containerd-shim-runhcs-v1 "$owner6"
pid6=$(printf '%s' "$state6" | sed -n 's/^ *"pid": \([0-9]*\),*$/\1/p')
expect_eq "create --pid-file holds the shim's host pid (the state's pid)" "$pid6" "$(tr -d '\r' <"$OUT/c6.pid")"
expect_eq "HCS Owner of c6" containerd-shim-runhcs-v1 \
  "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["Owner"])' "$C/ProgramData/fakehcs/c6/document.json")"
runhcs start c6 || fail "go-runhcs start c6: $(tail -1 "$OUT/runhcs.log")"
runhcs exec --process 'C:\e2e\b6\exec.json' --detach --pid-file 'C:\e2e\out\c6-exec.pid' \
  --shim-log 'C:\e2e\out\c6-exec-shim.log' c6 >"$OUT/c6-execd.out" || fail "go-runhcs exec -d c6: $(tail -1 "$OUT/runhcs.log")"
# runhcs: the detached exec's own shim keeps the caller's stdio; the pid file has that shim's host pid.
for _ in $(seq 1 50); do grep -q exec6 "$OUT/c6-execd.out" && break; sleep 0.2; done
expect_eq "exec -d output (the caller's stdout)" exec6 "$(tr -d '\r' <"$OUT/c6-execd.out" | sed 's/ *$//')"
execpid=$(tr -d '\r' <"$OUT/c6-exec.pid")
[[ "$execpid" =~ ^[0-9]+$ ]] || fail "exec --pid-file: '$execpid'"
[[ ",$(ocirun ps c6 | tr -d '\r[]')," != *",$execpid,"* ]] || fail "exec -d --pid-file holds a container pid ($execpid), not the exec shim's host pid"
ls "$C/e2e/root/c6" | grep -q '^exec-' && fail "exec -d left its files in the state folder: $(ls "$C/e2e/root/c6")"
out=$(runhcs exec -u ContainerAdministrator c6 cmd /c "echo as-admin" 2>&1) || fail "exec -u ContainerAdministrator: $out"
expect_eq "exec -u ContainerAdministrator output" as-admin "$(printf '%s' "$out" | tr -d '\r' | sed 's/ *$//')"
[[ "$(runhcs ps --format=json c6 | tr -d '\r')" =~ ^\[[0-9,]+\]$ ]] || fail "ps --format=json c6"
[[ "$(runhcs ps c6 | tr -d '\r')" =~ ^\[[0-9,]+\]$ ]] || fail "ps c6 without --format: expected runhcs's JSON default"
list6=$(runhcs list --format=json | tr -d '\r')
python3 -c 'import json,sys; l=json.loads(sys.argv[1]); assert [c["owner"] for c in l if c["id"]=="c6"]==["containerd-shim-runhcs-v1"], l' "$list6" ||
  fail "list --format=json: $list6"
runhcs resize-tty --pid "$(ocirun ps c6 | tr -d '\r[]' | cut -d, -f1)" c6 120 40 || fail "resize-tty c6: $(tail -1 "$OUT/runhcs.log")"
if runhcs resize-tty c6 0 40 2>/dev/null; then fail "resize-tty with width 0 succeeded (runhcs: 1..65535)"; fi
runhcs kill c6 CtrlC || fail "go-runhcs kill c6 CtrlC: $(tail -1 "$OUT/runhcs.log")"
for _ in $(seq 1 50); do [ "$(status c6)" == stopped ] && break; sleep 0.2; done
expect_eq "state after kill CtrlC" stopped "$(status c6)"
if runhcs kill c6 CtrlNope 2>/dev/null; then fail "kill with an unknown signal name succeeded"; fi
tr -d '\r' <"$OUT/runhcs.log" | tail -1 | grep -q 'unknown signal' || fail "kill c6 CtrlNope: $(tail -1 "$OUT/runhcs.log")"
runhcs delete --force c6 || fail "go-runhcs delete --force c6"
expect_eq "state after delete --force" "error: container does not exist" "$(status c6)"
# kill 0 is CtrlC too (runhcs: numbers as signals.ValidateWCOW maps them).
bundle b7 scratch7 '"cmd /S /C \"ping -n 60 127.0.0.1 >NUL\""' '["cmd", "/S", "/C", "ping -n 60 127.0.0.1 >NUL"]'
runhcs run -d --bundle 'C:\e2e\b7' c7 >/dev/null 2>&1 || fail "run -d c7: $(tail -1 "$OUT/runhcs.log")"
runhcs kill c7 0 || fail "kill c7 0 (CtrlC): $(tail -1 "$OUT/runhcs.log")"
for _ in $(seq 1 50); do [ "$(status c7)" == stopped ] && break; sleep 0.2; done
expect_eq "state after kill 0" stopped "$(status c7)"
runhcs delete c7 || fail "delete c7"
[ -z "$(ls "$C/ProgramData/fakehcs" 2>/dev/null)" ] || fail "compute systems left after the go-runhcs step: $(ls "$C/ProgramData/fakehcs")"

echo "15-windows-e2e: 7. per Windows build: each build's fake computecore.dll, exporting what that build has"
OBJDUMP=x86_64-w64-mingw32-objdump
exports() { "$OBJDUMP" -p "$1" | sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' | grep -o 'Hcs[A-Za-z]*' | sort; }
dll_of() { if [ "$1" == 20348 ]; then echo "$BUILD/runtime/hcs/fakedll/computecore.dll"; else echo "$BUILD/runtime/hcs/fakedll/$1/computecore.dll"; fi; }
# Microsoft's HCS reference: HcsWaitForProcessExit from Server 2022 on; HcsSetProcessCallback from 2019.
exports "$(dll_of 17763)" | grep -qx HcsWaitForProcessExit && fail "the 17763 fake exports HcsWaitForProcessExit"
exports "$(dll_of 17763)" | grep -qx HcsSetProcessCallback || fail "the 17763 fake lacks HcsSetProcessCallback"
for b in 20348 26100; do exports "$(dll_of $b)" | grep -qx HcsWaitForProcessExit || fail "the $b fake lacks HcsWaitForProcessExit"; done
# set_build BUILD: the prefix reports BUILD, system32 holds that build's fake (none before RS5).
set_build() {
  wine_run reg add "$KEY" /v CurrentBuildNumber /d "$1" /f >/dev/null
  rm -f "$C/windows/system32/computecore.dll"
  if [ "$1" -ge 17763 ]; then cp "$(dll_of "$1")" "$C/windows/system32/computecore.dll"; fi
}
# Each fake refuses to serve a prefix reporting another build, so what passes below ran on its own.
set_build 17763
cp "$(dll_of 20348)" "$C/windows/system32/computecore.dll"
bundle b8 scratch8 '"cmd /S /C \"echo build & exit 5\""' '["cmd", "/S", "/C", "echo build & exit 5"]'
if ocirun run -b 'C:\e2e\b8' c8 >/dev/null 2>"$OUT/mismatch.err"; then fail "the 20348 fake served a 17763 prefix"; fi
grep -q "stands for build 20348 but the host reports build 17763" "$OUT/mismatch.err" ||
  fail "the 20348 fake in a 17763 prefix: $(tr -d '\r' <"$OUT/mismatch.err")"
# A failed create leaves no state folder behind (its lock was taken before the folder was renamed).
[ ! -e "$C/e2e/root/c8" ] || fail "the failed run of c8 left C:\e2e\root\c8 behind: $(ls -a "$C/e2e/root/c8")"
for b in 17763 26100; do
  set_build $b
  expect_ocirun "build $b: run" 5 build run -b 'C:\e2e\b8' c8
  timeout 60 "$WINE" "$C/ocirun.exe" --root 'C:\e2e\root' create -b 'C:\e2e\b2' c9 </dev/null >/dev/null 2>"$OUT/c9.err" ||
    fail "build $b: create c9: $(cat "$OUT/c9.err")"
  ocirun start c9 || fail "build $b: start c9"
  expect_ocirun "build $b: exec" 6 "exec-$b" exec c9 cmd /c "echo exec-$b & exit 6"
  ocirun kill c9 KILL || fail "build $b: kill c9"
  for _ in $(seq 1 50); do [ "$(status c9)" == stopped ] && break; sleep 0.2; done
  expect_eq "build $b: state after kill" stopped "$(status c9)"
  ocirun delete c9 || fail "build $b: delete c9"
  [ -z "$(ls "$C/ProgramData/fakehcs" 2>/dev/null)" ] || fail "build $b: compute systems left: $(ls "$C/ProgramData/fakehcs")"
  echo "15-windows-e2e: build $b: run, create, start, exec, kill, delete passed"
done
# Before RS5 there is no computecore.dll: ocirun says the build is unsupported, and leaves nothing.
set_build 17134
if ocirun run -b 'C:\e2e\b8' c10 >/dev/null 2>"$OUT/rs4.err"; then fail "run on build 17134 succeeded"; fi
grep -q "Windows RS4 (17134) is not supported: ocirun needs Windows Server 2019" "$OUT/rs4.err" ||
  fail "run on build 17134: expected 'Windows RS4 (17134) is not supported: ocirun needs Windows Server 2019 ...', got '$(tr -d '\r' <"$OUT/rs4.err")'"
expect_eq "list after the refused run on 17134" "" "$(ocirun list -q | tr -d '\r')"
echo "15-windows-e2e: build 17134: refused as unsupported"
set_build 20348

echo "15-windows-e2e: passed"
