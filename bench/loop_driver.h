// Our own repetition driver, for builds without Google Benchmark (mingw-w64: Debian packages Google
// Benchmark for Linux only, and we neither vendor nor download it). Not Google Benchmark, but the
// same method: the repetitions of all cases of a phase run in one random order (as
// --benchmark_enable_random_interleaving), each repetition runs --iterations iterations, or, with
// --min-time, as many as Google Benchmark would pick (it grows the count until a repetition's timed
// work reaches min_time, then keeps that count for the case's later repetitions); every iteration is
// a sample. gbench.json is written in Google Benchmark's JSON layout (gbench_json.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "bench/driver.h"

namespace ocicert::bench {

// The loop driver writing to `json_path`; `seed` fixes the interleaving order (tests). Fails when
// the file cannot be written.
base::Result<std::unique_ptr<RepetitionDriver>> MakeLoopDriver(const DriverSettings& settings,
                                                               const std::string& json_path, uint32_t seed);

// What the loop driver calls itself in gbench.json's context and bench.json's host facts.
inline constexpr const char* kLoopDriverName =
    "ocicert's own loop (not Google Benchmark, which Debian does not package for mingw-w64)";

}  // namespace ocicert::bench
