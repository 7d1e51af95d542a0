// Every mapping rule against an expected document in fixtures/hcs/<case>.<kind>.json, and every
// refusal against runhcs/hcsshim's message. OCICERT_UPDATE_HCS_FIXTURES=1 rewrites the expected files
// (review the diff: they are the specification of the translation).
#include "runtime/hcs/translate.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "specs/parse.h"

namespace ocirun::hcs {
namespace {

const std::string kFixtures = std::string(OCICERT_SOURCE_DIR) + "/fixtures/hcs/";

ocispec::Spec LoadConfig(const std::string& name) {
  std::ifstream in(kFixtures + name + ".config.json");
  std::stringstream text;
  text << in.rdbuf();
  auto spec = ocispec::ParseConfig(text.str());
  EXPECT_TRUE(spec.ok()) << name << ": " << spec.status().ToString();
  return spec.ok() ? *spec : ocispec::Spec{};
}

void ExpectDocument(const std::string& file, const base::Result<nlohmann::json>& got) {
  ASSERT_TRUE(got.ok()) << file << ": " << got.status().ToString();
  const std::string path = kFixtures + file + ".json";
  if (std::getenv("OCICERT_UPDATE_HCS_FIXTURES")) {
    std::ofstream(path) << got->dump(2) << "\n";
  }
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << "missing expected document " << path;
  nlohmann::json want = nlohmann::json::parse(in, nullptr, false);
  EXPECT_EQ(*got, want) << file << "\n got: " << got->dump(2) << "\nwant: " << want.dump(2);
}

TranslateOptions Opts(uint32_t build = pod::kLTSC2022) {
  TranslateOptions o;
  o.id = "oct-win-c1";
  o.host_build = build;
  return o;
}

struct DocCase {
  const char* config;
  const char* expected;
  uint32_t build;
  const char* hosting;
};

class ContainerDocs : public ::testing::TestWithParam<DocCase> {};

TEST_P(ContainerDocs, MatchesExpected) {
  const DocCase& c = GetParam();
  TranslateOptions o = Opts(c.build);
  o.hosting_system_id = c.hosting;
  ExpectDocument(c.expected, ContainerDocument(LoadConfig(c.config), o));
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, ContainerDocs,
    ::testing::Values(
        // layers (all but scratch, ids from folder names), Storage.Path volume, GuestOs.HostName
        DocCase{"process-basic", "process-basic.container", pod::kLTSC2022, ""},
        // Memory.SizeInMB (floor), Processor.Count, Storage.QoS
        DocCase{"process-resources", "process-resources.container", pod::kLTSC2022, ""},
        DocCase{"process-cpu-maximum", "process-cpu-maximum.container", pod::kLTSC2022, ""},
        DocCase{"process-cpu-shares", "process-cpu-shares.container", pod::kLTSC2022, ""},
        // MappedDirectories (ro option, any case), MappedPipes (\\.\pipe\ sources)
        DocCase{"process-mounts", "process-mounts.container", pod::kLTSC2022, ""},
        // Networking: Namespace, AllowUnqualifiedDnsQuery, DnsSearchList joined, NetworkSharedContainerName
        DocCase{"process-network", "process-network.container", pod::kLTSC2022, ""},
        // AssignedDevices: class GUID and vpci location path
        DocCase{"process-devices", "process-devices.container", pod::kLTSC2022, ""},
        // HostingSystemId + HostedSystem: VM-side layer, mount and pipe paths; resources go to the VM
        DocCase{"hyperv-hosted", "hyperv-hosted.container", pod::kLTSC2022, "oct-win-c1@vm"},
        // LCOW: OciBundlePath, OciSpecification (windows section removed), ScratchDirPath
        DocCase{"lcow", "lcow.container", pod::kLTSC2022, "oct-win-c1@vm"}),
    [](const auto& info) {
      std::string n = info.param.expected;
      for (char& ch : n) if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return n;
    });

// RS5 (Server 2019), the oldest build ocirun supports, gets the same schema v2 documents.
TEST(ContainerDocsRS5, SameAsLater) {
  ExpectDocument("process-basic.container", ContainerDocument(LoadConfig("process-basic"), Opts(pod::kRS5)));
  ExpectDocument("uvm-windows.vm", UtilityVmDocument(LoadConfig("uvm-windows"), Opts(pod::kRS5)));
}

TEST(UtilityVm, WindowsFromBaseLayer) {
  ExpectDocument("uvm-windows.vm", UtilityVmDocument(LoadConfig("uvm-windows"), Opts()));
}

TEST(UtilityVm, WindowsFromUtilityVmPath) {
  ExpectDocument("uvm-windows-path.vm", UtilityVmDocument(LoadConfig("uvm-windows-path"), Opts()));
}

TEST(UtilityVm, Linux) { ExpectDocument("lcow.vm", UtilityVmDocument(LoadConfig("lcow"), Opts())); }

TEST(ProcessDocs, WindowsArgsEnvUserConsole) {
  ExpectDocument("process-params.process", ProcessDocument(*LoadConfig("process-params").process, false));
}

TEST(ProcessDocs, CommandLineWinsOverArgs) {
  ExpectDocument("process-commandline.process",
                 ProcessDocument(*LoadConfig("process-commandline").process, false));
}

TEST(ProcessDocs, Linux) { ExpectDocument("lcow.process", ProcessDocument(*LoadConfig("lcow").process, true)); }

TEST(ProcessDocs, Refusals) {
  ocispec::Process p;
  auto empty = ProcessDocument(p, false);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), base::Code::kInvalidArgument);
  EXPECT_NE(empty.status().message().find("process.args must not be empty"), std::string::npos);
  p.args = {"x.exe"};
  p.env = {"NOEQUALS"};
  auto env = ProcessDocument(p, false);
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.status().message(), "process.env[0] \"NOEQUALS\" is not KEY=value");
}

// --- refusals, with hcsshim's wording ---

std::string ErrorOf(const ocispec::Spec& spec, TranslateOptions o = Opts()) {
  auto r = ContainerDocument(spec, o);
  EXPECT_FALSE(r.ok());
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), base::Code::kInvalidArgument);
  return r.status().message();
}

TEST(Refusals, CpuLimitsAreMutuallyExclusive) {
  struct { std::optional<uint64_t> count; std::optional<uint16_t> shares, maximum; const char* msg; } cases[] = {
      {2, std::nullopt, 5000, "CPU Count: '2', Limit: '5000', and Weight: '0' are mutually exclusive"},
      {2, 300, std::nullopt, "CPU Count: '2', Limit: '0', and Weight: '300' are mutually exclusive"},
      {std::nullopt, 300, 5000, "CPU Count: '0', Limit: '5000', and Weight: '300' are mutually exclusive"},
      {2, 300, 5000, "CPU Count: '2', Limit: '5000', and Weight: '300' are mutually exclusive"},
  };
  for (const auto& c : cases) {
    ocispec::Spec s = LoadConfig("process-basic");
    s.windows->resources = ocispec::WindowsResources{};
    s.windows->resources->cpu = ocispec::WindowsCpu{c.count, c.shares, c.maximum, {}, nullptr};
    EXPECT_EQ(ErrorOf(s), std::string("invalid spec - Windows Process Container ") + c.msg);
  }
}

TEST(Refusals, CpuCountIsClampedToTheHost) {
  TranslateOptions o = Opts();
  o.host_processors = 1;
  auto r = ContainerDocument(LoadConfig("process-resources"), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)["Container"]["Processor"]["Count"], 1);
}

TEST(Refusals, ReadonlyRoot) {
  ocispec::Spec s = LoadConfig("process-basic");
  s.root->readonly = true;
  EXPECT_EQ(ErrorOf(s), "invalid container spec - readonly is not supported for Windows containers");
}

TEST(Refusals, MountWithoutSourceOrDestination) {
  ocispec::Spec s = LoadConfig("process-basic");
  s.mounts.push_back(ocispec::Mount{"C:\\data", std::nullopt, std::nullopt, {}, {}, {}, nullptr});
  EXPECT_EQ(ErrorOf(s),
            "invalid OCI spec - a mount must have both source and a destination: mounts[0] {Destination:C:\\data "
            "Type: Source:}");
  s.mounts[0] = ocispec::Mount{"", std::nullopt, std::string("C:\\src"), {}, {}, {}, nullptr};
  EXPECT_NE(ErrorOf(s).find("a mount must have both source and a destination"), std::string::npos);
}

TEST(Refusals, MountTypeMustNotBeSet) {
  ocispec::Spec s = LoadConfig("process-basic");
  s.mounts.push_back(ocispec::Mount{"C:\\d", std::string("bind"), std::string("C:\\s"), {}, {}, {}, nullptr});
  EXPECT_NE(ErrorOf(s).find("invalid container spec - Mount.Type 'bind' must not be set"), std::string::npos);
}

TEST(Refusals, RootMustBeAVolumeForProcessIsolation) {
  ocispec::Spec s = LoadConfig("process-basic");
  s.root->path = "C:\\rootfs";
  EXPECT_EQ(ErrorOf(s), "invalid container spec - Root.Path 'C:\\rootfs' must be a volume GUID path in the format "
                        "'\\\\?\\Volume{GUID}\\'");
  s.root.reset();
  EXPECT_EQ(ErrorOf(s), "spec is invalid - root isn't populated");
}

TEST(Refusals, LayerFoldersAndWindowsSection) {
  ocispec::Spec s = LoadConfig("process-basic");
  s.windows->layer_folders.resize(1);
  EXPECT_NE(ErrorOf(s).find("windows.layerFolders needs at least 2 entries"), std::string::npos);
  s.windows.reset();
  EXPECT_NE(ErrorOf(s).find("windows section is required"), std::string::npos);
}

TEST(Refusals, Devices) {
  ocispec::Spec s = LoadConfig("process-devices");
  TranslateOptions hosted = Opts();
  hosted.hosting_system_id = "vm";
  EXPECT_EQ(ErrorOf(s, hosted), "device assignment is currently only supported for HCS schema V2 argon");
  s.windows->devices[0].id_type = "gpu";
  EXPECT_EQ(ErrorOf(s), "specified device 24e55b58-4c8f-4f3d-9b0a-6c2d1e3f4a5b has unsupported type gpu");
}

// Before RS5 there is no computecore.dll and no schema v2: refused, naming the build and the minimum.
TEST(Refusals, BuildsBeforeRS5AreUnsupported) {
  for (uint32_t build : {pod::kRS1, pod::kRS3, pod::kRS4}) {
    for (auto doc : {ContainerDocument(LoadConfig("process-basic"), Opts(build)),
                     UtilityVmDocument(LoadConfig("uvm-windows"), Opts(build))}) {
      ASSERT_FALSE(doc.ok()) << build;
      EXPECT_EQ(doc.status().code(), base::Code::kUnimplemented);
      EXPECT_NE(doc.status().message().find(pod::DescribeBuild(build) + " is not supported"), std::string::npos)
          << doc.status().message();
      EXPECT_NE(doc.status().message().find("RS5 (17763) or later"), std::string::npos) << doc.status().message();
    }
  }
  EXPECT_TRUE(HostBuildSupported(pod::kRS5).ok());
}

TEST(Refusals, LinuxNeedsAHostingSystem) {
  EXPECT_NE(ErrorOf(LoadConfig("lcow")).find("runs only in a utility VM"), std::string::npos);
}

TEST(Refusals, LayerIdFailureNamesTheLayer) {
  TranslateOptions o = Opts();
  o.layer_id = [](const std::string&) -> base::Result<std::string> { return base::Internal("NameToGuid failed"); };
  auto r = ContainerDocument(LoadConfig("process-basic"), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "layer id of windows.layerFolders[0]: NameToGuid failed");
}

TEST(Signals, WindowsMapping) {
  const std::pair<int, const char*> named[] = {{0, "CtrlC"},       {1, "CtrlBreak"},     {2, "CtrlClose"},
                                               {5, "CtrlLogOff"},  {6, "CtrlShutdown"}, {15, "CtrlShutdown"}};
  for (const auto& [sig, name] : named) {
    auto r = SignalOptions(sig, false);
    ASSERT_TRUE(r.ok() && r->has_value()) << sig;
    EXPECT_EQ(**r, (nlohmann::json{{"Signal", name}})) << sig;
  }
  auto kill = SignalOptions(9, false);
  ASSERT_TRUE(kill.ok());
  EXPECT_FALSE(kill->has_value()) << "SIGKILL terminates";
  EXPECT_FALSE(SignalOptions(10, false).ok());
}

TEST(Signals, LinuxMapping) {
  auto usr1 = SignalOptions(10, true);
  ASSERT_TRUE(usr1.ok() && usr1->has_value());
  EXPECT_EQ(**usr1, (nlohmann::json{{"Signal", 10}}));
  EXPECT_FALSE(SignalOptions(9, true)->has_value());
  EXPECT_FALSE(SignalOptions(0, true).ok());
  EXPECT_FALSE(SignalOptions(64, true).ok());
}

TEST(Properties, QueryAndStates) {
  EXPECT_EQ(PropertyQuery({"ProcessList", "Statistics"}).dump(), R"({"PropertyTypes":["ProcessList","Statistics"]})");
  EXPECT_EQ(ConsoleSizeRequest(120, 40).dump(), R"({"ConsoleSize":{"Height":40,"Width":120},"Operation":"ConsoleSize"})");
  EXPECT_EQ(OciStatusFromHcsState("Created"), "created");
  EXPECT_EQ(OciStatusFromHcsState(""), "created");
  EXPECT_EQ(OciStatusFromHcsState("Running"), "running");
  EXPECT_EQ(OciStatusFromHcsState("Paused"), "paused");
  EXPECT_EQ(OciStatusFromHcsState("Stopped"), "stopped");
  EXPECT_EQ(OciStatusFromHcsState("SavedAsTemplate"), "unknown");
}

}  // namespace
}  // namespace ocirun::hcs
