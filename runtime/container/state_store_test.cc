#include "runtime/container/state_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "base/file.h"
#include "runtime/container/config.h"

namespace ocirun {
namespace {

class StateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("oct-rt-store-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  StateFacts Facts(const std::string& id) {
    StateFacts f;
    f.oci_version = "1.0.2";
    f.id = id;
    f.bundle = "/b";
    f.rootfs = "/b/rootfs";
    f.pid = 42;
    f.pid_start_time = 12345;
    f.created = NowRfc3339Nano();
    f.annotations = {{"k", "v"}};
    f.cgroup_path = "{\"layout\":\"v1\"}";
    f.exec_gate = root_.string() + "/" + id + "/exec.fifo";
    f.backend = {{"namespaces", {"pid", "mount"}}};
    return f;
  }

  std::filesystem::path root_;
};

TEST_F(StateStoreTest, SaveLoadRoundTrip) {
  StateStore store(root_.string());
  auto lock = store.Reserve("c1");
  ASSERT_TRUE(lock.ok()) << lock.status().ToString();
  StateFacts f = Facts("c1");
  ASSERT_TRUE(store.Save(f).ok());
  auto loaded = store.Load("c1");
  ASSERT_TRUE(loaded.ok());
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ(FactsToJson(**loaded), FactsToJson(f));
}

TEST_F(StateStoreTest, AnnotationsLiveApartFromTheStateFile) {
  StateStore store(root_.string());
  auto lock = store.Reserve("c1");
  ASSERT_TRUE(lock.ok()) << lock.status().ToString();
  StateFacts f = Facts("c1");
  ASSERT_TRUE(store.Save(f).ok());
  auto state = base::ReadFile(store.StatePath("c1"));
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->find("annotations"), std::string::npos) << *state;
  ASSERT_TRUE(store.SaveAnnotations("c1", nlohmann::json{{"k", "v"}, {"org.x", "y"}}).ok());
  auto a = store.LoadAnnotations("c1");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(*a, (std::map<std::string, std::string>{{"k", "v"}, {"org.x", "y"}}));
  auto text = ReadAnnotationsText(store.Dir("c1"));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(nlohmann::json::parse(*text), (nlohmann::json{{"k", "v"}, {"org.x", "y"}}));
}

TEST_F(StateStoreTest, NoAnnotationsMeansNoFileAndAnEmptyMap) {
  StateStore store(root_.string());
  auto lock = store.Reserve("c1");
  ASSERT_TRUE(lock.ok());
  ASSERT_TRUE(store.SaveAnnotations("c1", nlohmann::json::object()).ok());
  EXPECT_FALSE(std::filesystem::exists(store.AnnotationsPath("c1")));
  auto a = store.LoadAnnotations("c1");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->empty());
}

TEST_F(StateStoreTest, CorruptAnnotationsAreAnErrorNamingTheFile) {
  StateStore store(root_.string());
  auto lock = store.Reserve("c1");
  ASSERT_TRUE(lock.ok());
  ASSERT_TRUE(base::WriteFile(store.AnnotationsPath("c1"), "{\"k\": ").ok());
  auto a = store.LoadAnnotations("c1");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("annotations.json"), std::string::npos) << a.status().ToString();
}

TEST_F(StateStoreTest, AStateFileWrittenBeforeTheSplitKeepsItsAnnotations) {
  StateStore store(root_.string());
  auto lock = store.Reserve("c1");
  ASSERT_TRUE(lock.ok());
  nlohmann::json old = FactsToJson(Facts("c1"));
  old["annotations"] = {{"k", "v"}};
  ASSERT_TRUE(base::WriteFile(store.StatePath("c1"), old.dump()).ok());
  auto loaded = store.Load("c1");
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  EXPECT_EQ((*loaded)->annotations, (std::map<std::string, std::string>{{"k", "v"}}));
}

TEST_F(StateStoreTest, ReserveTwiceFailsWithRuncMessage) {
  StateStore store(root_.string());
  auto first = store.Reserve("c1");
  ASSERT_TRUE(first.ok());
  auto second = store.Reserve("c1");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), base::Code::kAlreadyExists);
  EXPECT_EQ(second.status().message(), "container with id exists: c1");
}

TEST_F(StateStoreTest, ConcurrentReserveExactlyOneWins) {
  StateStore store(root_.string());
  std::atomic<int> wins{0}, exists{0};
  std::vector<std::thread> threads;
  std::vector<std::unique_ptr<platform::FileLock>> held(16);
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      auto r = store.Reserve("same");
      if (r.ok()) {
        ++wins;
        held[i] = std::move(*r);
      } else if (r.status().code() == base::Code::kAlreadyExists) {
        ++exists;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(exists.load(), 15);
  // No temporary folders are left behind by the losers.
  auto ids = store.List();
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, std::vector<std::string>{"same"});
  int entries = 0;
  for (auto& e : std::filesystem::directory_iterator(root_)) entries += e.path().filename().string().size() > 0;
  EXPECT_EQ(entries, 1);
}

TEST_F(StateStoreTest, MissingContainer) {
  StateStore store(root_.string());
  auto lock = store.Lock("nope");
  ASSERT_FALSE(lock.ok());
  EXPECT_EQ(lock.status().message(), "container does not exist");
  auto load = store.Load("nope");
  ASSERT_FALSE(load.ok());
  EXPECT_EQ(load.status().code(), base::Code::kNotFound);
}

TEST_F(StateStoreTest, BadIdsNeverTouchTheDisk) {
  StateStore store(root_.string());
  for (const char* id : {"..", "../x", "a/b", "."}) {
    EXPECT_EQ(store.Reserve(id).status().code(), base::Code::kInvalidArgument) << id;
    EXPECT_EQ(store.Load(id).status().code(), base::Code::kInvalidArgument) << id;
    EXPECT_EQ(store.Remove(id).code(), base::Code::kInvalidArgument) << id;
  }
  EXPECT_FALSE(std::filesystem::exists(root_ / ".." / "x" / "lock"));
}

// A create that crashed after reserving the id but before writing the state: the folder exists
// without state.json. It loads as "no facts" (status stopped), and delete can remove it.
TEST_F(StateStoreTest, CrashBeforeStateWrite) {
  StateStore store(root_.string());
  { ASSERT_TRUE(store.Reserve("c1").ok()); }  // lock released: the creator is gone
  auto loaded = store.Load("c1");
  ASSERT_TRUE(loaded.ok());
  EXPECT_FALSE(loaded->has_value());
  EXPECT_FALSE(store.LockedByOther("c1"));
  ASSERT_TRUE(store.Remove("c1").ok());
  EXPECT_EQ(store.Load("c1").status().code(), base::Code::kNotFound);
}

// A crash between writing the temporary file and renaming it: the old facts stay readable and the
// leftover temporary file is ignored.
TEST_F(StateStoreTest, CrashBetweenTempWriteAndRename) {
  StateStore store(root_.string());
  auto lock = store.Reserve("c1");
  ASSERT_TRUE(lock.ok());
  StateFacts f = Facts("c1");
  ASSERT_TRUE(store.Save(f).ok());
  ASSERT_TRUE(base::WriteFile(store.Dir("c1") + "/.state.json.tmp-99999", "{\"trunc").ok());
  auto loaded = store.Load("c1");
  ASSERT_TRUE(loaded.ok());
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ((*loaded)->pid, 42);
}

TEST_F(StateStoreTest, CorruptStateIsAnErrorNotACrash) {
  StateStore store(root_.string());
  auto lock = store.Reserve("c1");
  ASSERT_TRUE(lock.ok());
  ASSERT_TRUE(base::WriteFile(store.StatePath("c1"), "{not json").ok());
  auto loaded = store.Load("c1");
  EXPECT_FALSE(loaded.ok());
  ASSERT_TRUE(base::WriteFile(store.StatePath("c1"), "{\"id\":1}").ok());
  EXPECT_FALSE(store.Load("c1").ok());
}

TEST_F(StateStoreTest, LockedByOtherSeesAHolder) {
  StateStore store(root_.string());
  auto lock = store.Reserve("c1");
  ASSERT_TRUE(lock.ok());
  // flock locks belong to the open file description: our own probe on a new fd conflicts too.
  EXPECT_TRUE(store.LockedByOther("c1"));
  lock->reset();
  EXPECT_FALSE(store.LockedByOther("c1"));
}

TEST_F(StateStoreTest, ListSkipsTemporaryFolders) {
  StateStore store(root_.string());
  ASSERT_TRUE(store.Reserve("b").ok());
  ASSERT_TRUE(store.Reserve("a").ok());
  std::filesystem::create_directories(root_ / ".new-c-1-1");
  auto ids = store.List();
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, (std::vector<std::string>{"a", "b"}));
}

TEST_F(StateStoreTest, TheLongestIdIsReservedAndRemovedWithShortTempNames) {
  StateStore store(root_.string());
  const std::string id(255, 'x');  // a temp name embedding it would pass NAME_MAX
  auto lock = store.Reserve(id);
  ASSERT_TRUE(lock.ok()) << lock.status().ToString();
  EXPECT_TRUE(std::filesystem::exists(store.LockPath(id)));
  ASSERT_TRUE(store.Remove(id).ok());
  lock->reset();  // Windows removes the folder of a delete-pending lock file when the lock closes
  EXPECT_TRUE(std::filesystem::is_empty(root_));
}

TEST_F(StateStoreTest, IntentIsLoadedWhereNoStateWasWritten) {
  StateStore store(root_.string());
  auto lock = store.Reserve("c1");
  ASSERT_TRUE(lock.ok());
  auto none = store.LoadIntent("c1");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  StateFacts f = Facts("c1");
  ASSERT_TRUE(store.SaveIntent(f).ok());
  auto intent = store.LoadIntent("c1");
  ASSERT_TRUE(intent.ok());
  ASSERT_TRUE(intent->has_value());
  EXPECT_EQ((*intent)->cgroup_path, f.cgroup_path);
  EXPECT_EQ((*intent)->pid_start_time, f.pid_start_time);
  StateFacts early = Facts("c1");
  early.backend = nullptr;  // recorded before the backend filled in its facts
  ASSERT_TRUE(store.SaveIntent(early).ok());
  auto reread = store.LoadIntent("c1");
  ASSERT_TRUE(reread.ok() && reread->has_value());
  EXPECT_TRUE((*reread)->backend.is_object());
  auto state = store.Load("c1");  // the intent is not the state: create has not finished
  ASSERT_TRUE(state.ok());
  EXPECT_FALSE(state->has_value());
}

TEST_F(StateStoreTest, SweepRemovesOnlyDeadLeftoversOfThatId) {
  StateStore store(root_.string());
  std::filesystem::create_directories(root_);
  const std::string key = IdKey("c1");
  EXPECT_EQ(key.size(), 16u);
  EXPECT_NE(key, IdKey("c2"));
  for (const std::string& n : {".new-" + key + "-1-1", ".del-" + key + "-1-2", ".new-" + IdKey("c2") + "-1-3",
                               ".new-" + key + "-1-4"}) {
    std::filesystem::create_directories(root_ / n);
    ASSERT_TRUE(base::WriteFile((root_ / n / "lock").string(), "").ok());
  }
  // A reserve in progress holds the lock of its .new folder: not a leftover.
  auto held = platform::LockFile((root_ / (".new-" + key + "-1-4") / "lock").string());
  ASSERT_TRUE(held.ok());
  ASSERT_TRUE(store.Sweep("c1").ok());
  EXPECT_FALSE(std::filesystem::exists(root_ / (".new-" + key + "-1-1")));
  EXPECT_FALSE(std::filesystem::exists(root_ / (".del-" + key + "-1-2")));
  EXPECT_TRUE(std::filesystem::exists(root_ / (".new-" + IdKey("c2") + "-1-3")));
  EXPECT_TRUE(std::filesystem::exists(root_ / (".new-" + key + "-1-4")));
}

TEST_F(StateStoreTest, RemoveLeavesNoFolderOfTheId) {
  StateStore store(root_.string());
  auto lock = store.Reserve("c1");
  ASSERT_TRUE(lock.ok());
  ASSERT_TRUE(store.Save(Facts("c1")).ok());
  ASSERT_TRUE(store.Remove("c1").ok());
  lock->reset();  // Windows removes the folder of a delete-pending lock file when the lock closes
  EXPECT_TRUE(std::filesystem::is_empty(root_));
  EXPECT_TRUE(store.Remove("c1").ok());  // already gone
}

}  // namespace
}  // namespace ocirun
