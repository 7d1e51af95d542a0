// A recording LayerApi for tests: every call is appended to calls() ("ActivateLayer C:\l\scratch",
// "PrepareLayer C:\l\scratch C:\l\b;C:\l\a"), layers move through activated / prepared as the real
// filter driver moves them, and any call can be made to fail with an HRESULT
// (FailNext("PrepareLayer", kAccessDenied)), with the message the real client gives
// ("PrepareLayer <path>: access is denied ...").
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "runtime/hcs/wclayer.h"

namespace ocirun::hcs::wclayer {

class FakeLayerApi final : public LayerApi {
 public:
  // NameToGuid answers PortableLayerId (guid.h): deterministic, not the HCS's values.
  base::Result<std::string> NameToGuid(const std::string& name) override;
  base::Status CreateSandboxLayer(const std::string& path, const std::vector<std::string>& parents) override;
  base::Status ActivateLayer(const std::string& path) override;
  base::Status PrepareLayer(const std::string& path, const std::vector<std::string>& parents) override;
  base::Result<std::string> GetLayerMountPath(const std::string& path) override;
  base::Status UnprepareLayer(const std::string& path) override;
  base::Status DeactivateLayer(const std::string& path) override;

  // Test controls and observations.
  void FailNext(const std::string& call, uint32_t hr) { fail_next_[call] = hr; }
  const std::vector<std::string>& calls() const { return calls_; }
  const std::set<std::string>& activated() const { return activated_; }
  const std::set<std::string>& prepared() const { return prepared_; }
  const std::set<std::string>& sandboxes() const { return sandboxes_; }
  // What GetLayerMountPath answers for a prepared layer (vmcompute gives it without the backslash).
  std::string mount_path = "\\\\?\\Volume{6a2b1d0e-3f4c-4e5d-8a9b-0c1d2e3f4a5b}";

 private:
  // Records "<call> <path>[ <detail>]"; the failure FailNext asked for, if any.
  base::Status Record(const std::string& call, const std::string& path, const std::string& detail = "");

  std::vector<std::string> calls_;
  std::map<std::string, uint32_t> fail_next_;
  std::set<std::string> activated_, prepared_, sandboxes_;
};

}  // namespace ocirun::hcs::wclayer
