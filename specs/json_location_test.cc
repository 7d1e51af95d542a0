#include "specs/json_location.h"

#include <gtest/gtest.h>

namespace ocispec {
namespace {

constexpr std::string_view kText = "{\"a\": {\"b~c\": [10, {\"x/y\": \"v\"}]},\n \"k\\u00e9\": true}";

TEST(LocatePointer, FindsNestedMembersAndElements) {
  EXPECT_EQ(LocatePointer(kText, ""), 0u);
  EXPECT_EQ(kText.substr(*LocatePointer(kText, "/a/b~0c/0"), 2), "10");
  EXPECT_EQ(kText.substr(*LocatePointer(kText, "/a/b~0c/1/x~1y"), 3), "\"v\"");
  EXPECT_EQ(kText.substr(*LocatePointer(kText, "/k\xc3\xa9"), 4), "true");
  EXPECT_FALSE(LocatePointer(kText, "/a/b~0c/2").has_value());
  EXPECT_FALSE(LocatePointer(kText, "/missing").has_value());
  EXPECT_FALSE(LocatePointer("{\"a\": [1, 2", "/a/5").has_value());
}

TEST(PositionOf, CountsLinesAndUtf8Characters) {
  TextPosition p = PositionOf("ab\n\xc3\xa9x", 5);
  EXPECT_EQ(p.line, 2);
  EXPECT_EQ(p.column, 2);
}

TEST(FindExcessiveNesting, IgnoresBracketsInStrings) {
  EXPECT_FALSE(FindExcessiveNesting("[[\"[[[[[[\"]]", 2).has_value());
  EXPECT_EQ(FindExcessiveNesting("[[[1]]]", 2), 2u);
}

}  // namespace
}  // namespace ocispec
