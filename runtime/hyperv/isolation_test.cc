#include "runtime/hyperv/isolation.h"

#include <gtest/gtest.h>

namespace ocirun::hyperv {
namespace {

TEST(Isolation, AnnotationWinsOverTheDefault) {
  nlohmann::json config{{"annotations", {{kIsolationAnnotation, "hyperv"}}}};
  EXPECT_EQ(*ChooseIsolation(config, Isolation::kProcess), Isolation::kHyperv);
  config["annotations"][kIsolationAnnotation] = "process";
  EXPECT_EQ(*ChooseIsolation(config, Isolation::kHyperv), Isolation::kProcess);
}

TEST(Isolation, NoAnnotationTakesTheDefault) {
  EXPECT_EQ(*ChooseIsolation(nlohmann::json::object(), Isolation::kHyperv), Isolation::kHyperv);
  EXPECT_EQ(*ChooseIsolation({{"annotations", {{"other", "x"}}}}, Isolation::kProcess), Isolation::kProcess);
}

TEST(Isolation, BadValuesNameTheAnnotation) {
  auto r = ChooseIsolation({{"annotations", {{kIsolationAnnotation, "vm"}}}}, Isolation::kProcess);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("io.ocirun.isolation"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("\"vm\""), std::string::npos);
  EXPECT_FALSE(ChooseIsolation({{"annotations", {{kIsolationAnnotation, 1}}}}, Isolation::kProcess).ok());
  auto flag = ParseIsolation("Hyperv", "--isolation");
  ASSERT_FALSE(flag.ok());
  EXPECT_NE(flag.status().message().find("--isolation"), std::string::npos);
}

TEST(Isolation, RecordedModeDrivesLaterVerbs) {
  StateFacts f;
  EXPECT_EQ(RecordedIsolation(f), Isolation::kProcess);  // made before modes existed
  f.backend = {{"isolation", "hyperv"}};
  EXPECT_EQ(RecordedIsolation(f), Isolation::kHyperv);
  f.backend = {{"isolation", "process"}};
  EXPECT_EQ(RecordedIsolation(f), Isolation::kProcess);
  EXPECT_EQ(IsolationName(Isolation::kHyperv), "hyperv");
}

}  // namespace
}  // namespace ocirun::hyperv
