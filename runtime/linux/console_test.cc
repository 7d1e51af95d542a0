// Unit tests of the pty, console-socket and relay code with real ptys and sockets (no root).
#include "runtime/linux/console.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <string>

namespace ocirun::linux {
namespace {

std::string ReadAllNonBlocking(int fd) {
  std::string out;
  char buf[4096];
  ssize_t r;
  while ((r = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(r));
  return out;
}

bool IsCloexec(int fd) { return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }

TEST(ConsoleTest, OpenPtyGivesCloexecEndsAndAName) {
  auto pty = OpenPty();
  ASSERT_TRUE(pty.ok()) << pty.status().ToString();
  EXPECT_TRUE(IsCloexec(pty->master.get()));
  EXPECT_TRUE(IsCloexec(pty->slave.get()));
  EXPECT_EQ(pty->slave_name.rfind("/dev/pts/", 0), 0u) << pty->slave_name;
  EXPECT_TRUE(::isatty(pty->slave.get()));
  // Bytes written to the slave come out of the master.
  struct termios t;
  ASSERT_EQ(::tcgetattr(pty->slave.get(), &t), 0);
  ::cfmakeraw(&t);
  ASSERT_EQ(::tcsetattr(pty->slave.get(), TCSANOW, &t), 0);
  ASSERT_EQ(::write(pty->slave.get(), "hi", 2), 2);
  char buf[8] = {};
  ASSERT_EQ(::read(pty->master.get(), buf, sizeof buf), 2);
  EXPECT_EQ(std::string(buf, 2), "hi");
}

TEST(ConsoleTest, OpenPtyErrorNamesThePath) {
  auto pty = OpenPty("/nonexistent/ptmx");
  EXPECT_FALSE(pty.ok());
  EXPECT_NE(pty.status().message().find("/nonexistent/ptmx"), std::string::npos);
}

TEST(ConsoleTest, WindowSizeReachesTheSlave) {
  auto pty = OpenPty();
  ASSERT_TRUE(pty.ok());
  ASSERT_TRUE(SetWindowSize(pty->master.get(), 40, 132).ok());
  struct winsize ws = {};
  ASSERT_EQ(::ioctl(pty->slave.get(), TIOCGWINSZ, &ws), 0);
  EXPECT_EQ(ws.ws_row, 40);
  EXPECT_EQ(ws.ws_col, 132);
  EXPECT_FALSE(SetWindowSize(-1, 1, 1).ok());
}

TEST(ConsoleTest, SendAndReceiveOverTheConsoleSocket) {
  char dir[] = "/tmp/oct-ops-console-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/console.sock";
  auto listener = ListenUnix(path);
  ASSERT_TRUE(listener.ok()) << listener.status().ToString();
  auto pty = OpenPty();
  ASSERT_TRUE(pty.ok());
  ASSERT_TRUE(SendConsole(path, pty->master.get(), pty->slave_name).ok());
  base::UniqueFd conn(::accept4(listener->get(), nullptr, nullptr, SOCK_CLOEXEC));
  ASSERT_TRUE(conn.valid());
  auto got = ReceiveConsole(conn.get());
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->name, pty->slave_name);
  EXPECT_TRUE(IsCloexec(got->master.get()));
  // The received fd is the same pty master: the slave's output reads from it.
  struct termios t;
  ::tcgetattr(pty->slave.get(), &t);
  ::cfmakeraw(&t);
  ::tcsetattr(pty->slave.get(), TCSANOW, &t);
  ASSERT_EQ(::write(pty->slave.get(), "ok", 2), 2);
  char buf[4] = {};
  ASSERT_EQ(::read(got->master.get(), buf, sizeof buf), 2);
  // Exactly one message: nothing more arrives, the sender closed.
  char extra;
  EXPECT_EQ(::recv(conn.get(), &extra, 1, 0), 0);
  ::unlink(path.c_str());
  ::rmdir(dir);
}

TEST(ConsoleTest, SendToMissingSocketFailsNamingIt) {
  auto pty = OpenPty();
  ASSERT_TRUE(pty.ok());
  base::Status st = SendConsole("/tmp/oct-ops-no-such.sock", pty->master.get(), "x");
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("/tmp/oct-ops-no-such.sock"), std::string::npos);
  EXPECT_EQ(SendConsole(std::string(200, 'a'), pty->master.get(), "x").code(),
            base::Code::kInvalidArgument);
}

TEST(ConsoleTest, ReceiveRefusesAMessageWithoutFd) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  base::UniqueFd a(sv[0]), b(sv[1]);
  ASSERT_EQ(::write(a.get(), "name", 4), 4);
  EXPECT_EQ(ReceiveConsole(b.get()).status().code(), base::Code::kInvalidArgument);
}

// A child on the slave as its controlling terminal: reads a line, answers, exits.
pid_t SpawnOnPty(Pty& pty, const char* script) {
  pid_t pid = ::fork();
  if (pid == 0) {
    pty.master.Reset();
    if (AttachControllingTerminal(pty.slave.Release()) != 0) ::_exit(120);
    ::execl("/bin/sh", "sh", "-c", script, nullptr);
    ::_exit(121);
  }
  pty.slave.Reset();  // only the child holds the slave now: the master sees EIO when it exits
  return pid;
}

TEST(ConsoleTest, RelayCarriesInputAndOutputUntilTheProcessEnds) {
  auto pty = OpenPty();
  ASSERT_TRUE(pty.ok());
  pid_t child = SpawnOnPty(*pty, "tty; test -t 0 && read x && echo got:$x; exit 3");
  ASSERT_GT(child, 0);
  int in[2], out[2];
  ASSERT_EQ(::pipe2(in, O_CLOEXEC), 0);
  ASSERT_EQ(::pipe2(out, O_CLOEXEC | O_NONBLOCK), 0);
  ASSERT_EQ(::write(in[1], "hello\n", 6), 6);
  ::close(in[1]);
  base::Status st = RelayConsole(pty->master.get(), {in[0], out[1], -1, true});
  EXPECT_TRUE(st.ok()) << st.ToString();
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_EQ(WEXITSTATUS(status), 3);
  std::string output = ReadAllNonBlocking(out[0]);
  EXPECT_NE(output.find("got:hello"), std::string::npos) << output;
  EXPECT_NE(output.find("/dev/pts/"), std::string::npos) << output;  // the slave is its tty
  ::close(in[0]);
  ::close(out[0]);
  ::close(out[1]);
}

TEST(ConsoleTest, RelayStopsWhenTheStopFdFires) {
  auto pty = OpenPty();
  ASSERT_TRUE(pty.ok());
  // The child leaves a grandchild holding the slave: only the pidfd says the process ended.
  pid_t child = SpawnOnPty(*pty, "sleep 5 & echo bye; exit 0");
  ASSERT_GT(child, 0);
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, child, 0));
  ASSERT_GE(pidfd, 0);
  int out[2];
  ASSERT_EQ(::pipe2(out, O_CLOEXEC | O_NONBLOCK), 0);
  base::Status st = RelayConsole(pty->master.get(), {-1, out[1], pidfd, false});
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_NE(ReadAllNonBlocking(out[0]).find("bye"), std::string::npos);
  ::waitpid(child, nullptr, 0);
  ::kill(-child, SIGKILL);  // the background sleep (same process group) must not outlive the test
  ::close(pidfd);
  ::close(out[0]);
  ::close(out[1]);
}

}  // namespace
}  // namespace ocirun::linux
