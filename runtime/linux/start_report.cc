#include "runtime/linux/start_report.h"

#include <fcntl.h>
#include <poll.h>

#include <cerrno>

#include "runtime/linux/init_protocol.h"

namespace ocirun::linux {

base::Result<base::UniqueFd> OpenStartReportWriter(const std::string& path, int min_fd) {
  // O_RDWR: opening a fifo for writing alone fails (ENXIO) or blocks while no reader exists.
  base::UniqueFd fd(::open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd) return base::ErrnoError("open " + path);
  if (fd.get() >= min_fd) return fd;
  base::UniqueFd moved(::fcntl(fd.get(), F_DUPFD_CLOEXEC, min_fd));
  if (!moved) return base::ErrnoError("move the start fifo fd above the preserved fds");
  return moved;
}

base::Result<base::UniqueFd> OpenStartReportReader(const std::string& path) {
  base::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return base::NotFound(path + " is absent");
    return base::ErrnoError("open " + path);
  }
  return fd;
}

namespace {

// Waits until `fd` has data or a hang-up. false: the init died and the fifo stayed quiet.
base::Result<bool> WaitReadable(int fd, const std::function<bool()>& init_alive) {
  for (;;) {
    struct pollfd p{fd, POLLIN, 0};
    int n = ::poll(&p, 1, 100);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return base::ErrnoError("poll the start fifo");
    if (n > 0) return true;
    if (!init_alive()) return false;
  }
}

}  // namespace

base::Status AwaitStartReport(int fd, const std::function<bool()>& init_alive) {
  ASSIGN_OR_RETURN(bool readable, WaitReadable(fd, init_alive));
  if (!readable) return base::Status::Ok();
  // A message is on its way or complete, or every writer is gone: blocking reads end either way.
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0)
    return base::ErrnoError("clear O_NONBLOCK on the start fifo");
  auto report = ReceiveMessage(fd);
  if (!report.ok() && report.status().code() == base::Code::kNotFound)
    return base::Status::Ok();  // EOF: the exec closed the fifo
  if (!report.ok()) return report.status().Wrap("read the start fifo");
  if (report->type != MsgType::kError)
    return base::Internal("start fifo: unexpected message " +
                          std::to_string(static_cast<uint32_t>(report->type)));
  return ErrorOf(*report);
}

}  // namespace ocirun::linux
