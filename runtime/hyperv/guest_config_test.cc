#include "runtime/hyperv/guest_config.h"

#include <gtest/gtest.h>

#include "runtime/hyperv/isolation.h"

namespace ocirun::hyperv {
namespace {

nlohmann::json Base() {
  return {{"ociVersion", "1.2.0"},
          {"process", {{"args", {"sh"}}, {"cwd", "/"}}},
          {"root", {{"path", "rootfs"}}},
          {"annotations", {{kIsolationAnnotation, "hyperv"}, {"keep", "me"}}},
          {"mounts", {{{"destination", "/proc"}, {"type", "proc"}, {"source", "proc"}}}}};
}

TEST(GuestConfig, DropsTheIsolationAnnotationOnly) {
  auto g = GuestConfig(Base());
  ASSERT_TRUE(g.ok()) << g.status().message();
  EXPECT_FALSE((*g)["annotations"].contains(kIsolationAnnotation));
  EXPECT_EQ((*g)["annotations"]["keep"], "me");
  EXPECT_EQ((*g)["mounts"].size(), 1u);
  EXPECT_EQ((*g)["process"]["args"][0], "sh");
}

TEST(GuestConfig, RefusesWhatAVmCannotHonourYetNamingTheField) {
  nlohmann::json c = Base();
  c["process"]["terminal"] = true;
  auto r = GuestConfig(c);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("process.terminal"), std::string::npos);

  c = Base();
  c["hooks"] = {{"prestart", {{{"path", "/bin/true"}}}}};
  EXPECT_NE(GuestConfig(c).status().message().find("hooks"), std::string::npos);

  c = Base();
  c["mounts"].push_back({{"destination", "/data"}, {"source", "/srv"}, {"options", {"rbind", "ro"}}});
  r = GuestConfig(c);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("mounts[1]"), std::string::npos) << r.status().message();
  c["mounts"][1] = {{"destination", "/data"}, {"source", "/srv"}, {"type", "bind"}};
  EXPECT_FALSE(GuestConfig(c).ok());
}

}  // namespace
}  // namespace ocirun::hyperv
