// The agent protocol between ocirun's hyperv backend and the guest agent (guest/agent/), and between
// the CLI verbs and the VM owner (owner.h), which forwards it. Version 1, JSON lines over the
// virtio-serial port "agent" (guest: /dev/vportNpM; host: one end of a socketpair QEMU inherited):
//
//   guest -> host, once:  {"v":1,"event":"ready","uptime":2.71}
//   request:              {"v":1,"id":N,"op":OP, ...arguments}
//   reply (one per id):   {"v":1,"id":N,"ok":true, ...results} or {"v":1,"id":N,"ok":false,"error":MSG}
//   events (no reply):    {"v":1,"event":"output","stream":1|2,"data":HEX[,"id":N]}  (id: an exec's)
//                         {"v":1,"event":"exit","status":S}  (the container's init ended; S as a shell)
//
// Ops: create {container, config} (config: the OCI config with root.path rewritten by the agent),
// start, kill {signal, all}, exec {process, detach} (replies {status} when the process ends, or at
// once when detached), state (owner only: {status: created|running|stopped, exit}), wait (owner only:
// replies {status} once the init has ended), shutdown (the agent replies, then powers the VM off).
// A peer refuses a line whose "v" it does not speak. Output bytes travel as hex: JSON strings must be
// UTF-8 and a container writes whatever it likes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ocirun::hyperv {

inline constexpr int kProtocolVersion = 1;

struct Message {
  nlohmann::json body;  // the object, "v" included
  std::string op() const { return body.value("op", std::string()); }
  std::string event() const { return body.value("event", std::string()); }
  int64_t id() const { return body.value("id", int64_t{-1}); }
  bool is_reply() const { return body.contains("ok"); }
};

// Parses one line (without its newline). Returns nullopt and sets `error` for a line that is not a
// JSON object, carries no "v", or carries a version other than kProtocolVersion.
std::optional<Message> ParseLine(std::string_view line, std::string* error);

// One line, newline included, with "v" set.
std::string Encode(nlohmann::json body);
std::string Request(int64_t id, std::string_view op, nlohmann::json args = nlohmann::json::object());
std::string ReplyOk(int64_t id, nlohmann::json results = nlohmann::json::object());
std::string ReplyError(int64_t id, std::string_view error);
std::string OutputEvent(int stream, std::string_view data, int64_t exec_id = -1);

// Hex encoding of output bytes; HexDecode returns nullopt for odd lengths or non-hex characters.
std::string HexEncode(std::string_view bytes);
std::optional<std::string> HexDecode(std::string_view hex);

// Splits a byte stream into lines: Feed() appends, Next() pops one complete line (no newline).
// A line longer than kMaxLine is an error (the peer is broken): Next() then returns nullopt and
// overflowed() turns true.
class LineBuffer {
 public:
  static constexpr size_t kMaxLine = 16 << 20;
  void Feed(std::string_view bytes) { buf_.append(bytes); }
  std::optional<std::string> Next();
  bool overflowed() const { return overflowed_; }

 private:
  std::string buf_;
  bool overflowed_ = false;
};

}  // namespace ocirun::hyperv
