// The HRESULT mapping, the client stub off Windows / missing DLL, and the fake's state machine that
// the Windows backend's tests rely on.
#include <gtest/gtest.h>

#include "runtime/hcs/fake_hcs.h"
#include "runtime/hcs/hcs_client.h"
#include "runtime/hcs/translate.h"

namespace ocirun::hcs {
namespace {

TEST(HcsError, KnownCodesMapToStatusCodes) {
  struct { uint32_t hr; base::Code code; const char* text; } cases[] = {
      {kHcsSystemNotFound, base::Code::kNotFound, "the compute system does not exist (0xc037010e)"},
      {kHcsAlreadyExists, base::Code::kAlreadyExists, "already exists (0xc037010f)"},
      {kHcsInvalidState, base::Code::kFailedPrecondition, "invalid state for this operation (0xc0370105)"},
      {kHcsAlreadyStopped, base::Code::kFailedPrecondition, "already stopped (0xc0370110)"},
      {kHcsInvalidJson, base::Code::kInvalidArgument, "rejected the JSON document (0xc037010d)"},
      {kHcsOperationTimeout, base::Code::kTimeout, "timed out (0x80370118)"},
      {kHcsProcessAlreadyStopped, base::Code::kFailedPrecondition, "process has already stopped (0x8037011f)"},
      {kAccessDenied, base::Code::kFailedPrecondition, "run as Administrator"},
      {0x80004005, base::Code::kIo, "HRESULT 0x80004005"},
  };
  for (const auto& c : cases) {
    base::Status st = HcsError("start c1", c.hr);
    EXPECT_EQ(st.code(), c.code) << std::hex << c.hr;
    EXPECT_EQ(st.os_error(), static_cast<int64_t>(c.hr));
    EXPECT_NE(st.message().find(c.text), std::string::npos) << st.message();
    EXPECT_EQ(st.message().rfind("start c1: ", 0), 0u) << st.message();
  }
}

TEST(HcsError, ErrorDocumentDetailIsKept) {
  base::Status st = HcsError("create compute system c1", kHcsInvalidJson,
                             R"({"Error":-1070137075,"ErrorMessage":"The JSON document is invalid.",)"
                             R"("ErrorEvents":[{"Message":"Unknown field 'Foo'"}]})");
  EXPECT_NE(st.message().find("The JSON document is invalid.; Unknown field 'Foo'"), std::string::npos) << st.message();
}

TEST(HcsError, StopTolerance) {
  EXPECT_TRUE(IsAlreadyStopped(HcsError("x", kHcsAlreadyStopped)));
  EXPECT_TRUE(IsAlreadyStopped(HcsError("x", kHcsProcessAlreadyStopped)));
  EXPECT_TRUE(IsNotExist(HcsError("x", kHcsSystemNotFound)));
  EXPECT_TRUE(IsPending(HcsError("x", kHcsPending)));
  EXPECT_FALSE(IsNotExist(HcsError("x", kHcsInvalidState)));
}

TEST(FakeHcs, LifecycleFollowsTheServiceStateMachine) {
  FakeHcs hcs;
  auto sys = hcs.Create("c1", {{"Container", nlohmann::json::object()}});
  ASSERT_TRUE(sys.ok());
  EXPECT_EQ(hcs.Create("c1", {}).status().code(), base::Code::kAlreadyExists);
  EXPECT_EQ((*sys)->Pause().code(), base::Code::kFailedPrecondition) << "pause before start";
  ASSERT_TRUE((*sys)->Start().ok());
  ASSERT_TRUE((*sys)->Pause().ok());
  auto props = (*sys)->Properties(PropertyQuery({"ProcessList"}));
  ASSERT_TRUE(props.ok());
  EXPECT_EQ(OciStatusFromHcsState((*props)["State"].get<std::string>()), "paused");
  ASSERT_TRUE((*sys)->Resume().ok());
  auto proc = (*sys)->CreateProcess({{"CommandLine", "cmd /c exit 3"}});
  ASSERT_TRUE(proc.ok());
  EXPECT_EQ((*proc)->WaitExit(Timeout(10)).status().code(), base::Code::kTimeout);
  ASSERT_TRUE((*sys)->Terminate().ok());
  EXPECT_EQ(*(*proc)->WaitExit(Timeout(10)), 1067);
  EXPECT_TRUE(IsAlreadyStopped((*sys)->Terminate()));
  EXPECT_EQ(hcs.Open("nope").status().code(), base::Code::kNotFound);
}

TEST(FakeHcs, RecordsCallsAndInjectsFailures) {
  FakeHcs hcs;
  hcs.FailNext("Start", kHcsInvalidJson);
  auto sys = hcs.Create("c2", {});
  ASSERT_TRUE(sys.ok());
  EXPECT_EQ((*sys)->Start().code(), base::Code::kInvalidArgument);
  EXPECT_TRUE((*sys)->Start().ok()) << "a failure is injected once";
  sys->reset();
  std::vector<std::string> want = {"Create c2", "Start c2", "Start c2", "Close c2"};
  EXPECT_EQ(hcs.calls(), want);
}

TEST(ComputeCore, UnavailableIsReportedClearly) {
  auto client = OpenComputeCore();
  if (client.ok()) GTEST_SKIP() << "computecore.dll is present on this host; nothing to check";
  EXPECT_EQ(client.status().code(), base::Code::kUnimplemented);
  EXPECT_EQ(client.status().message().rfind("HCS not available", 0), 0u) << client.status().message();
}

}  // namespace
}  // namespace ocirun::hcs
