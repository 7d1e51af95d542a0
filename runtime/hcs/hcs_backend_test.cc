// The Windows backend's lifecycle against FakeHcs and a fake supervisor: which HCS calls each verb
// makes, in which order, what it rolls back, what the pod policy refuses before any call, and how the
// shim and a foreground exec relay stdio.
#include "runtime/hcs/hcs_backend.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include "base/file.h"
#include "runtime/hcs/fake_hcs.h"
#include "runtime/hcs/fake_wclayer.h"
#include "runtime/hcs/guid.h"
#include "runtime/hcs/memory_stream.h"

namespace ocirun::hcs {
namespace {

struct SupervisorLog {
  bool gate = false;
  bool alive = false;
  bool launch_fails = false;
  int killed = 0;
  uint32_t init_pid = 0;
  std::string pid_file;
  // The standard streams of "this process" (the shim, or the exec caller).
  std::optional<std::string> stdin_text;  // ends after this text; nullopt: no stdin at all
  std::shared_ptr<Captured> out = std::make_shared<Captured>(), err = std::make_shared<Captured>();
  std::vector<std::string> shim_log;
  // The shim's handles: WaitHolding opens the container's system (and its VM) through `hcs`.
  std::shared_ptr<FakeHcs> hcs;
  std::string shim_id, shim_vm;
  std::vector<std::unique_ptr<HcsSystem>> held;
  bool shim_dies = false;  // exits before it holds anything
  bool init_fails = false;  // at start, the shim cannot create the init: it logs why and exits
  // Exec shims: the tags launched; `exec_pid` is what a launched one records (0: it dies first).
  std::vector<std::string> exec_tags;
  uint32_t exec_pid = 300;
  std::map<std::string, uint32_t> exec_pids;
  int holding_waits = 0;
};

class FakeSupervisor final : public Supervisor {
 public:
  explicit FakeSupervisor(std::shared_ptr<SupervisorLog> log) : log_(std::move(log)) {}
  base::Result<Shim> LaunchShim(const std::string& id, const std::string&, const std::string& vm_id) override {
    if (log_->launch_fails) return base::Internal("CreateProcess failed");
    log_->gate = log_->alive = true;
    log_->shim_id = id;
    log_->shim_vm = vm_id;
    return Shim{4242, 77};
  }
  base::Result<Shim> LaunchExecShim(const std::string& id, const std::string& state_dir, const std::string& tag) override {
    EXPECT_EQ(id, "oct-win-c1");
    EXPECT_TRUE(std::filesystem::exists(ExecDocumentPath(state_dir, tag))) << "the process document is written first";
    log_->exec_tags.push_back(tag);
    if (log_->exec_pid) log_->exec_pids[ExecPidPath(state_dir, tag)] = log_->exec_pid;
    else log_->shim_log.push_back("ocirun shim oct-win-c1: create process in oct-win-c1: access is denied");
    return Shim{kExecShimPid, 88};
  }
  uint32_t ExecPid(const std::string& path) override {
    auto it = log_->exec_pids.find(path);
    return it == log_->exec_pids.end() ? 0 : it->second;
  }
  base::Status WriteExecPid(const std::string& path, uint32_t pid) override {
    log_->exec_pids[path] = pid;
    return base::Status::Ok();
  }
  base::Status SignalHolding(const std::string&) override { return base::Status::Ok(); }
  // The shim opens what it holds (as RunShim does), unless the test has it die first.
  base::Status WaitHolding(const std::string&, const Shim&) override {
    ++log_->holding_waits;
    if (log_->shim_dies) {
      log_->alive = false;
      return base::Internal("exited before it held the compute system");
    }
    if (!log_->hcs) return base::Status::Ok();
    for (const std::string& id : {log_->shim_id, log_->shim_vm}) {
      if (id.empty()) continue;
      auto h = log_->hcs->Open(id);
      if (!h.ok()) return h.status();
      log_->held.push_back(std::move(*h));
    }
    return base::Status::Ok();
  }
  std::string GatePath(const std::string& dir) override { return dir + "/start.gate"; }
  // The shim goes on at the gate: creates the init (a pid of its own), or fails to and exits.
  base::Status OpenGate(const std::string&) override {
    log_->gate = false;
    if (log_->init_fails) {
      log_->alive = false;
      log_->shim_log.push_back("ocirun shim oct-win-c1: create process: the system cannot find the file specified");
    } else if (log_->init_pid == 0) {
      log_->init_pid = kStartedInitPid;
    }
    return base::Status::Ok();
  }
  bool GatePresent(const std::string&) override { return log_->gate; }
  base::Status WaitGateOpen(const std::string&) override { return base::Status::Ok(); }
  bool Alive(int pid, uint64_t start) override {
    if (pid == kExecShimPid) return log_->exec_pid != 0;  // an exec shim that records nothing has died
    return log_->alive && pid == 4242 && start == 77;
  }
  base::Status KillShim(int, uint64_t) override {
    ++log_->killed;
    log_->alive = false;
    log_->held.clear();  // a process's handles close with it
    return base::Status::Ok();
  }
  base::Result<int> WaitShim(int) override { return 0; }
  uint32_t InitPid(const std::string&) override { return log_->init_pid; }
  base::Status WriteInitPid(const std::string&, uint32_t pid) override { log_->init_pid = pid; return base::Status::Ok(); }
  base::Status WritePidFile(const std::string& path, int pid) override {
    log_->pid_file = path + "=" + std::to_string(pid);
    return base::Status::Ok();
  }
  StdioStreams OwnStdio() override {
    StdioStreams own{nullptr, MakeCapture(log_->out), MakeCapture(log_->err)};
    if (log_->stdin_text) {
      MemoryPipe in = MakeMemoryPipe();
      EXPECT_TRUE(in.writer->Write(log_->stdin_text->data(), log_->stdin_text->size()).ok());
      own.in = std::move(in.reader);
    }
    return own;
  }
  void LogShim(const std::string&, const std::string& line) override { log_->shim_log.push_back(line); }
  std::string ReadShimLog(const std::string&) override {
    std::string all;
    for (const std::string& line : log_->shim_log) all += (all.empty() ? "" : "\n") + line;
    return all;
  }
  static constexpr uint32_t kStartedInitPid = 7;
  static constexpr int kExecShimPid = 5151;

 private:
  std::shared_ptr<SupervisorLog> log_;
};

nlohmann::json Config(const std::string& name) {
  std::ifstream in(std::string(OCICERT_SOURCE_DIR) + "/fixtures/hcs/" + name + ".config.json");
  return nlohmann::json::parse(in);
}

class HcsBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("oct-windows-backend-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(root_ / "oct-win-c1");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  HcsBackend Make(HostFacts host = {}) {
    auto fake = fake_;
    log_->hcs = fake;  // the fake shim holds its handles in the same HCS
    return HcsBackend([fake]() -> base::Result<std::unique_ptr<HcsClient>> { return std::unique_ptr<HcsClient>(new FakeHcsView(fake)); },
                      std::make_unique<FakeSupervisor>(log_), host, layers_);
  }

  CreateRequest Request(const std::string& config) {
    CreateRequest r;
    r.id = "oct-win-c1";
    r.bundle = "C:\\bundle";
    r.state_dir = (root_ / "oct-win-c1").string();
    r.config = Config(config);
    return r;
  }

  // The backend owns its client; this view forwards to the test's shared fake.
  class FakeHcsView final : public HcsClient {
   public:
    explicit FakeHcsView(std::shared_ptr<FakeHcs> f) : f_(std::move(f)) {}
    base::Result<std::unique_ptr<HcsSystem>> Create(const std::string& id, const nlohmann::json& d, Timeout t) override { return f_->Create(id, d, t); }
    base::Result<std::unique_ptr<HcsSystem>> Open(const std::string& id) override { return f_->Open(id); }
   private:
    std::shared_ptr<FakeHcs> f_;
  };

  // Creates and starts oct-win-c1 from process-basic, then sets the environment that makes this
  // process its shim (RunInit).
  void CreateStartAndBecomeTheShim() {
    HcsBackend creator = Make();
    StateFacts facts;
    ASSERT_TRUE(creator.Create(Request("process-basic"), facts).ok());
    ASSERT_TRUE(creator.Start(facts).ok());
    std::filesystem::copy_file(std::string(OCICERT_SOURCE_DIR) + "/fixtures/hcs/process-basic.config.json",
                               root_ / "oct-win-c1" / "config.json");
    const std::string state = (root_ / "oct-win-c1").string();
#ifdef _WIN32
    _putenv_s(kShimIdEnv, "oct-win-c1");
    _putenv_s(kShimStateEnv, state.c_str());
#else
    setenv(kShimIdEnv, "oct-win-c1", 1);
    setenv(kShimStateEnv, state.c_str(), 1);
#endif
  }

  // A running oct-win-c1 (create + start), its facts.
  StateFacts Running(HcsBackend& b) {
    StateFacts facts;
    EXPECT_TRUE(b.Create(Request("process-basic"), facts).ok());
    EXPECT_TRUE(b.Start(facts).ok());
    return facts;
  }

  std::filesystem::path root_;
  std::shared_ptr<FakeHcs> fake_ = std::make_shared<FakeHcs>();
  std::shared_ptr<SupervisorLog> log_ = std::make_shared<SupervisorLog>();
  wclayer::FakeLayerApi layers_;
};

bool Has(const std::vector<std::string>& calls, const std::string& prefix) {
  return std::any_of(calls.begin(), calls.end(), [&](const std::string& c) { return c.rfind(prefix, 0) == 0; });
}

// A host before RS5 (no computecore.dll): refused before any HCS call or client load, by name.
TEST_F(HcsBackendTest, HostBeforeRS5IsRefusedPlainly) {
  bool loaded = false;
  HcsBackend b([&loaded]() -> base::Result<std::unique_ptr<HcsClient>> {
    loaded = true;
    return base::Unimplemented("HCS not available: computecore.dll could not be loaded");
  }, std::make_unique<FakeSupervisor>(log_), HostFacts{pod::kRS4, pod::HostEdition::kServer, 4}, layers_);
  StateFacts facts;
  base::Status st = b.Create(Request("process-basic"), facts);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), base::Code::kUnimplemented);
  EXPECT_NE(st.message().find("Windows RS4 (17134) is not supported"), std::string::npos) << st.message();
  facts.id = "oct-win-c1";
  EXPECT_NE(b.Start(facts).message().find("is not supported"), std::string::npos);
  EXPECT_FALSE(loaded) << "the client was loaded on a host before RS5";
  EXPECT_TRUE(fake_->calls().empty());
  EXPECT_TRUE(layers_.calls().empty());
}

TEST_F(HcsBackendTest, ProcessIsolatedLifecycle) {
  HcsBackend b = Make();
  StateFacts facts;
  facts.id = "oct-win-c1";
  ASSERT_TRUE(b.Create(Request("process-basic"), facts).ok());
  EXPECT_EQ(facts.pid, 4242);
  EXPECT_EQ(facts.backend["hcs_id"], "oct-win-c1");
  EXPECT_EQ(facts.backend["vm_id"], "");
  EXPECT_TRUE(fake_->system("oct-win-c1")->document.contains("Container"));
  BackendObservation o = b.Observe(facts);
  EXPECT_TRUE(o.init_alive && o.gate_present && !o.frozen) << "created";

  ASSERT_TRUE(b.Start(facts).ok());
  EXPECT_EQ(fake_->system("oct-win-c1")->state, "Running");
  EXPECT_FALSE(b.Observe(facts).gate_present) << "running";

  ASSERT_TRUE(b.Freeze(facts).ok());
  EXPECT_TRUE(b.Observe(facts).frozen);
  ASSERT_TRUE(b.Thaw(facts).ok());
  EXPECT_FALSE(b.Observe(facts).frozen);

  ASSERT_TRUE(b.Destroy(facts).ok());
  EXPECT_EQ(fake_->system("oct-win-c1")->state, "Stopped");
  EXPECT_EQ(log_->killed, 1);
  EXPECT_TRUE(b.Destroy(facts).ok()) << "idempotent";
}

// runhcs's start reports a failed init: the shim exited without creating it; its log is the message.
TEST_F(HcsBackendTest, StartFailsWhenTheInitFails) {
  HcsBackend b = Make();
  StateFacts facts;
  ASSERT_TRUE(b.Create(Request("process-basic"), facts).ok());
  log_->init_fails = true;
  base::Status st = b.Start(facts);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "the container's init could not be started: ocirun shim oct-win-c1: create process: "
                          "the system cannot find the file specified");
}

TEST_F(HcsBackendTest, StartReturnsOnceTheInitRuns) {
  HcsBackend b = Make();
  StateFacts facts;
  ASSERT_TRUE(b.Create(Request("process-basic"), facts).ok());
  ASSERT_TRUE(b.Start(facts).ok());
  EXPECT_EQ(log_->init_pid, FakeSupervisor::kStartedInitPid);
}

// runhcs --owner: the HCS documents' Owner and the state's owner (default "ocirun").
TEST_F(HcsBackendTest, OwnerGoesIntoTheDocumentsAndTheState) {
  HcsBackend b = Make();
  CreateRequest req = Request("uvm-windows");
  req.backend_options[kOwnerOption] = "containerd-shim-runhcs";
  StateFacts facts;
  ASSERT_TRUE(b.Create(req, facts).ok());
  EXPECT_EQ(facts.owner, "containerd-shim-runhcs");
  EXPECT_EQ(fake_->system("oct-win-c1")->document["Owner"], "containerd-shim-runhcs");
  EXPECT_EQ(fake_->system("oct-win-c1@vm")->document["Owner"], "containerd-shim-runhcs");

  fake_ = std::make_shared<FakeHcs>();
  HcsBackend b2 = Make();
  StateFacts f2;
  ASSERT_TRUE(b2.Create(Request("process-basic"), f2).ok());
  EXPECT_EQ(f2.owner, "ocirun");
  EXPECT_EQ(fake_->system("oct-win-c1")->document["Owner"], "ocirun");
}

// runhcs create --host H: the container is hosted in H's utility VM; H must exist and own one.
TEST_F(HcsBackendTest, HostFlagPlacesTheContainerInThatVm) {
  StateStore store(root_.string());
  StateFacts host;
  host.id = "oct-win-host";
  host.backend = {{"hcs_id", "oct-win-host"}, {"vm_id", "oct-win-host@vm"}, {"host_id", "oct-win-host"}};
  std::filesystem::create_directories(root_ / "oct-win-host");
  ASSERT_TRUE(store.Save(host).ok());
  StateFacts argon;
  argon.id = "oct-win-argon";
  argon.backend = {{"hcs_id", "oct-win-argon"}};
  std::filesystem::create_directories(root_ / "oct-win-argon");
  ASSERT_TRUE(store.Save(argon).ok());

  HcsBackend b = Make();
  CreateRequest req = Request("hyperv-hosted");
  req.backend_options[kHostOption] = "oct-win-host";
  StateFacts facts;
  base::Status st = b.Create(req, facts);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(fake_->system("oct-win-c1")->document["HostingSystemId"], "oct-win-host@vm");
  EXPECT_EQ(facts.backend["host_id"], "oct-win-host");
  EXPECT_EQ(facts.backend["vm_id"], "") << "no VM of its own";

  fake_ = std::make_shared<FakeHcs>();
  HcsBackend b2 = Make();
  req.backend_options[kHostOption] = "oct-win-argon";
  EXPECT_EQ(b2.Create(req, facts).message(), "host container oct-win-argon is not a VM host");
  req.backend_options[kHostOption] = "oct-win-none";
  EXPECT_EQ(b2.Create(req, facts).message(), "ID 'oct-win-none' was not found");
  EXPECT_TRUE(fake_->calls().empty());
}

// runhcs kill: a terminal process is terminated instead of signalled; resize-tty resizes its console.
TEST_F(HcsBackendTest, TerminalProcessIsTerminatedAndResized) {
  HcsBackend b = Make();
  CreateRequest req = Request("process-basic");
  req.config["process"]["terminal"] = true;
  StateFacts facts;
  ASSERT_TRUE(b.Create(req, facts).ok());
  ASSERT_TRUE(b.Start(facts).ok());
  auto sys = fake_->Open("oct-win-c1");
  auto init = (*sys)->CreateProcess({{"CommandLine", "cmd"}});
  log_->init_pid = (*init)->pid();
  ASSERT_TRUE(b.ResizeConsole(facts, 0, 120, 40).ok());
  EXPECT_TRUE(Has(fake_->calls(), "ModifyProcess oct-win-c1 " + std::to_string(log_->init_pid) +
                                      R"( {"ConsoleSize":{"Height":40,"Width":120},"Operation":"ConsoleSize"})"));
  EXPECT_FALSE(b.ResizeConsole(facts, 9999, 80, 25).ok()) << "no such process";
  ASSERT_TRUE(b.Kill(facts, 0, false).ok());
  EXPECT_FALSE(Has(fake_->calls(), "SignalProcess"));
  EXPECT_TRUE(Has(fake_->calls(), "TerminateProcess oct-win-c1 " + std::to_string(log_->init_pid)));
}

TEST_F(HcsBackendTest, KillMapsSignals) {
  HcsBackend b = Make();
  StateFacts facts;
  ASSERT_TRUE(b.Create(Request("process-basic"), facts).ok());
  ASSERT_TRUE(b.Kill(facts, 15, false).ok()) << "before start: terminate the system";
  EXPECT_EQ(fake_->system("oct-win-c1")->state, "Stopped");
  EXPECT_EQ(log_->killed, 1) << "and the shim waiting at the gate: the container is stopped";
  EXPECT_FALSE(b.Observe(facts).init_alive);

  fake_ = std::make_shared<FakeHcs>();
  HcsBackend b2 = Make();
  StateFacts f2;
  ASSERT_TRUE(b2.Create(Request("process-basic"), f2).ok());
  ASSERT_TRUE(b2.Start(f2).ok());
  auto sys = fake_->Open("oct-win-c1");
  auto init = (*sys)->CreateProcess({{"CommandLine", "cmd"}});
  log_->init_pid = (*init)->pid();
  ASSERT_TRUE(b2.Kill(f2, 15, false).ok());
  EXPECT_TRUE(Has(fake_->calls(), "SignalProcess oct-win-c1 " + std::to_string(log_->init_pid) + " {\"Signal\":\"CtrlShutdown\"}"));
  ASSERT_TRUE(b2.Kill(f2, 9, false).ok());
  EXPECT_TRUE(Has(fake_->calls(), "TerminateProcess oct-win-c1"));
  EXPECT_EQ(b2.Kill(f2, 10, false).code(), base::Code::kInvalidArgument);
}

TEST_F(HcsBackendTest, HyperVContainerOwnsAUtilityVm) {
  HcsBackend b = Make();
  StateFacts facts;
  ASSERT_TRUE(b.Create(Request("hyperv-hosted"), facts).ok());
  auto calls = fake_->calls();
  ASSERT_GE(calls.size(), 3u);
  EXPECT_EQ(calls[0], "Create oct-win-c1@vm");
  EXPECT_EQ(calls[1], "Start oct-win-c1@vm");
  EXPECT_EQ(calls[2], "Create oct-win-c1");
  EXPECT_EQ(fake_->system("oct-win-c1")->document["HostingSystemId"], "oct-win-c1@vm");
  EXPECT_EQ(facts.backend["vm_id"], "oct-win-c1@vm");
  ASSERT_TRUE(b.Destroy(facts).ok());
  EXPECT_EQ(fake_->system("oct-win-c1@vm")->state, "Stopped");
}

// The documents set ShouldTerminateOnLastHandleClosed: create's own handles close when it returns,
// so the systems must already be held by the shim (the fake shim opens them in WaitHolding).
TEST_F(HcsBackendTest, CreateClosesItsHandlesOnlyOnceTheShimHoldsTheSystems) {
  HcsBackend b = Make();
  StateFacts facts;
  ASSERT_TRUE(b.Create(Request("hyperv-hosted"), facts).ok());
  EXPECT_EQ(log_->holding_waits, 1);
  EXPECT_EQ(log_->shim_vm, "oct-win-c1@vm") << "the shim is told which VM the container owns";
  EXPECT_EQ(fake_->system("oct-win-c1")->state, "Created");
  EXPECT_EQ(fake_->system("oct-win-c1@vm")->state, "Running");
  EXPECT_FALSE(Has(fake_->calls(), "TerminateOnLastHandleClosed"));
  log_->held.clear();  // the shim exits: nothing holds the systems any more
  EXPECT_EQ(fake_->system("oct-win-c1")->state, "Stopped");
  EXPECT_EQ(fake_->system("oct-win-c1@vm")->state, "Stopped");
}

// What the wait prevents: with a shim that holds nothing, the fake HCS ends the system with create.
TEST_F(HcsBackendTest, FakeHcsTerminatesOnLastHandleClosed) {
  HcsBackend b = Make();
  log_->hcs = nullptr;  // the fake shim opens nothing
  StateFacts facts;
  ASSERT_TRUE(b.Create(Request("process-basic"), facts).ok());
  EXPECT_TRUE(Has(fake_->calls(), "TerminateOnLastHandleClosed oct-win-c1"));
  EXPECT_EQ(fake_->system("oct-win-c1")->state, "Stopped");
}

TEST_F(HcsBackendTest, ShimThatDiesBeforeHoldingFailsCreateAndLeavesNothing) {
  HcsBackend b = Make();
  log_->shim_dies = true;
  StateFacts facts;
  base::Status st = b.Create(Request("hyperv-hosted"), facts);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("the container shim"), std::string::npos) << st.ToString();
  EXPECT_NE(st.message().find("exited before it held"), std::string::npos) << st.ToString();
  EXPECT_EQ(fake_->system("oct-win-c1")->state, "Stopped");
  EXPECT_EQ(fake_->system("oct-win-c1@vm")->state, "Stopped");

  // A mounted container's layers are unmounted too.
  fake_ = std::make_shared<FakeHcs>();
  HcsBackend b2 = Make();
  CreateRequest req = Request("process-basic");
  req.config.erase("root");
  ASSERT_FALSE(b2.Create(req, facts).ok());
  EXPECT_TRUE(layers_.prepared().empty());
  EXPECT_EQ(fake_->system("oct-win-c1")->state, "Stopped");
}

TEST_F(HcsBackendTest, HyperVContainerWithoutRootIsHostedOnTheScratchDisk) {
  HcsBackend b = Make();
  StateFacts facts;
  CreateRequest req = Request("hyperv-hosted");
  req.config.erase("root");  // as runhcs allows: the layers go over VSMB, nothing is mounted on the host
  base::Status st = b.Create(req, facts);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(fake_->system("oct-win-c1")->document["HostedSystem"]["Container"]["Storage"]["Path"], "C:\\c\\oct-win-c1\\");
  EXPECT_TRUE(facts.backend.value("mounted_layers", nlohmann::json::array()).empty());
}

TEST_F(HcsBackendTest, FailedShimRollsBackSystemAndVm) {
  log_->launch_fails = true;
  HcsBackend b = Make();
  StateFacts facts;
  base::Status st = b.Create(Request("hyperv-hosted"), facts);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("start the container shim"), std::string::npos);
  EXPECT_EQ(fake_->system("oct-win-c1")->state, "Stopped");
  EXPECT_EQ(fake_->system("oct-win-c1@vm")->state, "Stopped");
}

TEST_F(HcsBackendTest, BadDocumentRollsBackTheVm) {
  HcsBackend b = Make();
  nlohmann::json config = Config("hyperv-hosted");
  config["windows"]["devices"] = {{{"id", "x"}, {"idType", "class"}}};  // refused for hosted containers
  CreateRequest req = Request("hyperv-hosted");
  req.config = config;
  StateFacts facts;
  base::Status st = b.Create(req, facts);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "container document: device assignment is currently only supported for HCS schema V2 argon");
  EXPECT_EQ(fake_->system("oct-win-c1@vm")->state, "Stopped");
  EXPECT_FALSE(fake_->system("oct-win-c1").has_value());
}

TEST_F(HcsBackendTest, PolicyRefusesBeforeAnyHcsCall) {
  HcsBackend b = Make({pod::kRS5, pod::HostEdition::kServer, 4});
  CreateRequest req = Request("process-basic");
  req.config["annotations"] = {{"org.opencontainers.image.os.version", "10.0.17134.1"}};
  StateFacts facts;
  base::Status st = b.Create(req, facts);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), base::Code::kFailedPrecondition);
  EXPECT_NE(st.message().find("container RS4 (17134), host RS5 (17763)"), std::string::npos) << st.message();
  EXPECT_TRUE(fake_->calls().empty());
}

TEST_F(HcsBackendTest, PodMemberNeedsItsSandbox) {
  HcsBackend b = Make();
  CreateRequest req = Request("process-basic");
  req.config["annotations"] = {{"io.kubernetes.cri.container-type", "container"},
                               {"io.kubernetes.cri.sandbox-id", "oct-win-pod"}};
  StateFacts facts;
  base::Status st = b.Create(req, facts);
  EXPECT_EQ(st.code(), base::Code::kNotFound);
  EXPECT_EQ(st.message(), "sandbox oct-win-pod: ID 'oct-win-pod' was not found");
}

TEST_F(HcsBackendTest, ExecAndPids) {
  HcsBackend b = Make();
  StateFacts facts;
  ASSERT_TRUE(b.Create(Request("process-basic"), facts).ok());
  ASSERT_TRUE(b.Start(facts).ok());
  ExecRequest req;
  req.process = {{"args", {"cmd.exe", "/c", "dir"}}, {"cwd", "C:\\"}};
  req.detach = true;
  req.pid_file = "C:\\exec.pid";
  auto r = b.Exec(facts, req);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, 0);
  // runhcs: a shim per detached exec holds the process; the pid file has the shim's host pid.
  ASSERT_EQ(log_->exec_tags.size(), 1u);
  EXPECT_EQ(log_->pid_file, "C:\\exec.pid=" + std::to_string(FakeSupervisor::kExecShimPid));
  EXPECT_FALSE(Has(fake_->calls(), "CreateProcess")) << "the exec shim creates the process, not exec";
  const std::string state_dir = (root_ / "oct-win-c1").string();
  EXPECT_FALSE(std::filesystem::exists(ExecDocumentPath(state_dir, log_->exec_tags[0]))) << "exec removed its files";
  auto pids = b.Pids(facts);
  ASSERT_TRUE(pids.ok());
  fake_->ExitOnWait(5);
  req.detach = false;
  EXPECT_EQ(*b.Exec(facts, req), 5);
  EXPECT_EQ(b.Update(facts, {}).code(), base::Code::kUnimplemented);
}

// The exec shim's side: the process from the document the caller wrote, with pipes relayed to the
// shim's stdio (the exec caller's), its pid recorded for the caller, its exit code returned.
TEST_F(HcsBackendTest, ExecShimCreatesTheProcessAndRelaysIt) {
  HcsBackend b = Make();
  StateFacts facts = Running(b);
  const std::string state_dir = (root_ / "oct-win-c1").string();
  ASSERT_TRUE(base::WriteFileAtomic(ExecDocumentPath(state_dir, "t1"),
                                    R"({"CommandLine":"cmd /c echo detached","CreateStdInPipe":true,)"
                                    R"("CreateStdOutPipe":true,"CreateStdErrPipe":true})").ok());
  fake_->SetOutput("detached\r\n", "");
  fake_->ExitOnWait(4);
#ifdef _WIN32
  _putenv_s(kShimIdEnv, "oct-win-c1");
  _putenv_s(kShimStateEnv, state_dir.c_str());
  _putenv_s(kShimExecEnv, "t1");
#else
  setenv(kShimIdEnv, "oct-win-c1", 1);
  setenv(kShimStateEnv, state_dir.c_str(), 1);
  setenv(kShimExecEnv, "t1", 1);
#endif
  HcsBackend shim = Make();
  EXPECT_EQ(shim.RunInit(), 4);
#ifdef _WIN32
  _putenv_s(kShimExecEnv, "");
#else
  unsetenv(kShimExecEnv);
#endif
  EXPECT_EQ(log_->out->Text(), "detached\r\n");
  EXPECT_NE(log_->exec_pids[ExecPidPath(state_dir, "t1")], 0u);
  EXPECT_TRUE(Has(fake_->calls(), "CreateProcess oct-win-c1 {\"CommandLine\":\"cmd /c echo detached\""));
  EXPECT_EQ(fake_->system("oct-win-c1")->state, "Running") << "an exec shim leaves the container running";
}

TEST_F(HcsBackendTest, DetachedExecFailsWithTheShimsWords) {
  HcsBackend b = Make();
  StateFacts facts = Running(b);
  log_->exec_pid = 0;
  ExecRequest req;
  req.process = {{"args", {"cmd.exe"}}, {"cwd", "C:\\"}};
  req.detach = true;
  auto r = b.Exec(facts, req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "the exec process could not be started: ocirun shim oct-win-c1: create process in "
                                  "oct-win-c1: access is denied");
}

TEST_F(HcsBackendTest, ShimStartsTheInitAndReturnsItsExitCode) {
  CreateStartAndBecomeTheShim();
  fake_->ExitOnWait(3);
  HcsBackend shim = Make();
  EXPECT_EQ(shim.RunInit(), 3);
  EXPECT_EQ(log_->init_pid, 100u);
  EXPECT_TRUE(Has(fake_->calls(), "CreateProcess oct-win-c1 {\"CommandLine\":\"cmd.exe /c \\\"echo hello\\\"\""));
  EXPECT_EQ(fake_->system("oct-win-c1")->state, "Stopped") << "the shim shuts the system down";
}

TEST_F(HcsBackendTest, ForegroundExecReturnsTheOutputAndExitCode) {
  HcsBackend b = Make();
  StateFacts facts = Running(b);
  fake_->SetOutput(" Volume in drive C has no label.\r\n", "File Not Found\r\n");
  fake_->ExitOnWait(2);
  log_->out->delay = std::chrono::milliseconds(200);  // a slow reader: the exit code waits for the drain
  ExecRequest req;
  req.process = {{"args", {"cmd.exe", "/c", "dir", "nothing"}}, {"cwd", "C:\\"}};
  auto code = b.Exec(facts, req);
  ASSERT_TRUE(code.ok()) << code.status().ToString();
  EXPECT_EQ(*code, 2);
  EXPECT_EQ(log_->out->Text(), " Volume in drive C has no label.\r\n");
  EXPECT_EQ(log_->err->Text(), "File Not Found\r\n");
  EXPECT_TRUE(Has(fake_->calls(), "CreateProcess oct-win-c1 {\"CommandLine\":\"cmd.exe /c dir nothing\","
                                  "\"CreateStdErrPipe\":true,\"CreateStdInPipe\":true,\"CreateStdOutPipe\":true"));
}

TEST_F(HcsBackendTest, ExecStdinEndClosesTheProcessStdin) {
  HcsBackend b = Make();
  StateFacts facts = Running(b);
  fake_->EchoStdin();  // like `findstr .*`: exits once its stdin ends, echoing it
  fake_->ExitOnWait(0);
  log_->stdin_text = "one\r\ntwo\r\n";
  ExecRequest req;
  req.process = {{"args", {"findstr", ".*"}}, {"cwd", "C:\\"}};
  auto code = b.Exec(facts, req);
  ASSERT_TRUE(code.ok()) << code.status().ToString();
  EXPECT_EQ(*code, 0);
  EXPECT_EQ(fake_->StdinOf("oct-win-c1", 100, std::chrono::seconds(5)), "one\r\ntwo\r\n");
  EXPECT_TRUE(Has(fake_->calls(), "ModifyProcess oct-win-c1 100 {\"CloseHandle\":{\"Handle\":\"StdIn\"},"
                                  "\"Operation\":\"CloseHandle\"}"));
  EXPECT_EQ(log_->out->Text(), "one\r\ntwo\r\n");
}

TEST_F(HcsBackendTest, ExecWithoutCallerStdinGetsAnEmptyOne) {
  HcsBackend b = Make();
  StateFacts facts = Running(b);
  fake_->EchoStdin();
  fake_->ExitOnWait(0);
  ExecRequest req;  // log_->stdin_text unset: this process has no stdin
  req.process = {{"args", {"findstr", ".*"}}, {"cwd", "C:\\"}};
  EXPECT_EQ(*b.Exec(facts, req), 0) << "the process saw its stdin end at once";
  EXPECT_EQ(fake_->StdinOf("oct-win-c1", 100, std::chrono::seconds(5)), "");
}

TEST_F(HcsBackendTest, ShimRelaysTheInitsStdio) {
  CreateStartAndBecomeTheShim();
  fake_->SetOutput("hello\r\n", "warning\r\n");
  fake_->ExitOnWait(0);
  HcsBackend shim = Make();
  EXPECT_EQ(shim.RunInit(), 0);
  EXPECT_EQ(log_->out->Text(), "hello\r\n") << "the init's stdout reaches the create caller's";
  EXPECT_EQ(log_->err->Text(), "warning\r\n");
  EXPECT_TRUE(log_->shim_log.empty()) << log_->shim_log.front();
  EXPECT_EQ(fake_->system("oct-win-c1")->state, "Stopped");
}

TEST_F(HcsBackendTest, ShimClosesTheInitsStdinAtTheCallersEnd) {
  CreateStartAndBecomeTheShim();
  fake_->EchoStdin();
  fake_->ExitOnWait(0);
  log_->stdin_text = "y\r\n";
  HcsBackend shim = Make();
  EXPECT_EQ(shim.RunInit(), 0);
  EXPECT_EQ(fake_->StdinOf("oct-win-c1", 100, std::chrono::seconds(5)), "y\r\n");
  EXPECT_EQ(log_->out->Text(), "y\r\n");
}

TEST_F(HcsBackendTest, ShimLogsOutputNobodyCouldTake) {
  CreateStartAndBecomeTheShim();
  fake_->SetOutput("lost\r\n", "");
  fake_->ExitOnWait(0);
  log_->out->fail = true;  // the caller's stdout went away
  HcsBackend shim = Make();
  EXPECT_EQ(shim.RunInit(), 0) << "the exit code is the init's";
  ASSERT_EQ(log_->shim_log.size(), 1u);
  EXPECT_EQ(log_->shim_log[0].rfind("stdio relay: write stdout: ", 0), 0u) << log_->shim_log[0];
}

// process-basic without root.path: create mounts the layers as runhcs does.
CreateRequest WithoutRootPath(CreateRequest req, bool drop_root) {
  if (drop_root) {
    req.config.erase("root");
  } else {
    req.config["root"]["path"] = "";
  }
  return req;
}

const char* kScratch = "C:\\ProgramData\\containerd\\snapshots\\31";
const char* kVolume = "\\\\?\\Volume{6a2b1d0e-3f4c-4e5d-8a9b-0c1d2e3f4a5b}\\";

TEST_F(HcsBackendTest, CreateMountsTheLayersWhenRootHasNoPath) {
  for (bool drop_root : {true, false}) {
    fake_ = std::make_shared<FakeHcs>();
    layers_ = wclayer::FakeLayerApi();
    HcsBackend b = Make();
    StateFacts facts;
    base::Status st = b.Create(WithoutRootPath(Request("process-basic"), drop_root), facts);
    ASSERT_TRUE(st.ok()) << st.ToString();
    const std::string scratch = kScratch;
    ASSERT_GE(layers_.calls().size(), 3u);
    EXPECT_EQ(layers_.calls()[0], "ActivateLayer " + scratch);
    EXPECT_EQ(layers_.calls()[1], "PrepareLayer " + scratch +
                                      " C:\\ProgramData\\containerd\\snapshots\\12;C:\\ProgramData\\containerd\\snapshots\\7");
    EXPECT_EQ(layers_.calls()[2], "GetLayerMountPath " + scratch);
    ASSERT_TRUE(fake_->system("oct-win-c1").has_value());
    nlohmann::json storage = fake_->system("oct-win-c1")->document["Container"]["Storage"];
    EXPECT_EQ(storage["Path"], kVolume) << "the volume path, with its backslash, reaches Storage.Path";
    EXPECT_EQ(storage["Layers"][0]["Id"], *PortableLayerId("12")) << "ids from the LayerApi's NameToGuid";
    EXPECT_EQ(facts.backend["mounted_layers"], nlohmann::json(Config("process-basic")["windows"]["layerFolders"]));
    EXPECT_EQ(layers_.prepared().count(scratch), 1u);

    ASSERT_TRUE(b.Destroy(facts).ok());
    EXPECT_EQ(layers_.calls().back(), "DeactivateLayer " + scratch);
    EXPECT_EQ(layers_.calls()[layers_.calls().size() - 2], "UnprepareLayer " + scratch);
    EXPECT_TRUE(layers_.activated().empty() && layers_.prepared().empty()) << "delete unmounted them";
  }
}

TEST_F(HcsBackendTest, NoMountWhenRootPathIsGiven) {
  HcsBackend b = Make();
  StateFacts facts;
  ASSERT_TRUE(b.Create(Request("process-basic"), facts).ok());
  for (const std::string& call : layers_.calls()) EXPECT_EQ(call.rfind("NameToGuid ", 0), 0u) << call;
  EXPECT_EQ(fake_->system("oct-win-c1")->document["Container"]["Storage"]["Path"],
            "\\\\?\\Volume{5ef2ad4c-0bd3-4a8b-9b2a-8b3d3e1a2c44}\\");
  EXPECT_TRUE(facts.backend["mounted_layers"].empty());
  ASSERT_TRUE(b.Destroy(facts).ok());
  for (const std::string& call : layers_.calls()) EXPECT_EQ(call.rfind("NameToGuid ", 0), 0u) << "no unmount: " << call;
}

TEST_F(HcsBackendTest, HyperVContainerMountsNothing) {
  HcsBackend b = Make();
  StateFacts facts;
  base::Status st = b.Create(WithoutRootPath(Request("hyperv-hosted"), false), facts);
  ASSERT_TRUE(st.ok()) << st.ToString();
  for (const std::string& call : layers_.calls()) EXPECT_EQ(call.rfind("NameToGuid ", 0), 0u) << call;
}

TEST_F(HcsBackendTest, FailedSystemCreateUnmountsTheLayers) {
  fake_->FailNext("Create", kHcsInvalidJson);
  HcsBackend b = Make();
  StateFacts facts;
  base::Status st = b.Create(WithoutRootPath(Request("process-basic"), true), facts);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.os_error(), kHcsInvalidJson);
  EXPECT_EQ(layers_.calls().back(), std::string("DeactivateLayer ") + kScratch);
  EXPECT_TRUE(layers_.activated().empty() && layers_.prepared().empty()) << "nothing left behind";
}

TEST_F(HcsBackendTest, FailedShimUnmountsTheLayers) {
  log_->launch_fails = true;
  HcsBackend b = Make();
  StateFacts facts;
  ASSERT_FALSE(b.Create(WithoutRootPath(Request("process-basic"), false), facts).ok());
  EXPECT_EQ(fake_->system("oct-win-c1")->state, "Stopped");
  EXPECT_TRUE(layers_.activated().empty() && layers_.prepared().empty());
}

TEST_F(HcsBackendTest, FailedPrepareUndoesActivateAndCreatesNothing) {
  layers_.FailNext("PrepareLayer", kAccessDenied);
  HcsBackend b = Make();
  StateFacts facts;
  base::Status st = b.Create(WithoutRootPath(Request("process-basic"), true), facts);
  EXPECT_EQ(st.code(), base::Code::kFailedPrecondition);
  EXPECT_EQ(st.message(), std::string("mount the container's layers: PrepareLayer ") + kScratch +
                              ": access is denied (run as Administrator) (0x80070005)");
  EXPECT_EQ(layers_.calls().back(), std::string("DeactivateLayer ") + kScratch);
  EXPECT_TRUE(layers_.activated().empty());
  EXPECT_TRUE(fake_->calls().empty()) << "no compute system without its layers";
}

TEST_F(HcsBackendTest, FailedUnmountFailsDelete) {
  HcsBackend b = Make();
  StateFacts facts;
  ASSERT_TRUE(b.Create(WithoutRootPath(Request("process-basic"), true), facts).ok());
  layers_.FailNext("UnprepareLayer", kSharingViolation);
  base::Status st = b.Destroy(facts);
  EXPECT_EQ(st.message(), std::string("unmount the container's layers: UnprepareLayer ") + kScratch +
                              ": the file is in use by another process (sharing violation) (0x80070020)");
  EXPECT_EQ(fake_->system("oct-win-c1")->state, "Stopped") << "the system went first";
}

}  // namespace
}  // namespace ocirun::hcs
