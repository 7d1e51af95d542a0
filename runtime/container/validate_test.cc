// ValidateConfig's runtime needs for Windows containers: Windows cwds, and root left out when the
// HCS backend mounts the layers itself (as runhcs does).
#include "runtime/container/validate.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace ocirun {
namespace {

nlohmann::json WindowsConfig() {
  return nlohmann::json::parse(R"({
    "ociVersion": "1.1.0",
    "process": {"args": ["cmd.exe", "/c", "echo hello"], "cwd": "C:\\"},
    "root": {"path": "\\\\?\\Volume{5ef2ad4c-0bd3-4a8b-9b2a-8b3d3e1a2c44}\\"},
    "windows": {"layerFolders": ["C:\\layers\\base", "C:\\layers\\scratch"]}
  })");
}

base::Status Validate(const nlohmann::json& c) { return ValidateConfig(c.dump()); }

TEST(ValidateConfig, WindowsCwdIsAbsolute) {
  nlohmann::json c = WindowsConfig();
  EXPECT_TRUE(Validate(c).ok()) << Validate(c).ToString();
  c["process"]["cwd"] = "\\\\server\\share";
  EXPECT_TRUE(Validate(c).ok()) << Validate(c).ToString();
  c["process"]["cwd"] = "relative\\dir";
  EXPECT_NE(Validate(c).message().find("absolute path"), std::string::npos) << Validate(c).message();
}

TEST(ValidateConfig, ProcessIsolatedWindowsRootMayBeLeftToTheRuntime) {
  nlohmann::json c = WindowsConfig();
  c["root"]["path"] = "";
  EXPECT_TRUE(Validate(c).ok()) << Validate(c).ToString();
  c.erase("root");
  EXPECT_TRUE(Validate(c).ok()) << Validate(c).ToString();

  c["windows"]["layerFolders"] = {"C:\\layers\\scratch"};  // nothing to mount
  EXPECT_FALSE(Validate(c).ok());
}

TEST(ValidateConfig, HyperVWindowsRootMayBeLeftToTheRuntimeToo) {
  nlohmann::json c = WindowsConfig();
  c.erase("root");
  c["windows"]["hyperv"] = nlohmann::json::object();
  EXPECT_TRUE(Validate(c).ok()) << Validate(c).ToString();
}

TEST(ValidateConfig, WindowsCommandLineStandsForArgs) {
  nlohmann::json c = WindowsConfig();
  c["process"].erase("args");
  c["process"]["commandLine"] = "cmd /S /C \"echo hi\"";
  EXPECT_TRUE(Validate(c).ok()) << Validate(c).ToString();
  c["process"]["commandLine"] = "";
  EXPECT_NE(Validate(c).message().find("neither args nor commandLine"), std::string::npos) << Validate(c).message();
}

TEST(ValidateConfig, OtherRootPathsAreStillChecked) {
  nlohmann::json c = WindowsConfig();
  c["root"]["path"] = "C:\\rootfs";
  base::Status st = Validate(c);
  EXPECT_EQ(st.code(), base::Code::kInvalidArgument);
  EXPECT_NE(st.message().find("volume GUID path"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace ocirun
