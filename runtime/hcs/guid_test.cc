#include "runtime/hcs/guid.h"

#include <gtest/gtest.h>

namespace ocirun::hcs {
namespace {

std::string Hex(const std::array<uint8_t, 20>& d) {
  static const char* k = "0123456789abcdef";
  std::string s;
  for (uint8_t b : d) { s += k[b >> 4]; s += k[b & 15]; }
  return s;
}

TEST(Guid, Sha1KnownAnswers) {
  EXPECT_EQ(Hex(Sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(Hex(Sha1("")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(Hex(Sha1(std::string(1000000, 'a'))), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST(Guid, V5MatchesRfc4122) {
  auto dns = ParseGuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
  ASSERT_TRUE(dns.ok());
  EXPECT_EQ(FormatGuid(NewV5(*dns, "python.org")), "886313e1-3b8a-5372-9b90-0c9aee199e5d");
}

TEST(Guid, ParseAndFormat) {
  auto g = ParseGuid("{DCC079AE-60BA-4D07-847C-3493609C0870}");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(FormatGuid(*g), "dcc079ae-60ba-4d07-847c-3493609c0870");
  EXPECT_FALSE(ParseGuid("dcc079ae-60ba-4d07-847c").ok());
  EXPECT_FALSE(ParseGuid("dcc079ae_60ba-4d07-847c-3493609c0870").ok());
}

TEST(Guid, PortableLayerIdDependsOnTheBaseNameOnly) {
  // As hcsshim's LayerID: the GUID comes from filepath.Base of the folder.
  auto a = PortableLayerId("C:\\snapshots\\a\\4");
  auto b = PortableLayerId("D:/other/place/4/");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(*a, "ab53ab2e-cb2b-5872-9df5-8337510d4cbb");  // v5(4168900a-..., UTF-16LE "4")
  EXPECT_EQ(*PortableLayerId("C:\\x\\\xc3\xa9"), "c7463ca4-2697-5966-9912-e8cfe17e54a5");  // "é"
  EXPECT_NE(*a, *PortableLayerId("C:\\snapshots\\5"));
  EXPECT_FALSE(PortableLayerId("\\").ok());
}

TEST(Guid, BaseName) {
  EXPECT_EQ(BaseName("C:\\a\\b\\"), "b");
  EXPECT_EQ(BaseName("/x/y"), "y");
  EXPECT_EQ(BaseName("plain"), "plain");
}

}  // namespace
}  // namespace ocirun::hcs
