// The layer-mount sequences (wclayer.h) against FakeLayerApi: call order, rollback, messages.
#include "runtime/hcs/wclayer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "runtime/hcs/fake_wclayer.h"
#include "runtime/hcs/hresult.h"

namespace ocirun::hcs::wclayer {
namespace {

const std::vector<std::string> kFolders = {"C:\\layers\\top", "C:\\layers\\base", "C:\\layers\\scratch"};

TEST(WcLayer, MountActivatesPreparesAndReturnsTheVolumeWithABackslash) {
  FakeLayerApi api;
  auto volume = MountContainerLayers(api, kFolders);
  ASSERT_TRUE(volume.ok()) << volume.status().ToString();
  EXPECT_EQ(*volume, "\\\\?\\Volume{6a2b1d0e-3f4c-4e5d-8a9b-0c1d2e3f4a5b}\\");
  EXPECT_EQ(api.calls(), (std::vector<std::string>{"ActivateLayer C:\\layers\\scratch",
                                                   "PrepareLayer C:\\layers\\scratch C:\\layers\\top;C:\\layers\\base",
                                                   "GetLayerMountPath C:\\layers\\scratch"}));
  api.mount_path += "\\";
  EXPECT_EQ(*MountContainerLayers(api, kFolders), api.mount_path) << "no second backslash";
}

TEST(WcLayer, MountNeedsBaseAndScratch) {
  FakeLayerApi api;
  auto volume = MountContainerLayers(api, {"C:\\layers\\scratch"});
  EXPECT_EQ(volume.status().code(), base::Code::kInvalidArgument);
  EXPECT_EQ(volume.status().message(), "need at least two layers - base and scratch");
  EXPECT_TRUE(api.calls().empty());
}

TEST(WcLayer, FailedActivateLeavesNothingToUndo) {
  FakeLayerApi api;
  api.FailNext("ActivateLayer", kAccessDenied);
  auto volume = MountContainerLayers(api, kFolders);
  EXPECT_EQ(volume.status().message(),
            "ActivateLayer C:\\layers\\scratch: access is denied (run as Administrator) (0x80070005)");
  EXPECT_EQ(volume.status().os_error(), kAccessDenied);
  EXPECT_EQ(api.calls().size(), 1u);
}

TEST(WcLayer, FailedPrepareDeactivates) {
  FakeLayerApi api;
  api.FailNext("PrepareLayer", 0x80070002);
  auto volume = MountContainerLayers(api, kFolders);
  EXPECT_EQ(volume.status().message(), "PrepareLayer C:\\layers\\scratch: HRESULT 0x80070002");
  EXPECT_EQ(api.calls().back(), "DeactivateLayer C:\\layers\\scratch");
  EXPECT_TRUE(api.activated().empty());
}

TEST(WcLayer, FailedMountPathUnpreparesThenDeactivates) {
  FakeLayerApi api;
  api.FailNext("GetLayerMountPath", kSharingViolation);
  auto volume = MountContainerLayers(api, kFolders);
  EXPECT_FALSE(volume.ok());
  const auto& calls = api.calls();
  ASSERT_EQ(calls.size(), 5u);
  EXPECT_EQ(calls[3], "UnprepareLayer C:\\layers\\scratch");
  EXPECT_EQ(calls[4], "DeactivateLayer C:\\layers\\scratch");
  EXPECT_TRUE(api.activated().empty() && api.prepared().empty());
}

TEST(WcLayer, UnmountAttemptsBothAndReturnsTheFirstError) {
  FakeLayerApi api;
  ASSERT_TRUE(MountContainerLayers(api, kFolders).ok());
  api.FailNext("UnprepareLayer", kAccessDenied);
  base::Status st = UnmountContainerLayers(api, kFolders);
  EXPECT_EQ(st.message(), "UnprepareLayer C:\\layers\\scratch: access is denied (run as Administrator) (0x80070005)");
  EXPECT_EQ(api.calls().back(), "DeactivateLayer C:\\layers\\scratch");
  EXPECT_TRUE(api.activated().empty());

  ASSERT_TRUE(MountContainerLayers(api, kFolders).ok());
  ASSERT_TRUE(UnmountContainerLayers(api, kFolders).ok());
  EXPECT_TRUE(api.activated().empty() && api.prepared().empty());
  EXPECT_EQ(UnmountContainerLayers(api, {}).message(), "need at least one layer for Unmount");
}

TEST(WcLayer, CreateScratchLayerMakesTheFolderFirst) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "oct-wclayer-scratch" / "sandbox";
  std::filesystem::remove_all(dir.parent_path());
  FakeLayerApi api;
  ASSERT_TRUE(CreateScratchLayer(api, dir.string(), {"C:\\layers\\top", "C:\\layers\\base"}).ok());
  EXPECT_TRUE(std::filesystem::is_directory(dir));
  EXPECT_EQ(api.calls(), std::vector<std::string>{"CreateSandboxLayer " + dir.string() + " C:\\layers\\top;C:\\layers\\base"});
  ASSERT_TRUE(CreateScratchLayer(api, dir.string(), {"C:\\layers\\base"}).ok()) << "an existing folder is fine";

  api.FailNext("CreateSandboxLayer", kAccessDenied);
  EXPECT_EQ(CreateScratchLayer(api, dir.string(), {}).code(), base::Code::kFailedPrecondition);
  std::filesystem::remove_all(dir.parent_path());
}

TEST(WcLayer, CreateScratchLayerReportsAFolderItCannotMake) {
  std::filesystem::path file = std::filesystem::temp_directory_path() / "oct-wclayer-file";
  { std::FILE* f = std::fopen(file.string().c_str(), "w"); ASSERT_NE(f, nullptr); std::fclose(f); }
  FakeLayerApi api;
  base::Status st = CreateScratchLayer(api, (file / "sandbox").string(), {});
  EXPECT_EQ(st.code(), base::Code::kIo);
  EXPECT_EQ(st.message().rfind("create " + (file / "sandbox").string() + ": ", 0), 0u) << st.message();
  EXPECT_TRUE(api.calls().empty());
  std::filesystem::remove(file);
}

// On a Windows host with the Containers feature vmcompute.dll answers hcsshim issue #1072's data
// point; elsewhere (Linux, wine) the call says what it needs.
TEST(WcLayer, HostNameToGuid) {
  auto id = HostLayerApi().NameToGuid("4");
  RecordProperty("host_answer", id.ok() ? *id : id.status().message());
  if (id.ok()) {
    EXPECT_EQ(*id, "bd9c3ef9-f239-59b5-a27e-15c523b1d149");
  } else {
    EXPECT_EQ(id.status().code(), base::Code::kUnimplemented);
    EXPECT_NE(id.status().message().find("vmcompute.dll"), std::string::npos) << id.status().message();
  }
}

}  // namespace
}  // namespace ocirun::hcs::wclayer
