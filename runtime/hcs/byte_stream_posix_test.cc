// ByteStreams over POSIX fds (native builds; byte_stream_win32_test.cc is the Windows side).
#include <fcntl.h>
#include <unistd.h>

#include <csignal>

#include <gtest/gtest.h>

#include "runtime/hcs/stream_test_util.h"

namespace ocirun::hcs {

Pipe OsPipe() {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  return {OsStream(fds[0], Ownership::kOwned), OsStream(fds[1], Ownership::kOwned)};
}

Pipe HcsLikePipe() { return OsPipe(); }

namespace {

TEST(ByteStreamPosixTest, WriteToAPipeWithoutReaderFails) {
  ::signal(SIGPIPE, SIG_IGN);  // as ocirun does
  Pipe p = OsPipe();
  p.reader->Close();
  base::Status st = p.writer->Write("x", 1);
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.os_error(), EPIPE);
}

TEST(ByteStreamPosixTest, BorrowedFdsStayOpen) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  OsStream(fds[1], Ownership::kBorrowed)->Close();
  EXPECT_NE(::fcntl(fds[1], F_GETFD), -1);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(ByteStreamPosixTest, OwnStdioHasOutputAndError) {
  StdioStreams own = OwnStdio();
  EXPECT_NE(own.out, nullptr);
  EXPECT_NE(own.err, nullptr);
}

}  // namespace
}  // namespace ocirun::hcs
