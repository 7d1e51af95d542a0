#include "base/status.h"

#include <cerrno>

#include <gtest/gtest.h>

#include "base/file.h"

namespace base {
namespace {

Result<int> Half(int v) {
  if (v % 2) return InvalidArgument("odd value " + std::to_string(v));
  return v / 2;
}

Status Quarter(int v, int* out) {
  ASSIGN_OR_RETURN(int h, Half(v));
  ASSIGN_OR_RETURN_CTX(*out, Half(h), "second half");
  return Status::Ok();
}

TEST(StatusTest, WrapChainsContextAndKeepsCode) {
  Status s = ErrnoError("open /x", ENOENT).Wrap("read state").Wrap("state abc");
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.os_error(), ENOENT);
  EXPECT_EQ(s.message(), "state abc: read state: open /x: No such file or directory");
}

TEST(StatusTest, ResultAndMacros) {
  int out = 0;
  EXPECT_TRUE(Quarter(8, &out).ok());
  EXPECT_EQ(out, 2);
  Status s = Quarter(6, &out);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "second half: odd value 3");
}

TEST(FileTest, AtomicWriteReplacesWhole) {
  std::string dir = ::testing::TempDir();
  std::string path = dir + "/atomic_test_file";
  ASSERT_TRUE(WriteFileAtomic(path, "first").ok());
  ASSERT_TRUE(WriteFileAtomic(path, "second").ok());
  auto r = ReadFile(path);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "second");
  EXPECT_EQ(ReadFile(dir + "/does-not-exist").status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace base
