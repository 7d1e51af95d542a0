// What a case's cleanup trusts: only container ids the run generated, and only a runtime's own
// non-zero exit as a refusal (a crash or a timeout is not one).
#include <gtest/gtest.h>

#include "conformance/case.h"
#include "conformance/driver.h"

namespace conform {
namespace {

TEST(CleanupIds, OnlyIdsTheRunGenerated) {
  EXPECT_TRUE(IsRunContainerId("oct-conform-ab12-runc-start-1", "ab12"));
  for (const char* id : {"..", ".", "/", "", "oct-conform-ab12-", "oct-conform-ab12-../x", "oct-conform-ab12-a/b",
                         "oct-conform-ffff-runc-1", "victim", "oct-conform-ab12-a b", "oct-conform-ab12-x."})
    EXPECT_FALSE(IsRunContainerId(id, "ab12")) << id;
  EXPECT_FALSE(IsRunContainerId("oct-conform--x", "")) << "no tag, no id";
  EXPECT_FALSE(IsRunContainerId("oct-conform-ab12-" + std::string(200, 'a'), "ab12"));
}

TEST(CleanupRefusal, ACrashOrATimeoutIsNotARefusal) {
  Call call;
  call.inv.exit_code = 1;
  EXPECT_TRUE(call.failed());
  call.inv.exit_code = 139;  // 128 + SIGSEGV, as a shell reports it
  call.signal = 11;
  EXPECT_FALSE(call.failed());
  EXPECT_FALSE(call.ok());
  call.signal = 0;
  EXPECT_FALSE(call.failed()) << "exit 139 without a signal is still the shell's 128+signal";
  call.inv.exit_code = 255;  // runc's error exit
  EXPECT_TRUE(call.failed());
  call.inv.exit_code = 1;
  call.inv.timed_out = true;
  EXPECT_FALSE(call.failed());
  call.inv.timed_out = false;
  call.inv.exit_code = -1;  // could not be started
  EXPECT_FALSE(call.failed());
}

}  // namespace
}  // namespace conform
