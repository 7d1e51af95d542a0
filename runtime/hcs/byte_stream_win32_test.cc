// ByteStreams over Win32 handles (run under wine by the 10-windows stage): a named pipe opened for
// overlapped I/O as the HCS's stdio pipes may be, broken pipes, files written in sequence.
#include <windows.h>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "runtime/hcs/stream_test_util.h"

namespace ocirun::hcs {
namespace {

NativeHandle Native(HANDLE h) { return reinterpret_cast<NativeHandle>(h); }

}  // namespace

Pipe OsPipe() {
  HANDLE r = nullptr, w = nullptr;
  EXPECT_TRUE(::CreatePipe(&r, &w, nullptr, 0));
  return {OsStream(Native(r), Ownership::kOwned), OsStream(Native(w), Ownership::kOwned)};
}

// Both ends of a byte-mode named pipe opened with FILE_FLAG_OVERLAPPED: reads and writes complete
// later (ERROR_IO_PENDING) unless the stream waits for them.
Pipe HcsLikePipe() {
  static std::atomic<int> n{0};
  std::wstring name = L"\\\\.\\pipe\\ocirun-hcs-test-" + std::to_wstring(::GetCurrentProcessId()) + L"-" +
                      std::to_wstring(n++);
  HANDLE server = ::CreateNamedPipeW(name.c_str(), PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED,
                                     PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT, 1, 4096, 4096, 0, nullptr);
  EXPECT_NE(server, INVALID_HANDLE_VALUE);
  HANDLE client = ::CreateFileW(name.c_str(), GENERIC_WRITE, 0, nullptr, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, nullptr);
  EXPECT_NE(client, INVALID_HANDLE_VALUE);
  return {OsStream(Native(server), Ownership::kOwned), OsStream(Native(client), Ownership::kOwned)};
}

namespace {

TEST(ByteStreamWin32Test, OverlappedPipeReadWaitsForData) {
  Pipe p = HcsLikePipe();
  std::string got;
  std::thread reader([&] { got = ReadAll(*p.reader); });  // pending until the write below
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::string big(64 * 1024, 'z');  // more than the pipe's buffer: the write completes later too
  ASSERT_TRUE(p.writer->Write(big.data(), big.size()).ok());
  p.writer->Close();
  reader.join();
  EXPECT_EQ(got, big);
}

TEST(ByteStreamWin32Test, WriteWithoutReaderFails) {
  Pipe pipes[] = {OsPipe(), HcsLikePipe()};
  for (Pipe& p : pipes) {
    p.reader->Close();
    EXPECT_FALSE(p.writer->Write("x", 1).ok());
  }
}

TEST(ByteStreamWin32Test, FileWritesFollowEachOther) {
  wchar_t dir[MAX_PATH], path[MAX_PATH];
  ASSERT_NE(::GetTempPathW(MAX_PATH, dir), 0u);
  ASSERT_NE(::GetTempFileNameW(dir, L"oct", 0, path), 0u);
  {
    HANDLE h = ::CreateFileW(path, GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
    ASSERT_NE(h, INVALID_HANDLE_VALUE);
    auto file = OsStream(Native(h), Ownership::kOwned);
    ASSERT_TRUE(file->Write("ab", 2).ok());
    ASSERT_TRUE(file->Write("cd", 2).ok());
  }
  HANDLE h = ::CreateFileW(path, GENERIC_READ, 0, nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  ASSERT_NE(h, INVALID_HANDLE_VALUE);
  EXPECT_EQ(ReadAll(*OsStream(Native(h), Ownership::kOwned)), "abcd") << "not rewritten at offset 0";
  ::DeleteFileW(path);
}

TEST(ByteStreamWin32Test, BorrowedHandlesStayOpen) {
  HANDLE r = nullptr, w = nullptr;
  ASSERT_TRUE(::CreatePipe(&r, &w, nullptr, 0));
  OsStream(Native(w), Ownership::kBorrowed)->Close();
  DWORD flags = 0;
  EXPECT_TRUE(::GetHandleInformation(w, &flags));
  ::CloseHandle(r);
  ::CloseHandle(w);
}

}  // namespace
}  // namespace ocirun::hcs
