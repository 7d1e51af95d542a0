// Replays a fuzz target's committed inputs (fixtures/fuzz/<target>/: corpus/ and crashes/) through
// its LLVMFuzzerTestOneInput in the normal build, so every crash the fuzzer found stays fixed.
// The target aborts on a broken invariant, which fails this test with the input's name printed first.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

size_t ReplayFolder(const fs::path& dir) {
  size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "replay %s\n", e.path().string().c_str());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    ++n;
  }
  return n;
}

TEST(FuzzReplay, CorpusRunsClean) {
  EXPECT_GT(ReplayFolder(fs::path(OCICERT_FUZZ_INPUTS) / "corpus"), 0u) << "empty corpus " << OCICERT_FUZZ_INPUTS;
}

TEST(FuzzReplay, EveryCrashFoundRunsClean) {
  fs::path crashes = fs::path(OCICERT_FUZZ_INPUTS) / "crashes";
  if (!fs::exists(crashes)) GTEST_SKIP() << "no crash found so far for this target (" << crashes << ")";
  EXPECT_GT(ReplayFolder(crashes), 0u);
}

}  // namespace
