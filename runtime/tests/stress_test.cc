// Privileged, slow-ish: 50 lifecycles (create, start, state, kill, delete) on different ids, run
// concurrently; afterwards no state, cgroup or process of theirs is left.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "runtime/tests/it_util.h"

namespace ocirun::it {
namespace {

class Stress : public RuntimeFixture {};

// One full lifecycle; "" on success, else what went wrong.
std::string Lifecycle(const RuntimeBinary& rt, const std::string& bundle, const std::string& id, int& pid) {
  auto c = Rt(rt, {"create", "-b", bundle, id});
  if (!c.success()) return "create: " + c.err;
  nlohmann::json s = StateOf(rt, id);
  if (!s.is_object() || s["status"] != "created") return "state after create: " + s.dump();
  pid = s["pid"].get<int>();
  if (auto r = Rt(rt, {"start", id}); !r.success()) return "start: " + r.err;
  s = StateOf(rt, id);
  if (!s.is_object() || s["status"] != "running") return "state after start: " + s.dump();
  if (auto r = Rt(rt, {"kill", id, "KILL"}); !r.success()) return "kill: " + r.err;
  if (!WaitStatus(rt, id, "stopped", 20000)) return "never stopped";
  if (auto r = Rt(rt, {"delete", id}); !r.success()) return "delete: " + r.err;
  return "";
}

TEST_P(Stress, FiftyConcurrentLifecyclesLeaveNothingBehind) {
  constexpr int kContainers = 50, kThreads = 10;
  std::vector<std::string> ids, bundles;
  for (int i = 0; i < kContainers; ++i) {
    ids.push_back(Id("s" + std::to_string(i)));
    bundles.push_back(WriteBundle(tmp_ + "/" + ids.back(), BaseConfig(ids.back(), {"sleep", "1000"})));
  }
  std::vector<std::string> errors(kContainers);
  std::vector<int> pids(kContainers, 0);
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = next++; i < kContainers; i = next++) errors[i] = Lifecycle(rt_, bundles[i], ids[i], pids[i]);
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kContainers; ++i) EXPECT_EQ(errors[i], "") << ids[i];
  for (const auto& id : ids) {
    EXPECT_FALSE(std::filesystem::exists(rt_.root + "/" + id)) << id;
    EXPECT_FALSE(CgroupExists("oct-rt-" + id)) << id;
  }
  auto list = Rt(rt_, {"list", "-q"});
  EXPECT_EQ(list.out, "");
  // No init of these containers is left running.
  for (int i = 0; i < kContainers; ++i) EXPECT_TRUE(pids[i] == 0 || !Alive(pids[i])) << ids[i];
}

OCIRUN_INSTANTIATE_FOR_RUNTIMES(Stress);

}  // namespace
}  // namespace ocirun::it
