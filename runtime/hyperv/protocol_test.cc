#include "runtime/hyperv/protocol.h"

#include <gtest/gtest.h>

namespace ocirun::hyperv {
namespace {

TEST(Protocol, RequestCarriesVersionIdAndOp) {
  std::string line = Request(7, "kill", {{"signal", 9}});
  ASSERT_EQ(line.back(), '\n');
  std::string error;
  auto m = ParseLine(line.substr(0, line.size() - 1), &error);
  ASSERT_TRUE(m) << error;
  EXPECT_EQ(m->body["v"], kProtocolVersion);
  EXPECT_EQ(m->id(), 7);
  EXPECT_EQ(m->op(), "kill");
  EXPECT_EQ(m->body["signal"], 9);
  EXPECT_FALSE(m->is_reply());
}

TEST(Protocol, RepliesAreOkOrCarryTheError) {
  std::string error;
  auto ok = ParseLine(ReplyOk(3, {{"status", 42}}), &error);
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->is_reply());
  EXPECT_TRUE(ok->body["ok"].get<bool>());
  EXPECT_EQ(ok->body["status"], 42);
  auto bad = ParseLine(ReplyError(4, "no such container"), &error);
  ASSERT_TRUE(bad);
  EXPECT_FALSE(bad->body["ok"].get<bool>());
  EXPECT_EQ(bad->body["error"], "no such container");
  EXPECT_EQ(bad->id(), 4);
}

TEST(Protocol, RefusesOtherVersionsAndNonObjects) {
  std::string error;
  EXPECT_FALSE(ParseLine(R"({"v":2,"op":"start","id":1})", &error));
  EXPECT_NE(error.find("version 2"), std::string::npos) << error;
  EXPECT_FALSE(ParseLine(R"({"op":"start","id":1})", &error));
  EXPECT_NE(error.find("no version"), std::string::npos) << error;
  EXPECT_FALSE(ParseLine("[1,2]", &error));
  EXPECT_FALSE(ParseLine("{not json", &error));
  EXPECT_FALSE(ParseLine(R"({"v":"1"})", &error));
}

TEST(Protocol, OutputCarriesArbitraryBytesAsHex) {
  std::string bytes("a\0\xff\n\"z", 6);
  std::string error;
  auto m = ParseLine(OutputEvent(2, bytes, 5), &error);
  ASSERT_TRUE(m) << error;
  EXPECT_EQ(m->event(), "output");
  EXPECT_EQ(m->body["stream"], 2);
  EXPECT_EQ(m->id(), 5);
  auto back = HexDecode(m->body["data"].get<std::string>());
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, bytes);
  EXPECT_FALSE(ParseLine(OutputEvent(1, "x"), &error)->body.contains("id"));
}

TEST(Protocol, HexDecodeRefusesMalformedInput) {
  EXPECT_FALSE(HexDecode("abc"));
  EXPECT_FALSE(HexDecode("zz"));
  EXPECT_EQ(*HexDecode("4A4b"), "JK");
  EXPECT_EQ(*HexDecode(""), "");
}

TEST(Protocol, LineBufferSplitsAcrossFeeds) {
  LineBuffer b;
  b.Feed("{\"a\":1}\n{\"b\"");
  EXPECT_EQ(*b.Next(), "{\"a\":1}");
  EXPECT_FALSE(b.Next());
  b.Feed(":2}\n\n");
  EXPECT_EQ(*b.Next(), "{\"b\":2}");
  EXPECT_EQ(*b.Next(), "");
  EXPECT_FALSE(b.Next());
  EXPECT_FALSE(b.overflowed());
}

TEST(Protocol, LineBufferFlagsAPeerThatNeverEndsALine) {
  LineBuffer b;
  b.Feed(std::string(LineBuffer::kMaxLine + 1, 'x'));
  EXPECT_FALSE(b.Next());
  EXPECT_TRUE(b.overflowed());
}

}  // namespace
}  // namespace ocirun::hyperv
