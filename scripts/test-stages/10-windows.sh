#!/usr/bin/env bash
# Windows stage: cross-compiles ocirun.exe, ocicert.exe and the Windows unit tests with mingw-w64
# (cmake/MingwToolchain.cmake) into build/mingw, checks that the executables load computecore.dll at
# run time (they must start on hosts without it), runs the unit tests under wine, then runs
# ocicert.exe and ocirun.exe under wine on a few fixtures. Fails when any step fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${OCICERT_MINGW_BUILD_DIR:-build/mingw}
JOBS=${OCICERT_JOBS:-2}
WINE=/usr/lib/wine/wine64
WINESERVER=/usr/lib/wine/wineserver

for tool in x86_64-w64-mingw32-g++-posix x86_64-w64-mingw32-objdump "$WINE" "$WINESERVER"; do
  if ! command -v "$tool" >/dev/null; then
    echo "10-windows: $tool not found (Debian packages g++-mingw-w64-x86-64, mingw-w64-x86-64-dev, wine64)" >&2
    exit 1
  fi
done

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S . -B "$BUILD" -G Ninja "${launcher[@]}" -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/MingwToolchain.cmake" >/dev/null
fi
echo "10-windows: building ($BUILD)"
cmake --build "$BUILD" -j"$JOBS"

OCIRUN="$BUILD/runtime/ocirun.exe"
OCICERT="$BUILD/ocicert/ocicert.exe"
for exe in "$OCIRUN" "$OCICERT"; do
  [ -f "$exe" ] || { echo "10-windows: $exe was not built" >&2; exit 1; }
  imports=$(x86_64-w64-mingw32-objdump -p "$exe" | sed -n 's/^\s*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u | tr '\n' ' ')
  echo "10-windows: $(basename "$exe") imports: $imports"
  if [[ " $imports " == *" computecore.dll "* || " $imports " == *" vmcompute.dll "* ]]; then
    echo "10-windows: $exe links computecore.dll or vmcompute.dll at load time; it must load them with LoadLibraryExW" >&2
    exit 1
  fi
done

export WINEPREFIX="$PWD/$BUILD/wineprefix" WINEDEBUG=-all
mkdir -p "$WINEPREFIX"
# A resident wineserver makes each test start in milliseconds. Its stdio must not be our pipes, or
# a reader of this script's output never sees end-of-file.
"$WINESERVER" -p 30 </dev/null >/dev/null 2>&1 || true  # exits non-zero when one already serves this prefix
trap '"$WINESERVER" -k </dev/null >/dev/null 2>&1 || true' EXIT
# Boot the prefix now, with /dev/null as stdio: wineboot leaves helper processes (services.exe,
# winedevice.exe) running, and had they inherited ctest's pipes, test discovery would never see EOF.
timeout 120 "$WINE" wineboot -u </dev/null >/dev/null 2>&1 || true
# A crashing program ends at once, wine's "Unhandled ..." line with the faulting address on its
# stderr: no winedbg, which once hung on a crashed shim, holding this script's pipes open.
timeout 60 "$WINE" reg add 'HKLM\Software\Microsoft\Windows NT\CurrentVersion\AeDebug' /v Debugger \
  /d 'C:\windows\no-debugger.exe' /f </dev/null >/dev/null 2>&1

echo "10-windows: unit tests under wine"
# Not run under wine, with the reason: these ocirun tests drive the CLI and ps against the Linux
# backend's behaviour (host ps, Linux features JSON, containerd log records of a Linux create); the
# Windows CLI paths need a Windows host with HCS (docs/windows.md: what is verified where).
linux_only='ocirun_unit_test\.(PsTest\.RunsTheHostPs|Cli\.(ListOfAnEmptyRoot|JsonLogRecordsForContainerd|FeaturesIsJson))'
echo "10-windows: skipped under wine (Linux backend behaviour, needs a real host): $linux_only"
(cd "$BUILD" && ctest -L unit --output-on-failure -j"$JOBS" -E "$linux_only")

wine_run() { "$WINE" "$@" </dev/null; }

echo "10-windows: ocicert.exe and ocirun.exe under wine"
wine_run "$OCICERT" --version
wine_run "$OCIRUN" --version
if grep -q "RunValidate" ocicert/cmd_validate.cc && [ -d fixtures/configs/valid/windows ]; then
  shopt -s nullglob
  valid=(fixtures/configs/valid/windows/*.json)
  invalid=(fixtures/configs/invalid/windows/*.json)
  for f in "${valid[@]:0:3}"; do
    wine_run "$OCICERT" validate --platform windows "$f" >/dev/null || { echo "10-windows: validate rejected valid $f" >&2; exit 1; }
  done
  for f in "${invalid[@]:0:3}"; do
    if wine_run "$OCICERT" validate --platform windows "$f" >/dev/null 2>&1; then
      echo "10-windows: validate accepted invalid $f" >&2
      exit 1
    fi
  done
  echo "10-windows: ocicert.exe validate: valid Windows fixtures accepted, invalid ones refused"
fi
echo "10-windows: ocicert.exe conform under wine (Windows-container bundles)"
# Without --windows-layers a Windows runtime is bad usage, named as such.
if out=$(wine_run "$OCICERT" conform --runtime ocirun="$OCIRUN" --suite windows 2>&1); then
  echo "10-windows: conform without --windows-layers succeeded; it must refuse" >&2
  exit 1
fi
if [[ $out != *"--windows-layers is required: ocirun runs Windows containers"* ]]; then
  echo "10-windows: conform without --windows-layers said: $out" >&2
  exit 1
fi
# With an image's layer folder the run goes through every case and writes its reports. Wine has no
# HCS: unless a fake vmcompute.dll is installed in the prefix, each case ends in an error at its
# scratch layer, and the error says so.
conform_tmp=$(mktemp -d)
mkdir -p "$conform_tmp/layers/base"
set +e
wine_run "$OCICERT" conform --runtime ocirun="$OCIRUN" --windows-layers "Z:$conform_tmp/layers/base" \
  --suite windows --suite lifecycle -j2 --out "Z:$conform_tmp/out" >"$conform_tmp/log" 2>&1
rc=$?
set -e
tail -4 "$conform_tmp/log"
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
  echo "10-windows: ocicert.exe conform exited $rc (want 0 or 1: cases ran)" >&2
  cat "$conform_tmp/log" >&2
  exit 1
fi
for f in results.json junit.xml results.tap summary.md; do
  [ -s "$conform_tmp/out/$f" ] || { echo "10-windows: conform wrote no $f" >&2; exit 1; }
done
python3 - "$conform_tmp/out/results.json" "$WINEPREFIX" <<'PY'
import json, os, sys
results = json.load(open(sys.argv[1]))
cases = {c["id"]: c["results"]["ocirun"] for c in results["cases"]}
assert len([c for c in cases if c.startswith("windows.")]) >= 15, sorted(cases)
assert len([c for c in cases if c.startswith("lifecycle.")]) == 24, sorted(cases)
fake = os.path.exists(os.path.join(sys.argv[2], "drive_c/windows/system32/vmcompute.dll"))
for cid, r in cases.items():
    assert r["verdict"] != "skip" or "Hyper-V" in r["message"] or "isolation" in r["message"], (cid, r)
    if not fake and r["verdict"] == "error":
        assert "create scratch layer" in r["message"] and "vmcompute.dll" in r["message"], (cid, r["message"])
print("10-windows: conform ran %d Windows-container cases under wine (%s)" %
      (len(cases), "fake vmcompute.dll" if fake else "no vmcompute.dll: errors at the scratch layer, as expected"))
PY
rm -rf "$conform_tmp"
echo "10-windows: passed"
