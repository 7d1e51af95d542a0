// Privileged: terminals. create with process.terminal and --console-socket hands over the pty
// master (received here with console.h); the container talks through it; process.consoleSize is
// applied; exec -t --console-socket does the same for an extra process. Alike on ocirun and runc.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include <gtest/gtest.h>

#include "runtime/linux/console.h"
#include "runtime/tests/ops_util.h"

namespace ocirun::it {
namespace {

class OpsConsole : public OpsFixture {
 protected:
  // Accepts one connection on `listener` and receives the console message.
  static linux::ReceivedConsole Receive(int listener) {
    struct pollfd p = {listener, POLLIN, 0};
    if (::poll(&p, 1, 10000) != 1) return {};
    base::UniqueFd conn(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
    auto got = linux::ReceiveConsole(conn.get());
    return got.ok() ? std::move(got).value() : linux::ReceivedConsole{};
  }
  // Reads from the master until `want` shows up or 10 s pass; returns what was read.
  static std::string ReadUntil(int master, const std::string& want) {
    std::string out;
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (out.find(want) == std::string::npos && std::chrono::steady_clock::now() < end) {
      struct pollfd p = {master, POLLIN, 0};
      if (::poll(&p, 1, 100) != 1) continue;
      char buf[1024];
      ssize_t r = ::read(master, buf, sizeof buf);
      if (r <= 0) break;
      out.append(buf, static_cast<size_t>(r));
    }
    return out;
  }
  nlohmann::json TerminalConfig(const std::string& id, const std::vector<std::string>& args) {
    nlohmann::json c = OpsConfig(id, args);
    c["process"]["terminal"] = true;
    c["process"]["consoleSize"] = {{"height", 33}, {"width", 111}};
    return c;
  }
};

TEST_P(OpsConsole, CreateSendsTheMasterAndTheContainerTalksThroughIt) {
  std::string id = OpsId("tty");
  std::string sock_path = tmp_ + "/console.sock";
  auto listener = linux::ListenUnix(sock_path);
  ASSERT_TRUE(listener.ok()) << listener.status().ToString();
  std::string bundle = WriteBundle(
      tmp_ + "/" + id,
      TerminalConfig(id, {"sh", "-c", "tty; stty size; read x; echo got:$x; sleep 1000"}));
  auto created = RtDetached({"create", "--bundle", bundle, "--console-socket", sock_path, id});
  ASSERT_TRUE(created.success()) << created.err;
  linux::ReceivedConsole console = Receive(listener->get());
  ASSERT_TRUE(console.master.valid()) << "no pty master arrived on the console socket";
  EXPECT_FALSE(console.name.empty());
  if (rt_.name == "ocirun") EXPECT_EQ(console.name.rfind("/dev/pts/", 0), 0u) << console.name;
  ASSERT_TRUE(Rt(rt_, {"start", id}).success());
  std::string out = ReadUntil(console.master.get(), "33 111");
  EXPECT_NE(out.find("/dev/pts/"), std::string::npos) << out;     // stdio is the pty
  EXPECT_NE(out.find("33 111"), std::string::npos) << out;        // consoleSize applied
  ASSERT_EQ(::write(console.master.get(), "hello\n", 6), 6);
  out = ReadUntil(console.master.get(), "got:hello");
  EXPECT_NE(out.find("got:hello"), std::string::npos) << out;
}

TEST_P(OpsConsole, ExecWithTtyAndConsoleSocket) {
  std::string id = OpsId("exectty");
  Up(id, OpsConfig(id, {"sleep", "1000"}));
  std::string sock_path = tmp_ + "/exec.sock";
  auto listener = linux::ListenUnix(sock_path);
  ASSERT_TRUE(listener.ok());
  auto r = RtDetached({"exec", "-t", "-d", "--console-socket", sock_path, id, "sh", "-c",
                    "test -t 0 && echo exec-on-tty; read x; echo exec-got:$x; sleep 100"});
  ASSERT_TRUE(r.success()) << r.err;
  linux::ReceivedConsole console = Receive(listener->get());
  ASSERT_TRUE(console.master.valid());
  std::string out = ReadUntil(console.master.get(), "exec-on-tty");
  EXPECT_NE(out.find("exec-on-tty"), std::string::npos) << out;
  ASSERT_EQ(::write(console.master.get(), "x1\n", 3), 3);
  out = ReadUntil(console.master.get(), "exec-got:x1");
  EXPECT_NE(out.find("exec-got:x1"), std::string::npos) << out;
}

TEST_P(OpsConsole, TerminalWithoutConsoleSocketIsRefusedAndLeavesNothing) {
  std::string id = OpsId("ttyerr");
  std::string bundle = WriteBundle(tmp_ + "/" + id, TerminalConfig(id, {"true"}));
  auto r = RtDetached({"create", "--bundle", bundle, id});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("console"), std::string::npos) << r.err;
  EXPECT_EQ(StatusOf(id), "");
  EXPECT_FALSE(CgroupExists(id));
}

OCIRUN_INSTANTIATE_FOR_RUNTIMES(OpsConsole);

}  // namespace
}  // namespace ocirun::it
