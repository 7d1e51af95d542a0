#include "runtime/hyperv/client.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/unique_fd.h"
#include "runtime/hyperv/owner.h"
#include "runtime/hyperv/protocol.h"

namespace ocirun::hyperv {
namespace {

using Clock = std::chrono::steady_clock;

// Connects through /proc/self/fd/<dir>/owner.sock: short whatever the state folder's length.
base::Result<base::UniqueFd> Connect(const std::string& state_dir) {
  base::UniqueFd dir(::open(state_dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir) return base::ErrnoError("open " + state_dir);
  base::UniqueFd s(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!s) return base::ErrnoError("socket");
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/%s", dir.get(), kOwnerSocket);
  if (::connect(s.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno == ENOENT || errno == ECONNREFUSED) return base::FailedPrecondition("container not running");
    return base::ErrnoError("connect to the VM owner");
  }
  return s;
}

bool SendAll(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

base::Result<nlohmann::json> CallOwner(const std::string& state_dir, const std::string& op, nlohmann::json args,
                                       std::chrono::milliseconds timeout, const OutputSink& output) {
  ASSIGN_OR_RETURN(base::UniqueFd s, Connect(state_dir));
  if (!SendAll(s.get(), Request(1, op, std::move(args)))) return base::FailedPrecondition("container not running");
  const Clock::time_point deadline = Clock::now() + timeout;
  LineBuffer in;
  for (;;) {
    while (auto line = in.Next()) {
      std::string error;
      auto m = ParseLine(*line, &error);
      if (!m) return base::Internal("VM owner: " + error);
      if (m->event() == "output") {
        auto data = HexDecode(m->body.value("data", ""));
        if (output && data) output(m->body.value("stream", 1), *data);
        continue;
      }
      if (!m->is_reply()) continue;
      if (!m->body.value("ok", false)) return base::FailedPrecondition(m->body.value("error", op + " failed"));
      return m->body;
    }
    int wait_ms = -1;
    if (timeout.count() > 0) {
      wait_ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
      if (wait_ms <= 0) return base::Timeout("VM owner did not answer " + op + " in time");
    }
    pollfd p{s.get(), POLLIN, 0};
    int r = ::poll(&p, 1, wait_ms);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) continue;
    char buf[65536];
    ssize_t n = ::read(s.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return base::FailedPrecondition("container not running (the utility VM exited)");
    in.Feed(std::string_view(buf, static_cast<size_t>(n)));
  }
}

}  // namespace ocirun::hyperv
