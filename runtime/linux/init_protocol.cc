#include "runtime/linux/init_protocol.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ocirun::linux {
namespace {

constexpr uint32_t kMaxMessage = 64u << 20;

base::Status WriteAll(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return base::ErrnoError("init protocol write");
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
  return base::Status::Ok();
}

// false at EOF before the first byte.
base::Result<bool> ReadAll(int fd, void* data, size_t size) {
  char* p = static_cast<char*>(data);
  size_t got = 0;
  while (got < size) {
    ssize_t n = ::read(fd, p + got, size - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return base::ErrnoError("init protocol read");
    }
    if (n == 0) {
      if (got == 0) return false;
      return base::Internal("init protocol: truncated message");
    }
    got += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

base::Status SendMessage(int fd, MsgType type, const nlohmann::json& body) {
  std::string payload = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  uint32_t header[2] = {static_cast<uint32_t>(type), static_cast<uint32_t>(payload.size())};
  RETURN_IF_ERROR(WriteAll(fd, header, sizeof header));
  return WriteAll(fd, payload.data(), payload.size());
}

base::Result<Message> ReceiveMessage(int fd) {
  uint32_t header[2];
  ASSIGN_OR_RETURN(bool got, ReadAll(fd, header, sizeof header));
  if (!got) return base::NotFound("init exited");
  if (header[1] > kMaxMessage) return base::Internal("init protocol: message too large");
  std::string payload(header[1], '\0');
  ASSIGN_OR_RETURN(bool body, ReadAll(fd, payload.data(), payload.size()));
  if (!body && !payload.empty()) return base::Internal("init protocol: truncated message");
  Message m;
  m.type = static_cast<MsgType>(header[0]);
  m.body = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (m.body.is_discarded()) return base::Internal("init protocol: bad JSON payload");
  return m;
}

base::Status ErrorOf(const Message& m) {
  std::string msg = m.body.value("message", std::string("init failed"));
  return base::Status(base::Code::kInternal, msg, m.body.value("errno", 0));
}

base::Result<nlohmann::json> Expect(int fd, MsgType type) {
  ASSIGN_OR_RETURN(Message m, ReceiveMessage(fd));
  if (m.type == MsgType::kError) return ErrorOf(m);
  if (m.type != type) {
    return base::Internal("init protocol: expected message " + std::to_string(static_cast<uint32_t>(type)) +
                          ", got " + std::to_string(static_cast<uint32_t>(m.type)));
  }
  return m.body;
}

base::Status SendFd(int sock, int fd) {
  char byte = 'F';
  struct iovec iov{&byte, 1};
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  struct msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &fd, sizeof(int));
  while (::sendmsg(sock, &msg, 0) < 0) {
    if (errno != EINTR) return base::ErrnoError("init protocol: send fd");
  }
  return base::Status::Ok();
}

base::Result<int> RecvFd(int sock) {
  char byte = 0;
  struct iovec iov{&byte, 1};
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  struct msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  while ((n = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0) {
    if (errno != EINTR) return base::ErrnoError("init protocol: receive fd");
  }
  struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
  if (n != 1 || c == nullptr || c->cmsg_type != SCM_RIGHTS) return base::Internal("init protocol: no fd received");
  int fd;
  std::memcpy(&fd, CMSG_DATA(c), sizeof(int));
  return fd;
}

void SendError(int fd, const base::Status& status) {
  SendMessage(fd, MsgType::kError, {{"message", status.message()}, {"errno", status.os_error()}})
      .IgnoreError();
}

}  // namespace ocirun::linux
