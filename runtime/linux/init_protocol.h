// The parent <-> init message protocol (documented in docs/ocirun.md, "The init protocol").
//
// `ocirun create` / `ocirun exec` (the parent, P) re-executes ocirun (through a private read-only
// overlay of its folder, or from a sealed memfd copy: spawn.h) as
// `ocirun init` (stage 1, S1) with one end of a SOCK_STREAM socketpair whose fd number is in the
// environment variable _OCIRUN_INITPIPE. Every message is a 4-byte type and a 4-byte length (host
// order) followed by `length` bytes of JSON. The exchange:
//
//   P  -> S1  kConfig        {"mode":"create"|"exec", "config": <config.json>, ...}     (InitConfig)
//   S1        joins the namespaces given by path (user first, mount last)
//   S1 -> P   kMapIds        {}   only with a new user namespace: S1 has unshared it
//   P  -> S1  kMapIdsDone    {}   P wrote /proc/S1/{uid_map,setgroups,gid_map}
//   S1        unshares the other new namespaces, forks S2 with CLONE_PARENT (P's child, pid 1 of a
//             new pid namespace), reports it and exits
//   S1 -> P   kChildPid      {"pid": <S2 as seen by P>}
//   P  -> S2  kChildPidAck   {}   (stage 1 has exited; only stage 2 talks from now on)
//   S2        (create) mounts the rootfs and the mounts, creates devices
//   S2 -> P   kRuntimeHooks  {}   P runs prestart + createRuntime hooks (runtime namespace)
//   P  -> S2  kRuntimeHooksDone {}
//   S2        createContainer hooks, pivot_root, masked/readonly paths, sysctls, hostname, then the
//             process setup shared with exec (rlimits, user, capabilities, cwd, executable lookup)
//   S2 -> P   kConsole       {"name"} + the pty master (SCM_RIGHTS), only with process.terminal:
//             P hands it to --console-socket, or keeps it to relay a foreground `run`/`exec`
//   S2 -> P   kReady         {}   P writes the state and the pid file, and exits
//   S2        (create) waits on the exec fifo until `ocirun start` writes one byte, runs the
//             startContainer hooks, and execs the user program; a failure of either goes to
//             `start` as kError on the start fifo (start_report.h).
// Any child error is sent as kError {"message": "...", "errno": N} and the child exits 1; P then
// kills and reaps what it started and reports the message.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace ocirun::linux {

inline constexpr char kInitPipeEnv[] = "_OCIRUN_INITPIPE";

enum class MsgType : uint32_t {
  kConfig = 1,
  kMapIds = 2,
  kMapIdsDone = 3,
  kChildPid = 4,
  kRuntimeHooks = 5,
  kRuntimeHooksDone = 6,
  kReady = 7,
  kError = 8,
  kChildPidAck = 9,
  kConsole = 10,  // S2 -> P {"name": "/dev/pts/N"}, followed by one byte carrying the pty master
};

struct Message {
  MsgType type = MsgType::kError;
  nlohmann::json body;
};

// Writes one message (blocking, EINTR-safe).
base::Status SendMessage(int fd, MsgType type, const nlohmann::json& body);
// Reads one message. kNotFound "init exited" at EOF before a header; kInternal on a bad frame.
base::Result<Message> ReceiveMessage(int fd);
// The status a kError message carries (kInternal, its message and errno).
base::Status ErrorOf(const Message& m);
// Reads one message and requires `type`; a kError message becomes its status (ErrorOf).
base::Result<nlohmann::json> Expect(int fd, MsgType type);
// Passes one fd (SCM_RIGHTS on a single byte) after a message; RecvFd receives it close-on-exec.
base::Status SendFd(int sock, int fd);
base::Result<int> RecvFd(int sock);
// Sends kError with the status message and errno (best effort).
void SendError(int fd, const base::Status& status);

}  // namespace ocirun::linux
