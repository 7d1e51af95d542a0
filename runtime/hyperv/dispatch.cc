// MakeIsolationBackend: the run-time choice between the process and the hyperv backend.
#include "runtime/hyperv/backend.h"
#include "runtime/linux/backend.h"

namespace ocirun::hyperv {
namespace {

class IsolationBackend : public Backend {
 public:
  explicit IsolationBackend(Isolation default_mode) : default_(default_mode) {}

  base::Status Create(const CreateRequest& req, StateFacts& facts) override {
    ASSIGN_OR_RETURN(Isolation mode, ChooseIsolation(req.config, default_));
    if (mode == Isolation::kHyperv) RETURN_IF_ERROR(HypervSupported().Wrap("hyperv isolation"));
    // Set before the backend runs, so an intent it records (req.record) routes delete --force too.
    if (!facts.backend.is_object()) facts.backend = nlohmann::json::object();
    facts.backend["isolation"] = IsolationName(mode);
    RETURN_IF_ERROR(For(mode).Create(req, facts));
    facts.backend["isolation"] = IsolationName(mode);
    return base::Status::Ok();
  }
  base::Status Start(const StateFacts& f) override { return Of(f).Start(f); }
  base::Status Kill(const StateFacts& f, int signal, bool all) override { return Of(f).Kill(f, signal, all); }
  base::Status Destroy(const StateFacts& f) override { return Of(f).Destroy(f); }
  BackendObservation Observe(const StateFacts& f) override { return Of(f).Observe(f); }
  base::Result<int> WaitInit(const StateFacts& f) override { return Of(f).WaitInit(f); }
  base::Result<int> Exec(const StateFacts& f, const ExecRequest& req) override { return Of(f).Exec(f, req); }
  base::Status Freeze(const StateFacts& f) override { return Of(f).Freeze(f); }
  base::Status Thaw(const StateFacts& f) override { return Of(f).Thaw(f); }
  base::Result<std::vector<int>> Pids(const StateFacts& f) override { return Of(f).Pids(f); }
  base::Status Update(const StateFacts& f, const nlohmann::json& r) override { return Of(f).Update(f, r); }
  int RunInit() override { return process_.RunInit(); }

  // The process backend's document, plus which isolation modes this host supports (annotations:
  // the features schema allows only strings there).
  nlohmann::json Features() override {
    nlohmann::json f = process_.Features();
    base::Status hyperv = HypervSupported();
    f["annotations"]["io.ocirun.isolation.default"] = std::string(IsolationName(default_));
    f["annotations"]["io.ocirun.isolation.modes"] = hyperv.ok() ? "process,hyperv" : "process";
    f["annotations"]["io.ocirun.isolation.hyperv"] = hyperv.ok() ? "supported (tcg)" : "unavailable: " + hyperv.message();
    return f;
  }

 private:
  Backend& For(Isolation mode) { return mode == Isolation::kHyperv ? static_cast<Backend&>(hyperv_) : process_; }
  Backend& Of(const StateFacts& f) { return For(RecordedIsolation(f)); }

  Isolation default_;
  linux::LinuxBackend process_;
  HypervBackend hyperv_;
};

}  // namespace

std::unique_ptr<Backend> MakeIsolationBackend(Isolation default_mode) {
  return std::make_unique<IsolationBackend>(default_mode);
}

}  // namespace ocirun::hyperv
