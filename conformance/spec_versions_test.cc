#include "conformance/spec_versions.h"

#include <gtest/gtest.h>

#include "harness/sha256.h"

namespace conform {
namespace {

TEST(SpecVersions, ParseAndCompare) {
  ASSERT_TRUE(ParseSpecVersion("1.0.2-dev"));
  EXPECT_EQ(ParseSpecVersion("1.0.2-dev")->ToString(), "1.0.2");
  EXPECT_EQ(ParseSpecVersion("1.3.0+dev")->ToString(), "1.3.0");
  EXPECT_FALSE(ParseSpecVersion("1.2"));
  EXPECT_FALSE(ParseSpecVersion("1.2.0x"));
  EXPECT_FALSE(ParseSpecVersion(""));
  EXPECT_LT(*ParseSpecVersion("1.2.1"), *ParseSpecVersion("1.3.0"));
  EXPECT_LT(*ParseSpecVersion("1.0.2"), *ParseSpecVersion("1.1.0"));
}

TEST(SpecVersions, TargetFromFlagFeaturesOrProfile) {
  Profile crun;
  crun.name = "crun";
  crun.oci_version = "1.1.0";
  auto flag = ResolveSpecTarget("1.3.0", R"({"ociVersionMax": "1.0.2-dev"})", crun);
  ASSERT_TRUE(flag.ok());
  EXPECT_EQ(flag->version, "1.3.0");
  EXPECT_FALSE(ResolveSpecTarget("latest", "", crun).ok());
  auto features = ResolveSpecTarget("", R"({"ociVersionMin": "1.0.0", "ociVersionMax": "1.0.2-dev"})", crun);
  EXPECT_EQ(features->version, "1.0.2");
  EXPECT_EQ(features->source, "features ociVersionMax 1.0.2-dev");
  auto profile = ResolveSpecTarget("", "unknown command features", crun);
  EXPECT_EQ(profile->version, "1.1.0");
  EXPECT_EQ(profile->source, "profile crun");
}

TEST(SpecVersions, CasesOutsideTheTargetSkipWithTheReason) {
  Case warn;
  warn.spec_before = "1.3.0";
  Case stop;
  stop.spec_min = "1.3.0";
  EXPECT_EQ(SpecVersionSkip(warn, "1.2.0"), "");
  EXPECT_EQ(SpecVersionSkip(stop, "1.3.0"), "");
  EXPECT_NE(SpecVersionSkip(warn, "1.3.0").find("1.0.0 up to (not including) 1.3.0"), std::string::npos);
  EXPECT_NE(SpecVersionSkip(stop, "1.0.2").find("1.3.0 and later"), std::string::npos);
  EXPECT_EQ(SpecVersionSkip(Case{}, "1.0.2"), "");  // every version
}

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(harness::Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(harness::Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(harness::Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(harness::Sha256OfFile("/no/such/file"), "");
}

}  // namespace
}  // namespace conform
