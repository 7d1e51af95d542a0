#include "runtime/pod/pod_policy.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "runtime/pod/windows_builds.h"

namespace ocirun::pod {
namespace {

nlohmann::json LoadMatrix() {
  std::ifstream in(std::string(OCICERT_SOURCE_DIR) + "/fixtures/pod-matrix.json");
  EXPECT_TRUE(in.good()) << "fixtures/pod-matrix.json missing";
  nlohmann::json m = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  EXPECT_TRUE(m.is_object() && m.contains("rows")) << "fixtures/pod-matrix.json is not a matrix";
  if (!m.is_object() || !m.contains("rows")) m = {{"rows", nlohmann::json::array()}};
  return m;
}

Host HostOf(const nlohmann::json& row) {
  return {row.at("host_build").get<uint32_t>(),
          row.at("host_edition") == "client" ? HostEdition::kClient : HostEdition::kServer};
}
ContainerOs OsOf(const nlohmann::json& row) {
  return row.at("container_os") == "linux" ? ContainerOs::kLinux : ContainerOs::kWindows;
}
Isolation IsoOf(const nlohmann::json& row) {
  return row.at("isolation") == "process" ? Isolation::kProcess : Isolation::kHyperV;
}
std::string RowName(const nlohmann::json& row) {
  return row.at("host").get<std::string>() + " (" + row.at("host_edition").get<std::string>() + ") " +
         row.at("container_os").get<std::string>() + "/" + row.at("isolation").get<std::string>();
}

TEST(PodMatrix, EveryRowMatchesThePolicyCell) {
  nlohmann::json m = LoadMatrix();
  ASSERT_GE(m.at("rows").size(), 9u);  // the seed's nine cells at least
  int seed_rows = 0;
  for (const auto& row : m.at("rows")) {
    PodSupportCell cell = PodSupportFor(HostOf(row), OsOf(row), IsoOf(row));
    EXPECT_EQ(Name(cell.support), row.at("pod_support").get<std::string>()) << RowName(row);
    EXPECT_EQ(cell.note, row.at("notes").get<std::string>()) << RowName(row);
    seed_rows += row.at("from_seed").get<bool>();
  }
  EXPECT_EQ(seed_rows, 9);
}

TEST(PodMatrix, EveryRowDecidesSandboxCreation) {
  for (const auto& row : LoadMatrix().at("rows")) {
    Workload w{HostOf(row), OsOf(row), 0, IsoOf(row), PodRole::kSandbox, {}};
    base::Status st = CheckWorkload(w);
    bool supported = row.at("pod_support") != "No";
    EXPECT_EQ(st.ok(), supported) << RowName(row) << ": " << st.ToString();
    if (!supported) {
      EXPECT_EQ(st.code(), base::Code::kFailedPrecondition) << RowName(row);
      EXPECT_FALSE(st.message().empty());
    }
  }
}

TEST(PodMatrix, EverySupportedRowDecidesASecondMember) {
  // Yes: many members in one sandbox. Partial: one workload container per utility VM.
  for (const auto& row : LoadMatrix().at("rows")) {
    if (row.at("pod_support") == "No") continue;
    SandboxFacts sb{OsOf(row), 0, IsoOf(row), 1};
    Workload w{HostOf(row), OsOf(row), 0, IsoOf(row), PodRole::kMember, sb};
    base::Status st = CheckWorkload(w);
    EXPECT_EQ(st.ok(), row.at("pod_support") == "Yes") << RowName(row) << ": " << st.ToString();
    w.sandbox.members = 0;
    EXPECT_TRUE(CheckWorkload(w).ok()) << RowName(row) << ": first member";
  }
}

TEST(PodPolicy, PartialRefusalNamesTheRule) {
  Workload w{{kRS4, HostEdition::kServer}, ContainerOs::kWindows, 0, Isolation::kHyperV, PodRole::kMember,
             {ContainerOs::kWindows, 0, Isolation::kHyperV, 1}};
  base::Status st = CheckWorkload(w);
  EXPECT_NE(st.message().find("Partial pod support: one workload container per utility VM"), std::string::npos)
      << st.message();
}

TEST(PodPolicy, PodsBeforeRS5AreRefusedWithHcsshimsMessage) {
  Workload w{{kRS3, HostEdition::kServer}, ContainerOs::kWindows, 0, Isolation::kProcess, PodRole::kSandbox, {}};
  base::Status st = CheckWorkload(w);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("pod support is not available on Windows versions previous to RS5"),
            std::string::npos);
  w.role = PodRole::kNone;  // a lone same-build process container is fine on RS3
  EXPECT_TRUE(CheckWorkload(w).ok());
}

struct IsoCase {
  uint32_t host;
  uint32_t container;
  Isolation isolation;
  bool allowed;
};

TEST(PodPolicy, WindowsBuildCompatibility) {
  const IsoCase cases[] = {
      {kRS5, kRS5, Isolation::kProcess, true},
      {kRS5, kRS4, Isolation::kProcess, false},  // below LTSC2022: exact match only
      {k20H1, kRS5, Isolation::kProcess, false},
      {kLTSC2022, kLTSC2022, Isolation::kProcess, true},
      {kLTSC2022, kRS5, Isolation::kProcess, false},  // 2022 hosts do not run 2019 images
      {k22H2, kLTSC2022, Isolation::kProcess, true},
      {kLTSC2025, kLTSC2022, Isolation::kProcess, true},  // the previous LTSC up to its own
      {kLTSC2025, kLTSC2025, Isolation::kProcess, true},
      {kLTSC2025, kRS5, Isolation::kProcess, false},
      {kLTSC2022, kLTSC2025, Isolation::kProcess, false},  // never newer than the host
      {kRS5, kRS1, Isolation::kHyperV, true},              // Hyper-V runs down-level images
      {kLTSC2025, kRS5, Isolation::kHyperV, true},
      {kRS5, kLTSC2022, Isolation::kHyperV, false},
  };
  for (const IsoCase& c : cases) {
    base::Status st = CheckIsolation({c.host, HostEdition::kServer}, ContainerOs::kWindows, c.container, c.isolation);
    EXPECT_EQ(st.ok(), c.allowed) << DescribeBuild(c.host) << " runs " << DescribeBuild(c.container) << " "
                                  << Name(c.isolation) << ": " << st.ToString();
  }
}

TEST(PodPolicy, ProcessMismatchMessageNamesBothBuilds) {
  base::Status st = CheckIsolation({kRS5, HostEdition::kServer}, ContainerOs::kWindows, kRS4, Isolation::kProcess);
  EXPECT_EQ(st.message(),
            "process isolation needs the container build to equal the host build before LTSC2022 (20348): "
            "container RS4 (17134), host RS5 (17763); use Hyper-V isolation");
}

TEST(PodPolicy, ClientHostsOnlyRunHyperV) {
  Host client{k22H2, HostEdition::kClient};
  EXPECT_FALSE(CheckIsolation(client, ContainerOs::kWindows, 0, Isolation::kProcess).ok());
  EXPECT_TRUE(CheckIsolation(client, ContainerOs::kWindows, 0, Isolation::kHyperV).ok());
}

TEST(PodPolicy, LinuxNeedsHyperVAndRS5) {
  EXPECT_FALSE(CheckIsolation({kRS5}, ContainerOs::kLinux, 0, Isolation::kProcess).ok());
  EXPECT_FALSE(CheckIsolation({kRS4}, ContainerOs::kLinux, 0, Isolation::kHyperV).ok());
  EXPECT_TRUE(CheckIsolation({kRS5}, ContainerOs::kLinux, 0, Isolation::kHyperV).ok());
}

TEST(PodPolicy, MemberMustMatchTheSandbox) {
  Host host{kLTSC2025, HostEdition::kServer};
  Workload w{host, ContainerOs::kWindows, kLTSC2022, Isolation::kHyperV, PodRole::kMember,
             {ContainerOs::kWindows, kLTSC2025, Isolation::kHyperV, 0}};
  EXPECT_FALSE(CheckWorkload(w).ok()) << "member build differs from the utility VM";
  w.container_build = kLTSC2025;
  EXPECT_TRUE(CheckWorkload(w).ok());
  w.sandbox.os = ContainerOs::kLinux;
  EXPECT_FALSE(CheckWorkload(w).ok()) << "windows member in a linux sandbox";
  w.sandbox = {ContainerOs::kWindows, 0, Isolation::kProcess, 0};
  base::Status st = CheckWorkload(w);
  EXPECT_EQ(st.message(), "a Hyper-V isolated container cannot join a process-isolated sandbox");
}

TEST(PodPolicy, HostsBeforeRS1AreRefused) {
  EXPECT_FALSE(CheckIsolation({10586}, ContainerOs::kWindows, 0, Isolation::kHyperV).ok());
}

}  // namespace
}  // namespace ocirun::pod
