#include "runtime/container/id.h"

#include <gtest/gtest.h>

#include "runtime/container/signal.h"

namespace ocirun {
namespace {

TEST(Id, AcceptsRuncCharacters) {
  for (const char* id : {"a", "abc-DEF_0.9+x", "oct-rt-1", "...a", "a..b"}) {
    EXPECT_TRUE(ValidateId(id).ok()) << id;
  }
}

TEST(Id, RejectsEscapesAndOddCharacters) {
  for (const char* id : {"", ".", "..", "a/b", "../x", "/abs", "a b", "a\nb", "é", "a:b", "a*"}) {
    base::Status st = ValidateId(id);
    EXPECT_FALSE(st.ok()) << id;
    EXPECT_EQ(st.code(), base::Code::kInvalidArgument);
    EXPECT_EQ(st.message(), "invalid container id format: " + std::string(id));
  }
}

TEST(Id, AcceptsIdsUpToAFileNameAndNamesTheLimitBeyond) {
  EXPECT_TRUE(ValidateId(std::string(255, 'a')).ok());
  base::Status st = ValidateId(std::string(256, 'a'));
  EXPECT_EQ(st.code(), base::Code::kInvalidArgument);
  EXPECT_EQ(st.message(), "invalid container id: 256 characters long, at most 255 are allowed (it names a folder)");
}

TEST(Signal, NamesPrefixesAndNumbers) {
  EXPECT_EQ(*ParseSignal("KILL"), 9);
  EXPECT_EQ(*ParseSignal("SIGKILL"), 9);
  EXPECT_EQ(*ParseSignal("sigterm"), 15);
  EXPECT_EQ(*ParseSignal("9"), 9);
  EXPECT_EQ(*ParseSignal("SIGUSR1"), 10);
  EXPECT_EQ(*ParseSignal("RTMIN+2"), 36);
  EXPECT_FALSE(ParseSignal("SIGNOPE").ok());
  EXPECT_FALSE(ParseSignal("0").ok());
  EXPECT_FALSE(ParseSignal("65").ok());
  EXPECT_FALSE(ParseSignal("").ok());
  EXPECT_EQ(ParseSignal("BOGUS").status().message(), "unknown signal \"BOGUS\"");
}

}  // namespace
}  // namespace ocirun
