// A recording, in-memory HCS for tests: compute systems move through Created -> Running <-> Paused ->
// Stopped as the real service moves them, processes get ids and exit codes, every call is appended to
// calls() ("Create c1", "Start c1", "CreateProcess c1 {...}"), and any call can be made to fail with
// an HRESULT (FailNext("Start", kHcsInvalidState)).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runtime/hcs/hcs_client.h"

namespace ocirun::hcs {

struct FakeProcessState {
  nlohmann::json params;
  std::optional<int> exit_code;
  std::vector<nlohmann::json> signals;
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
  };

  FakeHcs() : s_(std::make_shared<Shared>()) {}

  base::Result<std::unique_ptr<HcsSystem>> Create(const std::string& id, const nlohmann::json& document,
                                                  Timeout timeout = kDefaultTimeout) override;
  base::Result<std::unique_ptr<HcsSystem>> Open(const std::string& id) override;

  // Test controls.
  void FailNext(const std::string& call, uint32_t hr);
  void SetExit(const std::string& id, uint32_t pid, int code);  // the process exits with `code`
  void ExitOnWait(int code);  // every process waited for exits with `code`
  std::vector<std::string> calls() const;
  std::optional<FakeSystemState> system(const std::string& id) const;

 private:
  std::shared_ptr<Shared> s_;
};

}  // namespace ocirun::hcs
