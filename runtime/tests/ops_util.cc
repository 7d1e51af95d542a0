#include "runtime/tests/ops_util.h"

#include <unistd.h>

#include <filesystem>

namespace ocirun::it {

std::string OpsFixture::OpsId(const std::string& what) {
  std::string id = "oct-ops-" + rt_.name + "-" + what + "-" + std::to_string(::getpid());
  ids_.push_back(id);
  return id;
}

nlohmann::json OpsFixture::OpsConfig(const std::string& id, const std::vector<std::string>& args) {
  nlohmann::json c = BaseConfig(id, args);
  c["linux"]["cgroupsPath"] = "/" + id;  // ids already start with oct-ops-
  return c;
}

base::SubprocessResult OpsFixture::RtDetached(const std::vector<std::string>& args) {
  static int n = 0;
  std::string out = tmp_ + "/rt-" + std::to_string(++n) + ".out";
  std::string err = tmp_ + "/rt-" + std::to_string(n) + ".err";
  base::SubprocessOptions o;
  o.argv = {rt_.binary, "--root", rt_.root};
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  o.capture_stdout = false;
  o.capture_stderr = false;
  o.stdout_file = out;
  o.stderr_file = err;
  o.timeout = std::chrono::seconds(60);
  auto r = base::RunSubprocess(o);
  base::SubprocessResult result;
  if (r.ok()) result = *r;
  else result.err = r.status().ToString();
  result.out = Slurp(out);
  result.err += Slurp(err);
  return result;
}

std::string OpsFixture::Up(const std::string& id, const nlohmann::json& config, bool start) {
  std::string bundle = WriteBundle(tmp_ + "/" + id, config);
  auto created = RtDetached({"create", "--bundle", bundle, id});
  EXPECT_TRUE(created.success()) << rt_.name << " create: " << created.err;
  if (start && created.success()) {
    auto started = Rt(rt_, {"start", id});
    EXPECT_TRUE(started.success()) << rt_.name << " start: " << started.err;
  }
  return bundle;
}

std::string OpsFixture::StatusOf(const std::string& id) {
  nlohmann::json s = StateOf(rt_, id);
  return s.is_object() ? s.value("status", "") : "";
}

int OpsFixture::PidOf(const std::string& id) {
  nlohmann::json s = StateOf(rt_, id);
  return s.is_object() ? s.value("pid", 0) : 0;
}

::testing::AssertionResult OpsFixture::FailsWith(const base::SubprocessResult& r,
                                                 const std::string& message) {
  if (r.exit_code != 1)
    return ::testing::AssertionFailure() << "exit code " << r.exit_code << " (want 1), stderr: " << r.err;
  if (r.err.find(message) == std::string::npos)
    return ::testing::AssertionFailure() << "stderr lacks \"" << message << "\": " << r.err;
  return ::testing::AssertionSuccess();
}

std::string OpsFixture::CgroupDir(const std::string& ctrl, const std::string& id) {
  std::string v1 = "/sys/fs/cgroup/" + ctrl + "/" + id;
  if (std::filesystem::exists(v1)) return v1;
  return "/sys/fs/cgroup/" + id;
}

}  // namespace ocirun::it
