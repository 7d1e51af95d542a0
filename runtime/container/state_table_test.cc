#include "runtime/container/state_table.h"

#include <gtest/gtest.h>

namespace ocirun {
namespace {

using S = ContainerStatus;
using O = Operation;

std::string Error(S s, O o) { return CheckOperation(s, o, "c1").message(); }

TEST(StateTable, StartOnlyFromCreated) {
  EXPECT_TRUE(CheckOperation(S::kCreated, O::kStart, "c1").ok());
  EXPECT_EQ(Error(S::kStopped, O::kStart), "cannot start a container that has stopped");
  EXPECT_EQ(Error(S::kRunning, O::kStart), "cannot start an already running container");
  EXPECT_EQ(Error(S::kPaused, O::kStart), "cannot start a container in the paused state");
  EXPECT_EQ(CheckOperation(S::kStopped, O::kStart, "c1").code(), base::Code::kFailedPrecondition);
}

TEST(StateTable, DeleteNeedsStoppedOrCreated) {
  EXPECT_TRUE(CheckOperation(S::kStopped, O::kDelete, "c1").ok());
  EXPECT_TRUE(CheckOperation(S::kCreated, O::kDelete, "c1").ok());
  EXPECT_EQ(Error(S::kRunning, O::kDelete), "cannot delete container c1 that is not stopped: running");
  EXPECT_EQ(Error(S::kPaused, O::kDelete), "cannot delete container c1 that is not stopped: paused");
  for (S s : {S::kCreating, S::kCreated, S::kRunning, S::kPaused, S::kStopped}) {
    EXPECT_TRUE(CheckOperation(s, O::kForceDelete, "c1").ok()) << StatusName(s);
  }
  EXPECT_TRUE(DeleteNeedsKill(S::kCreated));
  EXPECT_FALSE(DeleteNeedsKill(S::kStopped));
}

TEST(StateTable, KillNeedsALiveContainer) {
  EXPECT_TRUE(CheckOperation(S::kCreated, O::kKill, "c1").ok());
  EXPECT_TRUE(CheckOperation(S::kRunning, O::kKill, "c1").ok());
  EXPECT_TRUE(CheckOperation(S::kPaused, O::kKill, "c1").ok());
  EXPECT_EQ(Error(S::kStopped, O::kKill), "container not running");
}

TEST(StateTable, PauseResume) {
  EXPECT_TRUE(CheckOperation(S::kRunning, O::kPause, "c1").ok());
  EXPECT_TRUE(CheckOperation(S::kCreated, O::kPause, "c1").ok());
  EXPECT_EQ(Error(S::kStopped, O::kPause), "container not running");
  EXPECT_TRUE(CheckOperation(S::kPaused, O::kResume, "c1").ok());
  EXPECT_EQ(Error(S::kRunning, O::kResume), "container not paused");
}

TEST(StateTable, Exec) {
  EXPECT_TRUE(CheckOperation(S::kRunning, O::kExec, "c1").ok());
  EXPECT_TRUE(CheckOperation(S::kCreated, O::kExec, "c1").ok());
  EXPECT_EQ(Error(S::kStopped, O::kExec), "cannot exec in a stopped container");
  EXPECT_EQ(Error(S::kPaused, O::kExec), "cannot exec in a paused container (use --ignore-paused to override)");
}

TEST(StateTable, StateAlwaysAllowed) {
  for (S s : {S::kCreating, S::kCreated, S::kRunning, S::kPaused, S::kStopped}) {
    EXPECT_TRUE(CheckOperation(s, O::kState, "c1").ok());
  }
}

TEST(Status, DerivedFromFacts) {
  Observation o;
  EXPECT_EQ(DeriveStatus(o), S::kStopped);  // a crashed create: no state file, nobody holds the lock
  o.creator_alive = true;
  EXPECT_EQ(DeriveStatus(o), S::kCreating);
  // A killed create whose recorded init (or cgroup) still has a live process is not stopped.
  o = Observation{.unfinished_alive = true};
  EXPECT_EQ(DeriveStatus(o), S::kCreating);
  o = Observation{.has_state = true};
  EXPECT_EQ(DeriveStatus(o), S::kStopped);
  o.init_alive = true;
  o.gate_present = true;
  EXPECT_EQ(DeriveStatus(o), S::kCreated);
  o.gate_present = false;
  EXPECT_EQ(DeriveStatus(o), S::kRunning);
  o.frozen = true;
  EXPECT_EQ(DeriveStatus(o), S::kPaused);
  o.init_alive = false;  // a dead init wins over a frozen cgroup or a leftover gate
  o.gate_present = true;
  EXPECT_EQ(DeriveStatus(o), S::kStopped);
}

}  // namespace
}  // namespace ocirun
