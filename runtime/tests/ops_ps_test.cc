// Privileged: `ps` (json: the pids of the container's cgroup; table: ps columns for them), alike
// on ocirun and runc.
#include <algorithm>
#include <thread>

#include <gtest/gtest.h>

#include "base/subprocess.h"
#include "runtime/tests/ops_util.h"

namespace ocirun::it {
namespace {

class OpsPs : public OpsFixture {};

std::vector<int> JsonPids(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_null()) return {};  // runc prints null for an empty set
  std::vector<int> out;
  for (const auto& v : j) out.push_back(v.get<int>());
  std::sort(out.begin(), out.end());
  return out;
}

TEST_P(OpsPs, JsonListsEveryProcessOfTheCgroup) {
  std::string id = OpsId("ps");
  Up(id, OpsConfig(id, {"sh", "-c", "sleep 1000 & sleep 1000 & wait"}));
  int init = PidOf(id);
  std::vector<int> pids;
  for (int i = 0; i < 100 && pids.size() < 3; ++i) {
    auto r = Rt(rt_, {"ps", "--format", "json", id});
    ASSERT_TRUE(r.success()) << r.err;
    pids = JsonPids(r.out);
    if (pids.size() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(pids.size(), 3u);
  EXPECT_NE(std::find(pids.begin(), pids.end(), init), pids.end());
  // Each pid really is in the container's cgroup.
  std::string procs = Slurp(CgroupDir("pids", id) + "/cgroup.procs");
  for (int pid : pids) EXPECT_NE(procs.find(std::to_string(pid)), std::string::npos) << pid;
  EXPECT_EQ(JsonPids(Rt(rt_, {"ps", "-f", "json", id}).out), pids);
}

TEST_P(OpsPs, TableHasPsColumnsForTheContainersProcesses) {
  std::string id = OpsId("pstable");
  Up(id, OpsConfig(id, {"sleep", "1000"}));
  auto r = Rt(rt_, {"ps", id});
  ASSERT_TRUE(r.success()) << r.err;
  std::string header = r.out.substr(0, r.out.find('\n'));
  for (const char* col : {"UID", "PID", "PPID", "CMD"})
    EXPECT_NE(header.find(col), std::string::npos) << header;
  EXPECT_NE(r.out.find(" " + std::to_string(PidOf(id)) + " "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sleep 1000"), std::string::npos) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2) << r.out;  // header + one process
  // The columns and widths of the host's `ps -ef` (ocirun reads /proc itself; runc runs ps -ef).
  base::SubprocessOptions o;
  o.argv = {"ps", "-ef"};
  auto host = base::RunSubprocess(o);
  ASSERT_TRUE(host.ok() && host->success());
  EXPECT_EQ(header, host->out.substr(0, host->out.find('\n')));
  std::string row = r.out.substr(r.out.find('\n') + 1);
  EXPECT_EQ(row.substr(0, 5), "root ") << row;
  EXPECT_NE(row.find(" ?        "), std::string::npos) << "TTY ? for a container without a terminal: " << row;
}

TEST_P(OpsPs, StoppedAndMissing) {
  std::string id = OpsId("psstop");
  Up(id, OpsConfig(id, {"true"}));
  ASSERT_TRUE(WaitStatus(rt_, id, "stopped"));
  auto r = Rt(rt_, {"ps", "-f", "json", id});
  ASSERT_TRUE(r.success()) << r.err;
  EXPECT_EQ(r.out, "null\n");  // runc 1.1.5 encodes its empty (nil) pid slice
  auto table = Rt(rt_, {"ps", id});
  ASSERT_TRUE(table.success()) << table.err;
  EXPECT_EQ(std::count(table.out.begin(), table.out.end(), '\n'), 1) << table.out;  // the header only
  EXPECT_NE(table.out.find("PID"), std::string::npos) << table.out;
  EXPECT_TRUE(FailsWith(Rt(rt_, {"ps", "oct-ops-missing"}), "container does not exist"));
  auto bad = Rt(rt_, {"ps", "-f", "yaml", id});
  EXPECT_NE(bad.exit_code, 0);
}

OCIRUN_INSTANTIATE_FOR_RUNTIMES(OpsPs);

}  // namespace
}  // namespace ocirun::it
