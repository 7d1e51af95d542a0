#include "base/utf8.h"

#include <gtest/gtest.h>

namespace base {
namespace {

TEST(Utf8, WellFormedTextIsUnchanged) {
  for (std::string_view s : {"", "plain ascii", "caf\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "back\\slash"}) {
    EXPECT_EQ(FirstInvalidUtf8(s), std::nullopt) << s;
    EXPECT_EQ(EscapeInvalidUtf8(s), s);
  }
}

TEST(Utf8, IllFormedBytesAreFoundAndEscaped) {
  EXPECT_EQ(FirstInvalidUtf8("ab\xFF" "cd"), 2u);
  EXPECT_EQ(EscapeInvalidUtf8("ab\xFF" "cd"), "ab\\xFFcd");
  // A truncated sequence, an overlong '/', a surrogate, a code point above U+10FFFF, a lone continuation.
  EXPECT_EQ(EscapeInvalidUtf8("\xC3"), "\\xC3");
  EXPECT_EQ(EscapeInvalidUtf8("\xC0\xAF"), "\\xC0\\xAF");
  EXPECT_EQ(EscapeInvalidUtf8("\xED\xA0\x80"), "\\xED\\xA0\\x80");
  EXPECT_EQ(EscapeInvalidUtf8("\xF4\x90\x80\x80"), "\\xF4\\x90\\x80\\x80");
  EXPECT_EQ(EscapeInvalidUtf8("x\x80y"), "x\\x80y");
  // What is kept after an escape is still decoded normally.
  EXPECT_EQ(EscapeInvalidUtf8("\xFF\xC3\xA9"), "\\xFF\xC3\xA9");
  EXPECT_EQ(FirstInvalidUtf8(EscapeInvalidUtf8("\xFF\xFE\xC3")), std::nullopt);
}

}  // namespace
}  // namespace base
