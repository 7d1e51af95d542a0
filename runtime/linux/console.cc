// Pty creation, console-socket hand-over (SCM_RIGHTS) and the foreground relay.
#include "runtime/linux/console.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ocirun::linux {
namespace {

base::Result<sockaddr_un> UnixAddress(const std::string& path) {
  sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path)
    return base::InvalidArgument("console socket path \"" + path + "\" is empty or too long");
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return addr;
}

// Writes all of `data`, waiting (poll) when `fd` is non-blocking and full.
base::Status WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t w = ::write(fd, data, size);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        struct pollfd p = {fd, POLLOUT, 0};
        ::poll(&p, 1, -1);
        continue;
      }
      return base::ErrnoError("console relay write");
    }
    data += w;
    size -= static_cast<size_t>(w);
  }
  return base::Status::Ok();
}

// Raw mode on a tty for the lifetime of the object (restored even on error paths).
class RawMode {
 public:
  explicit RawMode(int fd) : fd_(fd) {
    if (!::isatty(fd) || ::tcgetattr(fd, &saved_) != 0) return;
    struct termios raw = saved_;
    ::cfmakeraw(&raw);
    active_ = ::tcsetattr(fd, TCSANOW, &raw) == 0;
  }
  ~RawMode() {
    if (active_) ::tcsetattr(fd_, TCSANOW, &saved_);
  }

 private:
  int fd_;
  struct termios saved_ = {};
  bool active_ = false;
};

// SIGWINCH delivered through a signalfd while the relay runs (the old mask is restored after).
class WinchFd {
 public:
  explicit WinchFd(bool enable) {
    if (!enable) return;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGWINCH);
    if (::sigprocmask(SIG_BLOCK, &set, &old_) != 0) return;
    blocked_ = true;
    fd_.Reset(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
  }
  ~WinchFd() {
    if (!blocked_) return;
    fd_.Reset();
    // Drop a SIGWINCH that arrived while blocked rather than delivering it to a default handler.
    sigset_t set, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGWINCH);
    struct timespec zero = {0, 0};
    if (::sigpending(&pending) == 0 && sigismember(&pending, SIGWINCH))
      ::sigtimedwait(&set, nullptr, &zero);
    ::sigprocmask(SIG_SETMASK, &old_, nullptr);
  }
  int get() const { return fd_.get(); }
  void Consume() {
    struct signalfd_siginfo info;
    while (::read(fd_.get(), &info, sizeof info) == sizeof info) {
    }
  }

 private:
  base::UniqueFd fd_;
  sigset_t old_ = {};
  bool blocked_ = false;
};

void CopyWindowSize(int from, int to) {
  struct winsize ws = {};
  if (::ioctl(from, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0) ::ioctl(to, TIOCSWINSZ, &ws);
}

// Moves what is readable on `from` to `to`. False at EOF/EIO (the other end is gone).
base::Result<bool> Pump(int from, int to) {
  char buf[8192];
  for (;;) {
    ssize_t r = ::read(from, buf, sizeof buf);
    if (r > 0) {
      RETURN_IF_ERROR(WriteAll(to, buf, static_cast<size_t>(r)));
      continue;
    }
    if (r == 0 || errno == EIO) return false;  // EIO: every slave fd of the pty is closed
    if (errno == EAGAIN || errno == EINTR) return true;
    return base::ErrnoError("console relay read");
  }
}

}  // namespace

base::Result<Pty> OpenPty(const std::string& ptmx) {
  Pty pty;
  pty.master.Reset(::open(ptmx.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!pty.master) return base::ErrnoError("open " + ptmx);
  int unlock = 0;
  if (::ioctl(pty.master.get(), TIOCSPTLCK, &unlock) != 0) return base::ErrnoError("unlock pty");
  // TIOCGPTPEER opens the slave through the master's own devpts, immune to /dev/pts games.
  pty.slave.Reset(::ioctl(pty.master.get(), TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!pty.slave) return base::ErrnoError("open pty slave");
  char name[64];
  if (::ptsname_r(pty.master.get(), name, sizeof name) != 0) return base::ErrnoError("ptsname");
  pty.slave_name = name;
  return pty;
}

base::Status SetWindowSize(int fd, uint32_t height, uint32_t width) {
  if (height == 0 && width == 0) return base::Status::Ok();
  struct winsize ws = {};
  ws.ws_row = static_cast<unsigned short>(height);
  ws.ws_col = static_cast<unsigned short>(width);
  if (::ioctl(fd, TIOCSWINSZ, &ws) != 0) return base::ErrnoError("set process.consoleSize");
  return base::Status::Ok();
}

int AttachControllingTerminal(int slave) noexcept {
  if (::setsid() < 0) return -errno;
  if (::ioctl(slave, TIOCSCTTY, 0) < 0) return -errno;
  for (int fd = 0; fd < 3; ++fd)
    if (::dup2(slave, fd) < 0) return -errno;
  if (slave > 2) ::close(slave);
  return 0;
}

base::Status SendConsole(const std::string& socket_path, int master, const std::string& name) {
  ASSIGN_OR_RETURN(sockaddr_un addr, UnixAddress(socket_path));
  base::UniqueFd sock(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!sock) return base::ErrnoError("console socket");
  if (::connect(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    return base::ErrnoError("connect to console socket " + socket_path);
  struct iovec iov = {const_cast<char*>(name.data()), name.size()};
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  struct msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(cmsg), &master, sizeof(int));
  if (::sendmsg(sock.get(), &msg, MSG_NOSIGNAL) < 0)
    return base::ErrnoError("send the pty master to " + socket_path);
  return base::Status::Ok();
}

base::Result<ReceivedConsole> ReceiveConsole(int connected_socket) {
  char name[4096];
  struct iovec iov = {name, sizeof name};
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int) * 4)] = {};
  struct msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n = ::recvmsg(connected_socket, &msg, MSG_CMSG_CLOEXEC);
  if (n < 0) return base::ErrnoError("receive console");
  ReceivedConsole out;
  out.name.assign(name, static_cast<size_t>(n));
  for (struct cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
      if (!out.master) out.master.Reset(fd);
      else ::close(fd);  // the protocol carries one fd; never keep strays
    }
  }
  if (!out.master) return base::InvalidArgument("console message carried no file descriptor");
  return out;
}

base::Result<base::UniqueFd> ListenUnix(const std::string& path) {
  ASSIGN_OR_RETURN(sockaddr_un addr, UnixAddress(path));
  base::UniqueFd sock(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!sock) return base::ErrnoError("socket");
  ::unlink(path.c_str());
  if (::bind(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    return base::ErrnoError("bind " + path);
  if (::listen(sock.get(), 4) != 0) return base::ErrnoError("listen " + path);
  return sock;
}

base::Status RelayConsole(int master, const RelayOptions& o) {
  RawMode raw(o.in);
  WinchFd winch(o.forward_winch && ::isatty(o.in));
  if (winch.get() >= 0) CopyWindowSize(o.in, master);
  int master_flags = ::fcntl(master, F_GETFL);
  ::fcntl(master, F_SETFL, master_flags | O_NONBLOCK);
  bool in_open = o.in >= 0;
  for (;;) {
    struct pollfd fds[4];
    nfds_t n = 0;
    fds[n++] = {master, POLLIN, 0};
    int in_idx = in_open ? static_cast<int>(n) : -1;
    if (in_open) fds[n++] = {o.in, POLLIN, 0};
    int stop_idx = o.stop_fd >= 0 ? static_cast<int>(n) : -1;
    if (o.stop_fd >= 0) fds[n++] = {o.stop_fd, POLLIN, 0};
    int winch_idx = winch.get() >= 0 ? static_cast<int>(n) : -1;
    if (winch.get() >= 0) fds[n++] = {winch.get(), POLLIN, 0};
    if (::poll(fds, n, -1) < 0) {
      if (errno == EINTR) continue;
      return base::ErrnoError("console relay poll");
    }
    if (fds[0].revents) {
      ASSIGN_OR_RETURN(bool open, Pump(master, o.out));
      if (!open) break;
    }
    if (in_idx >= 0 && fds[in_idx].revents) {
      char buf[4096];
      ssize_t r = ::read(o.in, buf, sizeof buf);
      if (r > 0) RETURN_IF_ERROR(WriteAll(master, buf, static_cast<size_t>(r)));
      else if (r == 0 || (errno != EINTR && errno != EAGAIN)) in_open = false;
    }
    if (winch_idx >= 0 && fds[winch_idx].revents) {
      winch.Consume();
      CopyWindowSize(o.in, master);
    }
    if (stop_idx >= 0 && fds[stop_idx].revents) {
      RETURN_IF_ERROR(Pump(master, o.out).status());  // what the process wrote before it ended
      break;
    }
  }
  ::fcntl(master, F_SETFL, master_flags);
  return base::Status::Ok();
}

}  // namespace ocirun::linux
