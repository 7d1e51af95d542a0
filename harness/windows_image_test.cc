#include "harness/windows_image.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "base/file.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

class WindowsLayersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("oct-winlayers-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                        "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    for (const char* l : {"top", "mid", "base"}) fs::create_directories(dir_ / l);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string Path(const char* name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(WindowsLayersTest, CommaListIsTakenInOrder) {
  auto layers = ResolveWindowsLayers(Path("top") + "," + Path("base"));
  ASSERT_TRUE(layers.ok()) << layers.status().ToString();
  EXPECT_EQ(*layers, (std::vector<std::string>{Path("top"), Path("base")}));
}

TEST_F(WindowsLayersTest, OneFolderIsExpandedByItsLayerchain) {
  nlohmann::json chain = {Path("mid"), Path("base")};
  ASSERT_TRUE(base::WriteFile(Path("top") + "/layerchain.json", chain.dump()).ok());
  auto layers = ResolveWindowsLayers(Path("top"));
  ASSERT_TRUE(layers.ok()) << layers.status().ToString();
  EXPECT_EQ(*layers, (std::vector<std::string>{Path("top"), Path("mid"), Path("base")}));
  // A base layer has no layerchain.json: itself only.
  auto base_only = ResolveWindowsLayers(Path("base"));
  ASSERT_TRUE(base_only.ok());
  EXPECT_EQ(base_only->size(), 1u);
}

TEST_F(WindowsLayersTest, ErrorsNameTheFlagAndTheFolder) {
  auto missing = ResolveWindowsLayers(Path("top") + "," + Path("nosuch"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), base::Code::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("--windows-layers: layer folder " + Path("nosuch")), std::string::npos)
      << missing.status().message();
  EXPECT_FALSE(ResolveWindowsLayers(",").ok());
  ASSERT_TRUE(base::WriteFile(Path("top") + "/layerchain.json", "{\"not\": \"an array\"}").ok());
  auto bad = ResolveWindowsLayers(Path("top"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("layerchain.json is not a JSON array"), std::string::npos);
  ASSERT_TRUE(base::WriteFile(Path("top") + "/layerchain.json", "[\"" + Path("gone") + "\"]").ok());
  EXPECT_FALSE(ResolveWindowsLayers(Path("top")).ok());  // a parent that does not exist
}

TEST(WindowsImageTest, CommandLinesUseCmdBuiltinsAndPing) {
  EXPECT_EQ(CmdLine({"echo a", "exit 3"}), "cmd /S /C \"echo a & exit 3\"");
  EXPECT_EQ(EchoMark("program"), "echo {\"kind\":\"program\"}>>C:\\oct\\marks.log");
  EXPECT_EQ(SleepCommand(5), "ping -n 6 127.0.0.1 >NUL");  // n pings are n-1 seconds apart
  // What cmd's echo writes (everything between "echo " and ">>") is the JSON line a Linux probe writes.
  std::string mark = EchoMark("stopped");
  nlohmann::json line = nlohmann::json::parse(mark.substr(5, mark.find(">>") - 5), nullptr, false);
  ASSERT_FALSE(line.is_discarded());
  EXPECT_EQ(line["kind"], "stopped");
}

TEST(WindowsImageTest, ContainerConfigHasLayersMappedOctAndTheProgram) {
  nlohmann::json c = WindowsContainerConfig("1.1.0", {"C:\\img\\base", "C:\\run\\scratch-1"}, "C:\\run\\oct-1", false);
  EXPECT_EQ(c["ociVersion"], "1.1.0");
  EXPECT_EQ(c["windows"]["layerFolders"], nlohmann::json({"C:\\img\\base", "C:\\run\\scratch-1"}));
  EXPECT_FALSE(c["windows"].contains("hyperv"));
  EXPECT_FALSE(c.contains("root"));  // the runtime mounts the layers and picks the volume
  EXPECT_FALSE(c.contains("linux"));
  ASSERT_EQ(c["mounts"].size(), 1u);
  EXPECT_EQ(c["mounts"][0]["destination"], "C:\\oct");
  EXPECT_EQ(c["mounts"][0]["source"], "C:\\run\\oct-1");
  EXPECT_EQ(c["process"]["commandLine"], CmdLine({EchoMark("program"), SleepCommand(3600)}));
  EXPECT_EQ(c["process"]["args"][0], "cmd");
  EXPECT_EQ(c["process"]["args"][3], EchoMark("program") + " & " + SleepCommand(3600));
  EXPECT_EQ(c["process"]["cwd"], "C:\\");
  nlohmann::json hv = WindowsContainerConfig("1.1.0", {"C:\\b", "C:\\s"}, "C:\\o", true);
  EXPECT_TRUE(hv["windows"]["hyperv"].is_object());
}

TEST(WindowsImageTest, SetWindowsProgramReplacesBothForms) {
  nlohmann::json c = WindowsContainerConfig("1.1.0", {"C:\\b", "C:\\s"}, "C:\\o", false);
  SetWindowsProgram(c, {"exit 7"});
  EXPECT_EQ(c["process"]["commandLine"], "cmd /S /C \"exit 7\"");
  EXPECT_EQ(c["process"]["args"], nlohmann::json({"cmd", "/S", "/C", "exit 7"}));
}

}  // namespace
}  // namespace harness
