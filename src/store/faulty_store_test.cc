#include "store/faulty_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "store/store_test_util.h"

namespace stepline::store {
namespace {

using namespace stepline::store::testing;

ExecutionCommit CreateCommit(const std::string& arn) {
  ExecutionCommit c;
  c.row = MakeRow(arn, "sm:A", 1);
  c.new_events = {MakeEvent(1)};
  c.add_timers = {MakeTimer(1, 10)};
  return c;
}

TEST(FaultyStore, EveryNthCommitFailsWithoutBeingApplied) {
  FaultPlan plan;
  plan.fail_every_nth_commit = 3;
  auto counters = plan.counters;
  auto s = WrapFaulty(NewMemoryStore(), plan);
  for (int i = 1; i <= 9; ++i) {
    Status st = s->Commit(CreateCommit("ex:" + std::to_string(i)));
    if (i % 3 == 0) {
      EXPECT_EQ(st.name(), kStoreError) << i;
      EXPECT_EQ(s->GetExecution("ex:" + std::to_string(i)).status().name(), kNotFound) << i;
    } else {
      EXPECT_TRUE(st.ok()) << i;
    }
  }
  EXPECT_EQ(counters->commits.load(), 9);
  EXPECT_EQ(counters->injected.load(), 3);
  EXPECT_EQ(s->DueTimers(100, 0)->size(), 6u);  // the failed commits' timers are absent too
}

TEST(FaultyStore, PredicateChoosesCommitsAndRetrySucceeds) {
  std::atomic<bool> disk_full{true};
  FaultPlan plan;
  plan.fail_commit_if = [&](const ExecutionCommit& c) { return disk_full && c.row.status == "SUCCEEDED"; };
  auto s = WrapFaulty(NewMemoryStore(), plan);
  ASSERT_TRUE(s->Commit(CreateCommit("ex:1")).ok());
  ExecutionCommit done;
  done.row = MakeRow("ex:1", "sm:A", 1, "SUCCEEDED");
  done.expected_version = 1;
  done.new_events = {MakeEvent(2)};
  EXPECT_EQ(s->Commit(done).name(), kStoreError);
  EXPECT_EQ(s->GetExecution("ex:1")->status, "RUNNING");
  EXPECT_EQ(s->GetExecution("ex:1")->version, 1);
  disk_full = false;
  EXPECT_TRUE(s->Commit(done).ok());  // the same commit, retried, lands once
  EXPECT_EQ(s->GetExecution("ex:1")->version, 2);
}

TEST(FaultyStore, FailsChosenOperations) {
  FaultPlan plan;
  plan.fail_op_if = [](const std::string& op) { return op == "GetExecution" || op == "ClaimActivityTask"; };
  auto s = WrapFaulty(NewMemoryStore(), plan);
  ASSERT_TRUE(s->Commit(CreateCommit("ex:1")).ok());
  EXPECT_EQ(s->GetExecution("ex:1").status().name(), kStoreError);
  EXPECT_EQ(s->ClaimActivityTask("act:X").status().name(), kStoreError);
  EXPECT_TRUE(s->ReadHistory("ex:1", 0, 0, false).ok());
  EXPECT_EQ(s->ListExecutions({"sm:A", "", "", ""}, "", 0)->items.size(), 1u);
  EXPECT_EQ(plan.counters->injected.load(), 2);
}

TEST(FaultyStore, FailAfterApplyLeavesTheCommitInPlace) {
  FaultPlan plan;
  plan.fail_every_nth_commit = 2;
  plan.fail_after_apply = true;
  auto s = WrapFaulty(NewMemoryStore(), plan);
  ASSERT_TRUE(s->Commit(CreateCommit("ex:1")).ok());
  ExecutionCommit step;
  step.row = MakeRow("ex:1", "sm:A", 1);
  step.expected_version = 1;
  step.new_events = {MakeEvent(2)};
  EXPECT_EQ(s->Commit(step).name(), kStoreError);  // reported failed...
  EXPECT_EQ(s->GetExecution("ex:1")->version, 2);  // ...but applied
  EXPECT_EQ(s->Commit(step).name(), kConflict);    // so a blind retry conflicts
}

TEST(FaultyStore, CommitAsyncHonoursThePlan) {
  FaultPlan plan;
  plan.fail_every_nth_commit = 2;
  auto s = WrapFaulty(NewMemoryStore(), plan);
  std::promise<Status> first, second;
  s->CommitAsync(CreateCommit("ex:1"), [&](Status st) { first.set_value(st); });
  s->CommitAsync(CreateCommit("ex:2"), [&](Status st) { second.set_value(st); });
  EXPECT_TRUE(first.get_future().get().ok());
  EXPECT_EQ(second.get_future().get().name(), kStoreError);
  EXPECT_TRUE(s->GetExecution("ex:1").ok());
  EXPECT_EQ(s->GetExecution("ex:2").status().name(), kNotFound);
}

}  // namespace
}  // namespace stepline::store
