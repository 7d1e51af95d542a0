#!/usr/bin/env bash
# Fuzz stage: builds the libFuzzer target specs_fuzz (parse + validate + round trip) with clang and
# ASan/UBSan in its own build folder, then runs it for a bounded time (OCICERT_FUZZ_SECONDS, default
# 60) seeded with the config fixtures. Fails on any crash, leak, UB report or timeout.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${OCICERT_FUZZ_BUILD_DIR:-build/fuzz}
SECONDS_BUDGET=${OCICERT_FUZZ_SECONDS:-60}

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
cmake --build "$BUILD" --target specs_fuzz -j2

# libFuzzer writes new inputs into the first corpus folder: a scratch one, never the fixtures.
corpus="$BUILD/fuzz-corpus"
artifacts="$BUILD/fuzz-artifacts"
mkdir -p "$corpus" "$artifacts"
echo "20-fuzz: running specs_fuzz for ${SECONDS_BUDGET}s on fixtures/configs"
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
  "$BUILD/specs/specs_fuzz" "$corpus" fixtures/configs/valid fixtures/configs/invalid fixtures/configs/bundles \
  -dict=specs/fuzz.dict -max_total_time="$SECONDS_BUDGET" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$artifacts/" -print_final_stats=1
echo "20-fuzz: no crash, leak or undefined behaviour"
