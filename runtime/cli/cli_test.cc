// The command line of the built ocirun binary, without root: parsing, errors and their records.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/subprocess.h"

namespace {

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("oct-rt-cli-" + std::to_string(::getpid()));
    std::filesystem::remove_all(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  base::SubprocessResult Run(std::vector<std::string> args) {
    base::SubprocessOptions o;
    o.argv = {OCIRUN_BINARY, "--root", root_.string()};
    o.argv.insert(o.argv.end(), args.begin(), args.end());
    auto r = base::RunSubprocess(o);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : base::SubprocessResult{};
  }

  std::filesystem::path root_;
};

TEST_F(Cli, Version) {
  base::SubprocessOptions o;
  o.argv = {OCIRUN_BINARY, "--version"};
  auto r = base::RunSubprocess(o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->out.rfind("ocirun version ", 0), 0u) << r->out;
}

TEST_F(Cli, ListOfAnEmptyRoot) {
  EXPECT_EQ(Run({"list", "-f", "json"}).out, "null\n");
  auto table = Run({"list"});
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_EQ(table.out, "ID          PID         STATUS      BUNDLE      CREATED     OWNER\n");
  EXPECT_EQ(Run({"list", "-q"}).out, "");
  EXPECT_EQ(Run({"list", "--format", "yaml"}).exit_code, 1);
}

TEST_F(Cli, MissingContainerAndForceDelete) {
  auto state = Run({"state", "nope"});
  EXPECT_EQ(state.exit_code, 1);
  EXPECT_NE(state.err.find("level=error msg=\"container does not exist\""), std::string::npos) << state.err;
  EXPECT_EQ(Run({"delete", "--force", "nope"}).exit_code, 0);
  EXPECT_EQ(Run({"delete", "nope", "-f"}).exit_code, 0);  // flags may follow the id
  EXPECT_EQ(Run({"delete", "nope"}).exit_code, 1);
}

TEST_F(Cli, JsonLogRecordsForContainerd) {
  std::string log = (root_.string() + "-log.json");
  auto r = Run({"--log", log, "--log-format", "json", "kill", "nope", "9"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "container does not exist\n");
  std::ifstream in(log);
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  nlohmann::json rec = nlohmann::json::parse(line);
  EXPECT_EQ(rec["level"], "error");
  EXPECT_EQ(rec["msg"], "container does not exist");
  EXPECT_TRUE(rec.contains("time"));
  std::filesystem::remove(log);
}

TEST_F(Cli, BadArguments) {
  EXPECT_EQ(Run({}).exit_code, 1);                          // no command
  EXPECT_EQ(Run({"frobnicate"}).exit_code, 1);              // unknown command
  EXPECT_EQ(Run({"create"}).exit_code, 1);                  // id required
  auto badsig = Run({"kill", "c1", "SIGNOPE"});
  EXPECT_EQ(badsig.exit_code, 1);
  EXPECT_NE(badsig.err.find("unknown signal \\\"SIGNOPE\\\""), std::string::npos) << badsig.err;
  auto badid = Run({"state", "../etc"});
  EXPECT_EQ(badid.exit_code, 1);
  EXPECT_NE(badid.err.find("invalid container id format"), std::string::npos) << badid.err;
  EXPECT_EQ(Run({"--log-format", "xml", "list"}).exit_code, 1);
  auto exec = Run({"exec"});
  EXPECT_EQ(exec.exit_code, 1);
  EXPECT_FALSE(std::filesystem::exists(root_ / ".." / "etc" / "lock"));
}

// The argv hcsshim's pkg/go-runhcs builds for each call (runhcs.go args(), runhcs_<verb>.go), with
// every global it can add, parsed by ocirun: each reaches its command with the id in the right place
// (a missing container; a bundle without config.json), never a usage error. The same argv run
// against the fake HCS under wine in scripts/test-stages/15-windows-e2e.sh (step 6).
TEST_F(Cli, GoRunhcsArgv) {
  const std::string log = root_.string() + "-runhcs.log";
  const std::string bundle = root_.string() + "-bundle";
  std::filesystem::create_directories(bundle);
  const std::vector<std::string> globals = {"--debug", "--log", log, "--log-format", "json", "--owner", "containerd-shim"};
  struct Row {
    std::vector<std::string> argv;
    int exit_code;
    std::string message;  // the error record's msg; "" for a success
  };
  const Row rows[] = {
      {{"create", "--bundle", bundle, "--pid-file", bundle + "/p", "--shim-log", bundle + "/s", "--vm-log",
        bundle + "/v", "--vm-console", "\\\\.\\pipe\\c", "c1"},
       1, "JSON specification file config.json not found"},
      {{"create", "--bundle", bundle, "--host", "h1", "c1"}, 1, "JSON specification file config.json not found"},
      {{"start", "c1"}, 1, "container does not exist"},
      {{"exec", "--process", bundle + "/p.json", "--detach", "--pid-file", bundle + "/p", "--shim-log", bundle + "/s", "c1"},
       1, "container does not exist"},
      {{"kill", "c1", "KILL"}, 1, "container does not exist"},
      {{"delete", "--force", "c1"}, 0, ""},
      {{"ps", "--format=json", "c1"}, 1, "container does not exist"},
      {{"resize-tty", "--pid", "7", "c1", "80", "24"}, 1, "container does not exist"},
      {{"pause", "c1"}, 1, "container does not exist"},
      {{"resume", "c1"}, 1, "container does not exist"},
      {{"state", "c1"}, 1, "container does not exist"},
  };
  for (const Row& row : rows) {
    std::filesystem::remove(log);
    std::vector<std::string> argv = globals;
    argv.insert(argv.end(), row.argv.begin(), row.argv.end());
    auto r = Run(argv);
    const std::string what = ::testing::PrintToString(row.argv);
    EXPECT_EQ(r.exit_code, row.exit_code) << what << "\n" << r.err;
    std::ifstream in(log);
    std::string line;
    if (row.message.empty()) {
      EXPECT_FALSE(std::getline(in, line)) << what << ": " << line;
      continue;
    }
    ASSERT_TRUE(std::getline(in, line)) << what << ": no error record; stderr: " << r.err;
    EXPECT_EQ(nlohmann::json::parse(line, nullptr, false).value("msg", line), row.message) << what;
  }
  auto list = Run({"--debug", "--owner", "o", "list", "--format=json"});
  EXPECT_EQ(list.exit_code, 0);
  std::erase(list.out, '\r');  // Windows text mode
  EXPECT_EQ(list.out, "null\n");
  // runhcs's create flags are create's, not global ones.
  EXPECT_EQ(Run({"--host", "h1", "list"}).exit_code, 1);
  std::filesystem::remove(log);
  std::filesystem::remove_all(bundle);
}

TEST_F(Cli, IdStartingWithDashIsNamedAndAcceptedAfterDoubleDash) {
  auto r = Run({"state", "-abc"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("\\\"-abc\\\" was read as a flag; an id that starts with '-' goes after"), std::string::npos)
      << r.err;
  auto after = Run({"state", "--", "-abc"});  // parsed as the id: the container is simply missing
  EXPECT_EQ(after.exit_code, 1);
  EXPECT_NE(after.err.find("container does not exist"), std::string::npos) << after.err;
  EXPECT_EQ(Run({"delete", "--force", "--", "-abc"}).exit_code, 0);
}

TEST_F(Cli, LongIdsUpToAFileNameAndAClearLimitBeyond) {
  EXPECT_EQ(Run({"delete", "--force", std::string(255, 'a')}).exit_code, 0);
  auto r = Run({"state", std::string(256, 'a')});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("256 characters long, at most 255 are allowed"), std::string::npos) << r.err;
}

TEST_F(Cli, FeaturesIsJson) {
  auto r = Run({"features"});
  ASSERT_EQ(r.exit_code, 0);
  nlohmann::json f = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_TRUE(f.is_object()) << r.out;
  EXPECT_EQ(f["ociVersionMin"], "1.0.0");
  EXPECT_TRUE(f["linux"]["namespaces"].is_array());
  EXPECT_NE(f["mountOptions"].dump().find("rbind"), std::string::npos);
}

}  // namespace
