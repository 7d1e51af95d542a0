#!/usr/bin/env bash
# Fuzz stage: builds the libFuzzer targets (cmake/OcicertFuzz.cmake) with clang and ASan/UBSan in their
# own build folder, then runs each for a bounded time on its committed corpus
# (fixtures/fuzz/<target>/corpus and crashes, plus the config fixtures for specs_fuzz):
#   specs_fuzz         config/state/features parsing, validation, round trip, validate's text and JSON reports
#   ocirun_state_fuzz  what ocirun reads back from its state folder (state.json, backend facts, cgroup
#                      paths, the stored config)
#   ocirun_cli_fuzz    ocirun's command line through the command table, without running a command
# OCICERT_FUZZ_SECONDS (default 60, as when only specs_fuzz ran: the two new targets cost build time
# instead) is shared 3:1:1. Fails on any crash, leak, UB report or timeout;
# a crash input is left in $BUILD/fuzz-artifacts/<target>/: commit it under fixtures/fuzz/<target>/crashes/
# with the fix, and the unit test <target>_replay_test keeps replaying it.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${OCICERT_FUZZ_BUILD_DIR:-build/fuzz}
SECONDS_BUDGET=${OCICERT_FUZZ_SECONDS:-60}
TARGETS=(specs_fuzz ocirun_state_fuzz ocirun_cli_fuzz)
SHARES=(3 1 1)

if ! command -v clang++ >/dev/null; then
  echo "20-fuzz: clang++ not found (Debian package clang)" >&2
  exit 1
fi
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
if [ ! -f "$BUILD/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$BUILD" -G Ninja "${launcher[@]}" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOCICERT_FUZZ=ON -DOCICERT_BUILD_TESTS=OFF -DOCICERT_BUILD_BENCH=OFF \
    "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined -fno-sanitize-recover=undefined -fsanitize=fuzzer-no-link" \
    >/dev/null
fi
cmake --build "$BUILD" --target "${TARGETS[@]}" -j2

total_shares=0
for s in "${SHARES[@]}"; do total_shares=$((total_shares + s)); done
for i in "${!TARGETS[@]}"; do
  target=${TARGETS[$i]}
  seconds=$((SECONDS_BUDGET * SHARES[i] / total_shares))
  [ "$seconds" -ge 1 ] || seconds=1
  binary=$(find "$BUILD" -name "$target" -type f -perm -u+x | head -n1)
  # libFuzzer writes new inputs into the first corpus folder: a scratch one, never the fixtures.
  corpus="$BUILD/fuzz-corpus/$target"
  artifacts="$BUILD/fuzz-artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  seeds=("fixtures/fuzz/$target/corpus")
  [ -d "fixtures/fuzz/$target/crashes" ] && seeds+=("fixtures/fuzz/$target/crashes")
  extra=()
  if [ "$target" = specs_fuzz ]; then
    seeds+=(fixtures/configs/valid fixtures/configs/invalid fixtures/configs/bundles)
    extra=(-dict=specs/fuzz.dict -max_len=65536)
  else
    extra=(-max_len=4096)
  fi
  echo "20-fuzz: running $target for ${seconds}s on ${seeds[*]}"
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
    "$binary" "$corpus" "${seeds[@]}" "${extra[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts/" -print_final_stats=1
done
echo "20-fuzz: no crash, leak or undefined behaviour in ${TARGETS[*]}"
