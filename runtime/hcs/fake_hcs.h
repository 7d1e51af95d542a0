// A recording, in-memory HCS for tests: compute systems move through Created -> Running <-> Paused ->
// Stopped as the real service moves them, processes get ids and exit codes, every call is appended to
// calls() ("Create c1", "Start c1", "CreateProcess c1 {...}"), and any call can be made to fail with
// an HRESULT (FailNext("Start", kHcsInvalidState)). Closing the last handle of a system whose
// document sets ShouldTerminateOnLastHandleClosed (v1: TerminateOnLastHandleClosed) stops it.
//
// Processes get the stdio pipes their document asks for (in-memory pipes): what SetOutput names is
// in their stdout / stderr pipes from the start, and the pipes end when the process exits, as the
// HCS closes them. With EchoStdin a process behaves like a filter (`findstr .*`): it exits only once
// told its stdin ended (CloseStdin) and then writes what it read to its stdout.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runtime/hcs/hcs_client.h"
#include "runtime/hcs/memory_stream.h"

namespace ocirun::hcs {

// The process's side of its pipes (shared: FakeSystemState is copied out by system()).
struct FakeStdio {
  std::unique_ptr<ByteStream> in;        // read end of its stdin
  std::unique_ptr<ByteStream> out, err;  // write ends of its stdout / stderr; closed at exit
  std::string stdin_text;                // what it read from stdin so far
};

struct FakeProcessState {
  nlohmann::json params;
  std::optional<int> exit_code;
  std::vector<nlohmann::json> signals;
  std::shared_ptr<FakeStdio> stdio;
  bool stdin_closed = false;  // CloseStdin reached it
};

struct FakeSystemState {
  nlohmann::json document;
  std::string state = "Created";  // Created, Running, Paused, Stopped
  std::map<uint32_t, FakeProcessState> processes;
  int open_handles = 0;
};

class FakeHcs final : public HcsClient {
 public:
  struct Shared {
    std::mutex mu;
    std::map<std::string, FakeSystemState> systems;
    std::vector<std::string> calls;
    std::map<std::string, uint32_t> fail_next;  // call name -> HRESULT for its next invocation
    uint32_t next_pid = 100;
    std::optional<int> exit_on_wait;  // WaitExit of a running process returns this (as if it exited)
    std::string next_stdout, next_stderr;  // SetOutput
    bool echo_stdin = false;
    std::condition_variable stdin_closed;  // notified by CloseStdin
  };

  FakeHcs() : s_(std::make_shared<Shared>()) {}

  base::Result<std::unique_ptr<HcsSystem>> Create(const std::string& id, const nlohmann::json& document,
                                                  Timeout timeout = kDefaultTimeout) override;
  base::Result<std::unique_ptr<HcsSystem>> Open(const std::string& id) override;

  // Test controls.
  void FailNext(const std::string& call, uint32_t hr);
  void SetExit(const std::string& id, uint32_t pid, int code);  // the process exits with `code`
  void ExitOnWait(int code);  // every process waited for exits with `code`
  // Processes created from now on have `out` / `err` in their stdout / stderr pipes.
  void SetOutput(std::string out, std::string err);
  // Processes with a stdin pipe echo it to stdout and exit once their stdin was closed (above).
  void EchoStdin();
  // Waits up to `timeout` until the process was told its stdin ended; what it received, or nullopt.
  std::optional<std::string> StdinOf(const std::string& id, uint32_t pid, Timeout timeout);
  std::vector<std::string> calls() const;
  std::optional<FakeSystemState> system(const std::string& id) const;

 private:
  std::shared_ptr<Shared> s_;
};

}  // namespace ocirun::hcs
