#include "reports/merge.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "base/file.h"

namespace reports {
namespace {

HostIdentity Linux(const std::string& hostname) {
  HostIdentity id;
  id.present = true;
  id.host = {hostname, "linux", "Debian GNU/Linux 12 (bookworm)", "", "12", "", "", "6.1.0-18-amd64", "x86_64", "v2",
             "Xeon", 2, 8ull << 30, "kvm"};
  id.suite_version = "0.1.0";
  id.command_line = {"ocicert", "conform"};
  id.runtimes = {{"ocirun", "/bin/ocirun", "ocirun 0.1.0", std::string(64, 'a'), ""}};
  return id;
}

HostIdentity Windows(const std::string& hostname, const std::string& build) {
  HostIdentity id = Linux(hostname);
  id.host.os_family = "windows";
  id.host.os = "Windows Server Datacenter";
  id.host.edition = "ServerDatacenter";
  id.host.build = build;
  id.host.ubr = "100";
  id.host.kernel = "Windows NT 10.0 build " + build + ".100";
  id.host.cgroup = "n/a";
  id.host.virtualization = "hyperv";
  return id;
}

ConformResults Results(const HostIdentity& id, std::vector<std::pair<std::string, Verdict>> verdicts,
                       const std::string& isolation = "process") {
  ConformResults r;
  r.started = "2026-12-07T20:00:00Z";
  r.host = {{"hostname", id.host.hostname}, {"isolation", isolation}};
  r.identity = id;
  r.runtimes = {{"ocirun", "/bin/ocirun", "ocirun 0.1.0", ""}};
  for (const auto& [case_id, v] : verdicts) {
    CaseResult c;
    c.id = case_id;
    c.suite = case_id.substr(0, case_id.find('.'));
    c.title = case_id;
    c.results["ocirun"] = RuntimeResult{v, v == Verdict::kPass ? "" : "why: " + case_id, 0.25, {}, {}};
    r.cases.push_back(c);
  }
  Summarize(r);
  return r;
}

class MergeTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "/merge_test_" + testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    EXPECT_TRUE(base::WriteFile(path, text).ok());
    return path;
  }
  std::string Save(const std::string& name, const ConformResults& r) { return Write(name, ConformResultsToJson(r)); }
  base::Result<MergedReport> Merge(const std::vector<std::string>& paths, const MergeOptions& o = {}) {
    std::vector<LoadedResult> inputs;
    for (const std::string& p : paths) {
      auto loaded = LoadResultFile(p);
      if (!loaded.ok()) return loaded.status();
      inputs.push_back(std::move(*loaded));
    }
    return MergeResults(inputs, o);
  }
  std::string dir_;
};

TEST_F(MergeTest, MatrixDifferingCasesFirstAndPodRows) {
  std::string a = Save("linux/results.json", Results(Linux("lin1"), {{"lifecycle.a", Verdict::kPass},
                                                                     {"lifecycle.b", Verdict::kPass},
                                                                     {"process.c", Verdict::kFail}}));
  std::string b = Save("ws2022/results.json", Results(Windows("ws2022", "20348"), {{"lifecycle.a", Verdict::kPass},
                                                                                  {"lifecycle.b", Verdict::kFail}}));
  auto m = Merge({a, b});
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_EQ(m->hosts.size(), 2u);
  ASSERT_EQ(m->columns.size(), 2u);
  EXPECT_EQ(m->columns[1].label, "ws2022/ocirun/process");
  EXPECT_EQ(m->differing, 1);
  ASSERT_EQ(m->cases.size(), 3u);
  EXPECT_EQ(m->cases[0].id, "lifecycle.b");  // the differing row first
  EXPECT_TRUE(m->cases[0].differs);
  EXPECT_FALSE(m->cases[1].differs);
  // Run on one host only: "not run" elsewhere, never a verdict, and not a difference.
  EXPECT_EQ(m->cases[2].id, "process.c");
  EXPECT_FALSE(m->cases[2].cells[1].has_value());
  EXPECT_FALSE(m->cases[2].differs);
  EXPECT_EQ(m->hosts[0].pod_matrix, "not applicable (linux host)");
  EXPECT_NE(m->hosts[1].pod_matrix.find("LTSC2022 (20348) server"), std::string::npos) << m->hosts[1].pod_matrix;
  EXPECT_NE(m->hosts[1].pod_matrix.find("windows/process: Yes"), std::string::npos);
  // Matrix: (host, runtime, isolation, suite) with counts; ws2022 has no process suite row.
  ASSERT_EQ(m->matrix.size(), 3u);
  EXPECT_EQ(m->matrix[2].suite, "lifecycle");
  EXPECT_EQ(m->matrix[2].counts.pass, 1);
  EXPECT_EQ(m->matrix[2].counts.fail, 1);

  std::string html = MergedHtml(*m);
  EXPECT_NE(html.find("Cases whose verdict differs between hosts (1)"), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"differs\"><td><code>lifecycle.b</code>"), std::string::npos) << html;
  EXPECT_NE(html.find("Windows Server Datacenter 20348.100"), std::string::npos);
  EXPECT_NE(html.find(">not run<"), std::string::npos);
  std::string md = MergedMarkdown(*m);
  EXPECT_NE(md.find("| `lifecycle.b` | pass | **fail** |"), std::string::npos) << md;
  std::string xml = MergedJunitXml(*m);
  EXPECT_NE(xml.find("tests=\"5\" failures=\"2\""), std::string::npos) << xml;
  EXPECT_NE(MergedJson(*m).find("\"differing\": 1"), std::string::npos);
}

TEST_F(MergeTest, RunVerdictsAreCopiedFromEachHostsSummary) {
  ConformResults lin = Results(Linux("lin1"), {{"lifecycle.a", Verdict::kPass}});
  lin.summary["ocirun"].verdict = "pass";
  ConformResults win = Results(Windows("ws2019", "17763"), {{"lifecycle.a", Verdict::kFail}}, "hyperv");
  win.summary["ocirun"].verdict = "fail";
  win.summary["ocirun"].reasons = {"1 case failed"};
  // Written before verdicts existed: the merge says so instead of deciding one from the counts.
  ConformResults old = Results(Linux("lin2"), {{"lifecycle.a", Verdict::kFail}});
  auto m = Merge({Save("a/results.json", lin), Save("b/results.json", win), Save("c/results.json", old)});
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_EQ(m->hosts.size(), 3u);
  EXPECT_EQ(m->hosts[0].run_verdicts.at("ocirun/process"), "pass");
  EXPECT_EQ(m->hosts[1].run_verdicts.at("ocirun/hyperv"), "fail: 1 case failed");
  EXPECT_EQ(m->hosts[2].run_verdicts.at("ocirun/process"), "not recorded");
  EXPECT_NE(MergedHtml(*m).find("ocirun/hyperv: <span class=\"fail\" title=\"1 case failed\">fail</span><br>"),
            std::string::npos);
  EXPECT_NE(MergedMarkdown(*m).find("| ocirun/process: not recorded |"), std::string::npos) << MergedMarkdown(*m);
  EXPECT_NE(MergedJson(*m).find("\"ocirun/hyperv\": \"fail: 1 case failed\""), std::string::npos);
}

TEST_F(MergeTest, OneHostsTwoRunsOfOtherSuitesAreJoined) {
  // certify.sh writes conform/results.json and security-soak/results.json on one host.
  std::string a = Save("h/conform/results.json", Results(Linux("lin1"), {{"lifecycle.a", Verdict::kPass}}));
  std::string b = Save("h/security-soak/results.json", Results(Linux("lin1"), {{"soak.sequential", Verdict::kFail}}));
  auto m = Merge({a, b});
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_EQ(m->hosts.size(), 1u);
  EXPECT_EQ(m->hosts[0].files.size(), 2u);
  ASSERT_EQ(m->columns.size(), 1u);
  ASSERT_EQ(m->cases.size(), 2u);
  EXPECT_EQ(m->differing, 0);
  EXPECT_EQ(m->matrix.size(), 2u);  // lifecycle and soak rows of the one column
}

TEST_F(MergeTest, TruncatedFileIsAnErrorNamingIt) {
  std::string text = ConformResultsToJson(Results(Linux("lin1"), {{"lifecycle.a", Verdict::kPass}}));
  std::string path = Write("cut/results.json", text.substr(0, text.size() / 2));
  auto m = Merge({path});
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find(path), std::string::npos) << m.status().message();
  EXPECT_NE(m.status().message().find("not valid JSON"), std::string::npos);
}

TEST_F(MergeTest, AnotherSchemaVersionIsAnErrorNamingIt) {
  std::string text = ConformResultsToJson(Results(Linux("lin1"), {{"lifecycle.a", Verdict::kPass}}));
  text.replace(text.find("ocicert.conform/v2"), 18, "ocicert.conform/v9");
  std::string path = Write("v9/results.json", text);
  auto m = Merge({path});
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find(path + ": schema \"ocicert.conform/v9\""), std::string::npos)
      << m.status().message();
}

TEST_F(MergeTest, OldSchemaIsMergedWithAWarningNamingIt) {
  std::string text = ConformResultsToJson(Results(Linux("old"), {{"lifecycle.a", Verdict::kFail}}));
  text.replace(text.find("ocicert.conform/v2"), 18, "ocicert.conform/v1");
  std::string old = Write("old/results.json", text);
  std::string cur = Save("new/results.json", Results(Linux("new"), {{"lifecycle.a", Verdict::kPass}}));
  auto m = Merge({old, cur});
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_EQ(m->warnings.size(), 1u);
  EXPECT_NE(m->warnings[0].find(old + ": schema v1"), std::string::npos) << m->warnings[0];
  EXPECT_EQ(m->hosts[0].label, "old");
  EXPECT_NE(m->hosts[0].pod_matrix.find("unknown"), std::string::npos);
  EXPECT_EQ(m->differing, 1);
}

TEST_F(MergeTest, DuplicateHostIsAnErrorNamingBothFiles) {
  std::string a = Save("a/results.json", Results(Linux("lin1"), {{"lifecycle.a", Verdict::kPass}}));
  std::string b = Save("b/results.json", Results(Linux("lin1"), {{"lifecycle.a", Verdict::kFail}}));
  auto m = Merge({a, b});
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("duplicate host: " + a + " and " + b), std::string::npos)
      << m.status().message();
  // The same host in another isolation mode, or with other cases, is not a duplicate.
  std::string c = Save("c/results.json", Results(Linux("lin1"), {{"lifecycle.a", Verdict::kSkip}}, "hyperv"));
  std::string d = Save("d/results.json", Results(Linux("lin1"), {{"process.b", Verdict::kPass}}));
  auto ok = Merge({a, c, d});
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->hosts.size(), 1u);
  EXPECT_EQ(ok->columns.size(), 2u);
  EXPECT_EQ(ok->hosts[0].isolations, (std::vector<std::string>{"hyperv", "process"}));
}

TEST_F(MergeTest, MixedSuitesAreRefusedUnlessAllowed) {
  HostIdentity other = Linux("lin2");
  other.suite_version = "0.2.0";
  std::string a = Save("a/results.json", Results(Linux("lin1"), {{"lifecycle.a", Verdict::kPass}}));
  std::string b = Save("b/results.json", Results(other, {{"lifecycle.a", Verdict::kPass}}));
  auto refused = Merge({a, b});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("--allow-mixed-suites"), std::string::npos);
  EXPECT_NE(refused.status().message().find("suite 0.2.0: " + b), std::string::npos) << refused.status().message();
  MergeOptions allow;
  allow.allow_mixed_suites = true;
  auto merged = Merge({a, b}, allow);
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  EXPECT_EQ(merged->suite_versions, (std::vector<std::string>{"0.1.0", "0.2.0"}));
  ASSERT_EQ(merged->warnings.size(), 1u);
}

TEST_F(MergeTest, MissingExpectedHostIsNamed) {
  auto expect = ParseExpectedHosts(R"({"hosts": [
      {"name": "linux-v2", "match": {"os_family": "linux", "cgroup": "v2"}},
      {"name": "ws2019", "match": {"os_family": "windows", "build": "17763"}},
      {"name": "ws2022", "match": {"os_family": "windows", "build": "20348"}}]})");
  ASSERT_TRUE(expect.ok()) << expect.status().message();
  std::string a = Save("a/results.json", Results(Linux("lin1"), {{"lifecycle.a", Verdict::kPass}}));
  std::string b = Save("b/results.json", Results(Windows("w1", "20348"), {{"lifecycle.a", Verdict::kPass}}));
  MergeOptions o;
  o.expect = *expect;
  auto m = Merge({a, b}, o);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->missing_hosts, std::vector<std::string>{"ws2019"});
  EXPECT_EQ(m->hosts[1].expected_as, std::vector<std::string>{"ws2022"});
  EXPECT_NE(MergedHtml(*m).find("<p class=\"missing\" id=\"missing-hosts\">Missing hosts (expected, no results): ws2019"),
            std::string::npos);
  // A typo in a field name would match every host: refused.
  auto typo = ParseExpectedHosts(R"({"hosts": [{"name": "x", "match": {"buidl": "17763"}}]})");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("hosts[0].match.buidl"), std::string::npos);
  EXPECT_FALSE(ParseExpectedHosts(R"({"hosts": [{"name": "x"}]})").ok());
  EXPECT_FALSE(ParseExpectedHosts("[").ok());
}

TEST_F(MergeTest, BenchRatiosSideBySideAndDuplicateBench) {
  auto bench = [](const HostIdentity& id, double ocirun_ns, double runc_ns) {
    ocicert::reports::BenchRun run;
    run.identity = id;
    run.host = {{"hostname", id.host.hostname}};
    run.reference = "runc";
    for (auto [rt, ns] : {std::pair<const char*, double>{"ocirun", ocirun_ns}, {"runc", runc_ns}}) {
      ocicert::reports::BenchCase c;
      c.name = std::string("create/") + rt;
      c.operation = "create";
      c.runtime = rt;
      c.samples_ns = {ns, ns, ns};
      run.cases.push_back(c);
    }
    ocicert::reports::FinishRun(run);
    return ocicert::reports::BenchRunToJson(run);
  };
  std::string a = Write("a/bench.json", bench(Linux("lin1"), 5e6, 10e6));
  std::string b = Write("b/bench.json", bench(Windows("w1", "26100"), 30e6, 20e6));
  std::string c = Save("c/results.json", Results(Linux("lin1"), {{"lifecycle.a", Verdict::kPass}}));
  auto m = Merge({a, b, c});
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->hosts.size(), 2u);  // the conform and bench files of lin1 are one host
  ASSERT_EQ(m->bench.size(), 2u);
  EXPECT_EQ(m->bench[0].name, "create/ocirun");
  ASSERT_TRUE(m->bench[0].per_host[0] && m->bench[0].per_host[1]);
  EXPECT_DOUBLE_EQ(*m->bench[0].per_host[0]->ratio, 0.5);
  EXPECT_DOUBLE_EQ(*m->bench[0].per_host[1]->ratio, 1.5);
  EXPECT_NE(MergedMarkdown(*m).find("| `create/ocirun` | 5.00 ms (0.50x) | 30.00 ms (1.50x) |"), std::string::npos)
      << MergedMarkdown(*m);
  auto dup = Merge({a, Write("a2/bench.json", bench(Linux("lin1"), 6e6, 10e6))});
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("duplicate host: " + a), std::string::npos) << dup.status().message();
}

TEST_F(MergeTest, FoldersExpandToTheirResultsAndBadPathsAreNamed) {
  std::string a = Save("runs/h1/results.json", Results(Linux("h1"), {{"lifecycle.a", Verdict::kPass}}));
  std::string b = Save("runs/h2/results.json", Results(Linux("h2"), {{"lifecycle.a", Verdict::kPass}}));
  Write("runs/h2/summary.md", "ignored");
  auto paths = ExpandResultPaths({dir_ + "/runs"});
  ASSERT_TRUE(paths.ok()) << paths.status().message();
  // Compared in the platform's separators (a folder walk on Windows yields backslashes).
  auto preferred = [](std::vector<std::string> v) {
    for (std::string& p : v) p = std::filesystem::path(p).make_preferred().string();
    return v;
  };
  EXPECT_EQ(preferred(*paths), preferred({a, b}));
  auto missing = ExpandResultPaths({dir_ + "/nope"});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find(dir_ + "/nope"), std::string::npos);
  std::filesystem::create_directories(dir_ + "/empty");
  EXPECT_FALSE(ExpandResultPaths({dir_ + "/empty"}).ok());
  EXPECT_FALSE(MergeResults({}, {}).ok());
}

}  // namespace
}  // namespace reports
