// The one store suite (DESIGN: one persistence suite for every backend). Each
// TEST_P runs against every backend in kBackends; backends that persist are
// also reopened to prove the data survives.

#include <gtest/gtest.h>

#include <algorithm>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <future>
#include <set>
#include <thread>

#include "store/faulty_store.h"
#include "store/store.h"
#include "store/store_test_util.h"

namespace stepline::store {
namespace {

using namespace stepline::store::testing;
using history::EventType;

struct Backend {
  std::string name;
  std::function<std::unique_ptr<Store>(const std::string& dir)> open;
  bool durable;  // data survives closing and reopening `dir`
};

// Names the backend in failure messages instead of a byte dump.
void PrintTo(const Backend& b, std::ostream* os) { *os << b.name; }

std::unique_ptr<Store> OpenSqlite(const std::string& dir) {
  auto s = OpenSqliteStore({dir + "/stepline.db", true});
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s).value() : nullptr;
}

std::unique_ptr<Store> OpenSqliteNoFsync(const std::string& dir) {
  auto s = OpenSqliteStore({dir + "/stepline.db", false});
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s).value() : nullptr;
}

const Backend kBackends[] = {
    {"memory", [](const std::string&) { return NewMemoryStore(); }, false},
    {"sqlite", OpenSqlite, true},
    // Without the sync thread, commits complete on the writer thread.
    {"sqlite_nofsync", OpenSqliteNoFsync, true},
    // An idle fault wrapper must be invisible.
    {"faulty_memory", [](const std::string&) { return WrapFaulty(NewMemoryStore(), FaultPlan{}); }, false},
};

class StoreSuite : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/stepline-store-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    store_ = GetParam().open(dir_);
    ASSERT_NE(store_, nullptr);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  // Closes and reopens a durable backend; false (test skipped) otherwise.
  bool Reopen() {
    if (!GetParam().durable) return false;
    store_.reset();
    store_ = GetParam().open(dir_);
    return store_ != nullptr;
  }

  Store& s() { return *store_; }

  // Creates an execution with `events` events; returns the commit status.
  Status Create(const std::string& arn, const std::string& sm = "sm:A", Micros start = 100,
                const std::string& status = "RUNNING", int events = 1) {
    ExecutionCommit c;
    c.row = MakeRow(arn, sm, start, status);
    for (int i = 1; i <= events; ++i) c.new_events.push_back(MakeEvent(i));
    return s().Commit(c);
  }

  std::vector<std::string> ArnsOf(const std::vector<ExecutionRow>& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.arn);
    return out;
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
};

Resource MakeResource(const std::string& arn, const std::string& kind, Micros created,
                      const std::string& parent = "") {
  Resource r;
  r.arn = arn;
  r.kind = kind;
  r.parent_arn = parent;
  r.name = arn.substr(arn.rfind(':') + 1);
  r.created = created;
  r.doc = Json(Json::Object{{"definition", Json("{}")}, {"roleArn", Json("arn:role")}});
  return r;
}

std::vector<std::string> ArnsOfResources(const std::vector<Resource>& rs) {
  std::vector<std::string> out;
  for (const auto& r : rs) out.push_back(r.arn);
  return out;
}

// ---------------------------------------------------------------- resources

TEST_P(StoreSuite, ResourcePutGetDelete) {
  Resource r = MakeResource("sm:A", "stateMachine", 5);
  ASSERT_TRUE(s().PutResource(r, true).ok());
  auto got = s().GetResource("sm:A");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->arn, "sm:A");
  EXPECT_EQ(got->kind, "stateMachine");
  EXPECT_EQ(got->name, "A");
  EXPECT_EQ(got->created, 5);
  EXPECT_EQ(got->doc, r.doc);

  EXPECT_TRUE(s().DeleteResource("sm:A").ok());
  EXPECT_EQ(s().GetResource("sm:A").status().name(), kNotFound);
  EXPECT_EQ(s().DeleteResource("sm:A").name(), kNotFound);
  EXPECT_EQ(s().GetResource("sm:nothing").status().name(), kNotFound);
}

TEST_P(StoreSuite, ResourceCreateOnlyAndUpsert) {
  ASSERT_TRUE(s().PutResource(MakeResource("sm:A", "stateMachine", 5), true).ok());
  Resource changed = MakeResource("sm:A", "stateMachine", 5);
  changed.doc = Json(Json::Object{{"definition", Json("changed")}});
  EXPECT_EQ(s().PutResource(changed, true).name(), kAlreadyExists);
  EXPECT_EQ(s().GetResource("sm:A")->doc.find("definition")->get_string(), "{}");  // untouched
  ASSERT_TRUE(s().PutResource(changed, false).ok());
  EXPECT_EQ(s().GetResource("sm:A")->doc.find("definition")->get_string(), "changed");
  ASSERT_TRUE(s().PutResource(MakeResource("sm:B", "stateMachine", 6), false).ok());  // upsert creates
  EXPECT_TRUE(s().GetResource("sm:B").ok());
}

TEST_P(StoreSuite, ListResourcesOrderKindAndParent) {
  ASSERT_TRUE(s().PutResource(MakeResource("sm:C", "stateMachine", 30), true).ok());
  ASSERT_TRUE(s().PutResource(MakeResource("sm:A", "stateMachine", 10), true).ok());
  ASSERT_TRUE(s().PutResource(MakeResource("sm:B", "stateMachine", 20), true).ok());
  ASSERT_TRUE(s().PutResource(MakeResource("act:X", "activity", 15), true).ok());
  ASSERT_TRUE(s().PutResource(MakeResource("sm:A:1", "version", 11, "sm:A"), true).ok());
  ASSERT_TRUE(s().PutResource(MakeResource("sm:A:2", "version", 12, "sm:A"), true).ok());
  ASSERT_TRUE(s().PutResource(MakeResource("sm:B:1", "version", 21, "sm:B"), true).ok());

  auto sms = s().ListResources("stateMachine", "", "", 0);
  ASSERT_TRUE(sms.ok());
  EXPECT_EQ(ArnsOfResources(sms->items), (std::vector<std::string>{"sm:A", "sm:B", "sm:C"}));  // oldest first
  EXPECT_TRUE(sms->next_token.empty());

  auto versions = s().ListResources("version", "sm:A", "", 10);
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(ArnsOfResources(versions->items), (std::vector<std::string>{"sm:A:2", "sm:A:1"}));  // newest first

  auto all_versions = s().ListResources("version", "", "", 10);
  EXPECT_EQ(ArnsOfResources(all_versions->items), (std::vector<std::string>{"sm:B:1", "sm:A:2", "sm:A:1"}));

  auto acts = s().ListResources("activity", "", "", 10);
  EXPECT_EQ(ArnsOfResources(acts->items), (std::vector<std::string>{"act:X"}));
  EXPECT_TRUE(s().ListResources("alias", "", "", 10)->items.empty());
}

TEST_P(StoreSuite, ListResourcesWalksPagesOfOne) {
  // Equal creation times included: ties are broken by ARN.
  const std::vector<std::pair<std::string, Micros>> in = {
      {"sm:E", 50}, {"sm:B", 20}, {"sm:D", 20}, {"sm:A", 10}, {"sm:C", 20}};
  for (const auto& [arn, t] : in) ASSERT_TRUE(s().PutResource(MakeResource(arn, "stateMachine", t), true).ok());
  for (const auto& [arn, t] : in)
    ASSERT_TRUE(s().PutResource(MakeResource(arn + ":v", "version", t, "sm"), true).ok());

  for (const char* kind : {"stateMachine", "version"}) {
    auto whole = s().ListResources(kind, "", "", 100);
    ASSERT_TRUE(whole.ok());
    ASSERT_EQ(whole->items.size(), 5u);
    std::vector<std::string> walked;
    std::string token;
    int pages = 0;
    do {
      auto page = s().ListResources(kind, "", token, 1);
      ASSERT_TRUE(page.ok()) << page.status().ToString();
      ASSERT_EQ(page->items.size(), 1u);
      walked.push_back(page->items[0].arn);
      token = page->next_token;
      ASSERT_LT(++pages, 10);
    } while (!token.empty());
    EXPECT_EQ(walked, ArnsOfResources(whole->items)) << kind;
    EXPECT_EQ(pages, 5);
  }
  EXPECT_EQ(ArnsOfResources(s().ListResources("stateMachine", "", "", 0)->items),
            (std::vector<std::string>{"sm:A", "sm:B", "sm:C", "sm:D", "sm:E"}));
  EXPECT_EQ(ArnsOfResources(s().ListResources("version", "sm", "", 0)->items),
            (std::vector<std::string>{"sm:E:v", "sm:D:v", "sm:C:v", "sm:B:v", "sm:A:v"}));
}

TEST_P(StoreSuite, ListResourcesRejectsBadTokens) {
  ASSERT_TRUE(s().PutResource(MakeResource("sm:A", "stateMachine", 1), true).ok());
  ASSERT_TRUE(s().PutResource(MakeResource("sm:B", "stateMachine", 2), true).ok());
  auto first = s().ListResources("stateMachine", "", "", 1);
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first->next_token.empty());
  EXPECT_TRUE(s().ListResources("stateMachine", "", first->next_token, 1).ok());
  for (std::string bad : {std::string("not a token!"), std::string("A"), std::string("AAAA"),
                          first->next_token + "x", first->next_token.substr(1)}) {
    auto r = s().ListResources("stateMachine", "", bad, 1);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().name(), kInvalidToken) << bad;
  }
  // An execution listing's token is not a resource token.
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(Create("ex:" + std::to_string(i)).ok());
  auto ex = s().ListExecutions({"sm:A", "", "", ""}, "", 1);
  ASSERT_TRUE(ex.ok());
  ASSERT_FALSE(ex->next_token.empty());
  EXPECT_EQ(s().ListResources("stateMachine", "", ex->next_token, 1).status().name(), kInvalidToken);
  EXPECT_EQ(s().ListExecutions({"sm:A", "", "", ""}, first->next_token, 1).status().name(), kInvalidToken);
}

// ---------------------------------------------------------------- executions

TEST_P(StoreSuite, CommitCreatesAndGetReturnsEveryField) {
  ExecutionCommit c;
  c.row = MakeRow("ex:1", "sm:A", 1234);
  c.row.version_arn = "sm:A:3";
  c.row.alias_arn = "sm:A:prod";
  c.row.map_run_arn = "mr:1";
  c.row.stop = 0;
  c.row.version = 99;      // ignored
  c.row.event_count = 42;  // ignored: the store counts
  c.new_events = {MakeEvent(1, EventType::kExecutionStarted), MakeEvent(2)};
  ASSERT_TRUE(s().Commit(c).ok());

  auto got = s().GetExecution("ex:1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->arn, "ex:1");
  EXPECT_EQ(got->state_machine_arn, "sm:A");
  EXPECT_EQ(got->version_arn, "sm:A:3");
  EXPECT_EQ(got->alias_arn, "sm:A:prod");
  EXPECT_EQ(got->map_run_arn, "mr:1");
  EXPECT_EQ(got->name, "1");
  EXPECT_EQ(got->type, "STANDARD");
  EXPECT_EQ(got->status, "RUNNING");
  EXPECT_EQ(got->start, 1234);
  EXPECT_EQ(got->version, 1);
  EXPECT_EQ(got->event_count, 2);
  EXPECT_EQ(got->doc, c.row.doc);
  EXPECT_EQ(got->snapshot, c.row.snapshot);
  EXPECT_EQ(s().GetExecution("ex:none").status().name(), kNotFound);

  EXPECT_EQ(s().Commit(c).name(), kAlreadyExists);  // expected_version 0 again
  EXPECT_EQ(s().GetExecution("ex:1")->version, 1);
}

TEST_P(StoreSuite, CommitUpdatesAndBumpsVersion) {
  ASSERT_TRUE(Create("ex:1").ok());
  ExecutionCommit c;
  c.row = MakeRow("ex:1", "sm:A", 100, "SUCCEEDED");
  c.row.stop = 500;
  c.row.snapshot = Json(Json::Object{{"pc", Json(7)}});
  c.expected_version = 1;
  c.new_events = {MakeEvent(2), MakeEvent(3, EventType::kExecutionSucceeded)};
  ASSERT_TRUE(s().Commit(c).ok());
  auto got = s().GetExecution("ex:1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->version, 2);
  EXPECT_EQ(got->event_count, 3);
  EXPECT_EQ(got->status, "SUCCEEDED");
  EXPECT_EQ(got->stop, 500);
  EXPECT_EQ(got->snapshot.find("pc")->get_int(), 7);
}

TEST_P(StoreSuite, UpdateKeepsIdentityColumns) {
  ExecutionCommit c;
  c.row = MakeRow("ex:1", "sm:A", 100);
  c.row.version_arn = "sm:A:1";
  c.row.map_run_arn = "mr:1";
  ASSERT_TRUE(s().Commit(c).ok());
  ExecutionCommit u;
  u.row = MakeRow("ex:1", "sm:B", 999, "SUCCEEDED");  // identity changes are ignored
  u.row.type = "EXPRESS";
  u.expected_version = 1;
  ASSERT_TRUE(s().Commit(u).ok());
  auto got = s().GetExecution("ex:1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->state_machine_arn, "sm:A");
  EXPECT_EQ(got->start, 100);
  EXPECT_EQ(got->type, "STANDARD");
  EXPECT_EQ(got->version_arn, "sm:A:1");
  EXPECT_EQ(got->map_run_arn, "mr:1");
  EXPECT_EQ(got->status, "SUCCEEDED");
  EXPECT_EQ(ArnsOf(s().ListExecutions({"sm:A", "", "", "SUCCEEDED"}, "", 0)->items),
            (std::vector<std::string>{"ex:1"}));
  EXPECT_TRUE(s().ListExecutions({"sm:B", "", "", ""}, "", 0)->items.empty());
}

TEST_P(StoreSuite, StaleVersionConflictsAndAppliesNothing) {
  ExecutionCommit c;
  c.row = MakeRow("ex:1", "sm:A", 100);
  c.new_events = {MakeEvent(1)};
  c.add_timers = {MakeTimer(1, 50)};
  c.add_tasks = {MakeTask(1, "tok-1")};
  ASSERT_TRUE(s().Commit(c).ok());

  ExecutionCommit next;
  next.row = MakeRow("ex:1", "sm:A", 100);
  next.expected_version = 1;
  next.new_events = {MakeEvent(2)};
  ASSERT_TRUE(s().Commit(next).ok());  // now at version 2

  ExecutionCommit stale;
  stale.row = MakeRow("ex:1", "sm:A", 100, "FAILED");
  stale.expected_version = 1;
  stale.new_events = {MakeEvent(2, EventType::kExecutionFailed)};
  stale.add_timers = {MakeTimer(2, 10)};
  stale.remove_timers = {1};
  stale.add_tasks = {MakeTask(2, "tok-2")};
  stale.remove_tasks = {1};
  EXPECT_EQ(s().Commit(stale).name(), kConflict);
  stale.expected_version = 7;  // ahead of the store is a conflict too
  EXPECT_EQ(s().Commit(stale).name(), kConflict);

  auto row = s().GetExecution("ex:1");
  EXPECT_EQ(row->version, 2);
  EXPECT_EQ(row->status, "RUNNING");
  EXPECT_EQ(row->event_count, 2);
  auto h = s().ReadHistory("ex:1", 0, 0, false);
  ASSERT_EQ(h->size(), 2u);
  EXPECT_EQ((*h)[1].type, EventType::kPassStateEntered);
  auto timers = s().DueTimers(1000, 0);
  ASSERT_EQ(timers->size(), 1u);
  EXPECT_EQ((*timers)[0].id, 1u);
  auto tasks = s().TasksOf("ex:1");
  ASSERT_EQ(tasks->size(), 1u);
  EXPECT_EQ((*tasks)[0].id, 1u);
  EXPECT_EQ(s().TaskByToken("tok-2").status().name(), kNotFound);
}

TEST_P(StoreSuite, UpdateOfMissingExecutionIsNotFound) {
  ExecutionCommit c;
  c.row = MakeRow("ex:ghost", "sm:A", 100);
  c.expected_version = 3;
  c.new_events = {MakeEvent(1)};
  EXPECT_EQ(s().Commit(c).name(), kNotFound);
  EXPECT_EQ(s().GetExecution("ex:ghost").status().name(), kNotFound);
}

TEST_P(StoreSuite, EventIdsMustContinueTheHistory) {
  ASSERT_TRUE(Create("ex:1", "sm:A", 100, "RUNNING", 2).ok());
  for (std::vector<int64_t> ids : {std::vector<int64_t>{2}, {4}, {3, 5}, {3, 3}}) {
    ExecutionCommit c;
    c.row = MakeRow("ex:1", "sm:A", 100, "FAILED");
    c.expected_version = 1;
    for (int64_t id : ids) c.new_events.push_back(MakeEvent(id));
    c.add_timers = {MakeTimer(9, 1)};
    EXPECT_EQ(s().Commit(c).name(), kStoreError);
  }
  EXPECT_EQ(s().GetExecution("ex:1")->version, 1);
  EXPECT_EQ(s().GetExecution("ex:1")->status, "RUNNING");
  EXPECT_EQ(s().ReadHistory("ex:1", 0, 0, false)->size(), 2u);
  EXPECT_TRUE(s().DueTimers(100, 0)->empty());

  ExecutionCommit bad_create;
  bad_create.row = MakeRow("ex:2", "sm:A", 100);
  bad_create.new_events = {MakeEvent(2)};
  EXPECT_EQ(s().Commit(bad_create).name(), kStoreError);
  EXPECT_EQ(s().GetExecution("ex:2").status().name(), kNotFound);
}

TEST_P(StoreSuite, CommitAppliesEventsTimersAndTasksTogether) {
  ExecutionCommit c;
  c.row = MakeRow("ex:1", "sm:A", 100);
  c.new_events = {MakeEvent(1), MakeEvent(2), MakeEvent(3)};
  c.add_timers = {MakeTimer(1, 300), MakeTimer(2, 200)};
  c.add_tasks = {MakeTask(1, "tok-a", "act:X", 5), MakeTask(2, "")};
  c.add_timers[0].execution_arn = "ex:somebody-else";  // overwritten: timers belong to the row
  ASSERT_TRUE(s().Commit(c).ok());

  EXPECT_EQ(s().ReadHistory("ex:1", 0, 0, false)->size(), 3u);
  auto timers = s().DueTimers(1000, 0);
  ASSERT_EQ(timers->size(), 2u);
  EXPECT_EQ((*timers)[0].execution_arn, "ex:1");
  EXPECT_EQ((*timers)[1].execution_arn, "ex:1");
  EXPECT_EQ((*timers)[0].data, c.add_timers[1].data);
  auto tasks = s().TasksOf("ex:1");
  ASSERT_EQ(tasks->size(), 2u);
  EXPECT_EQ((*tasks)[0].token, "tok-a");
  EXPECT_EQ((*tasks)[0].activity_arn, "act:X");
  EXPECT_EQ((*tasks)[0].created, 5);
  EXPECT_FALSE((*tasks)[0].claimed);
  EXPECT_EQ((*tasks)[0].request, c.add_tasks[0].request);
  EXPECT_EQ((*tasks)[1].token, "");

  // The next step fires timer 2 and finishes task 1 (removals), adds timer 3
  // and re-arms timer 1 with a new due time (replace by id).
  ExecutionCommit step;
  step.row = MakeRow("ex:1", "sm:A", 100);
  step.expected_version = 1;
  step.new_events = {MakeEvent(4)};
  step.remove_timers = {2, 77};  // 77 does not exist: not an error
  step.add_timers = {MakeTimer(3, 150), MakeTimer(1, 100)};
  step.remove_tasks = {1};
  ASSERT_TRUE(s().Commit(step).ok());
  timers = s().DueTimers(1000, 0);
  ASSERT_EQ(timers->size(), 2u);
  EXPECT_EQ((*timers)[0].id, 1u);
  EXPECT_EQ((*timers)[0].due, 100);
  EXPECT_EQ((*timers)[1].id, 3u);
  EXPECT_EQ(s().TasksOf("ex:1")->size(), 1u);
  EXPECT_EQ(s().TaskByToken("tok-a").status().name(), kNotFound);
  EXPECT_FALSE(s().ClaimActivityTask("act:X")->has_value());  // a removed task cannot be claimed
}

TEST_P(StoreSuite, FailedCommitLeavesNoTrace) {
  ExecutionCommit first;
  first.row = MakeRow("ex:1", "sm:A", 100);
  first.new_events = {MakeEvent(1)};
  first.add_tasks = {MakeTask(1, "shared-token")};
  ASSERT_TRUE(s().Commit(first).ok());

  // A second execution reusing the token fails as a whole: no row, no
  // events, no timers, no tasks.
  ExecutionCommit second;
  second.row = MakeRow("ex:2", "sm:A", 200);
  second.new_events = {MakeEvent(1), MakeEvent(2)};
  second.add_timers = {MakeTimer(1, 10)};
  second.add_tasks = {MakeTask(1, "fresh-token"), MakeTask(2, "shared-token")};
  EXPECT_EQ(s().Commit(second).name(), kAlreadyExists);
  EXPECT_EQ(s().GetExecution("ex:2").status().name(), kNotFound);
  EXPECT_EQ(s().ReadHistory("ex:2", 0, 0, false).status().name(), kNotFound);
  EXPECT_TRUE(s().DueTimers(1000, 0)->empty());
  EXPECT_TRUE(s().TasksOf("ex:2")->empty());
  EXPECT_EQ(s().TaskByToken("fresh-token").status().name(), kNotFound);
  EXPECT_EQ(s().TaskByToken("shared-token")->execution_arn, "ex:1");
  EXPECT_EQ(s().ListExecutions({"sm:A", "", "", ""}, "", 0)->items.size(), 1u);

  // Handing a token over inside one execution (remove + add) is fine.
  ExecutionCommit handover;
  handover.row = MakeRow("ex:1", "sm:A", 100);
  handover.expected_version = 1;
  handover.remove_tasks = {1};
  handover.add_tasks = {MakeTask(2, "shared-token")};
  ASSERT_TRUE(s().Commit(handover).ok());
  EXPECT_EQ(s().TaskByToken("shared-token")->id, 2u);
}

TEST_P(StoreSuite, ListExecutionsNewestFirstWithFilters) {
  ASSERT_TRUE(Create("ex:a", "sm:A", 100, "SUCCEEDED").ok());
  ASSERT_TRUE(Create("ex:b", "sm:A", 300, "RUNNING").ok());
  ASSERT_TRUE(Create("ex:c", "sm:A", 200, "FAILED").ok());
  ASSERT_TRUE(Create("ex:d", "sm:A", 300, "SUCCEEDED").ok());  // same start as ex:b
  ASSERT_TRUE(Create("ex:other", "sm:B", 250, "RUNNING").ok());
  ExecutionCommit v;
  v.row = MakeRow("ex:v", "sm:A", 50, "RUNNING");
  v.row.version_arn = "sm:A:1";
  v.row.map_run_arn = "mr:1";
  ASSERT_TRUE(s().Commit(v).ok());
  ExecutionCommit al;
  al.row = MakeRow("ex:al", "sm:A", 60, "SUCCEEDED");
  al.row.alias_arn = "sm:A:prod";
  al.row.version_arn = "sm:A:2";
  al.row.map_run_arn = "mr:1";
  ASSERT_TRUE(s().Commit(al).ok());

  auto all = s().ListExecutions({"sm:A", "", "", ""}, "", 0);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(ArnsOf(all->items), (std::vector<std::string>{"ex:d", "ex:b", "ex:c", "ex:a", "ex:al", "ex:v"}));
  EXPECT_TRUE(all->next_token.empty());
  EXPECT_EQ(ArnsOf(s().ListExecutions({"sm:A", "", "", "SUCCEEDED"}, "", 0)->items),
            (std::vector<std::string>{"ex:d", "ex:a", "ex:al"}));
  EXPECT_EQ(ArnsOf(s().ListExecutions({"sm:A", "", "", "RUNNING"}, "", 0)->items),
            (std::vector<std::string>{"ex:b", "ex:v"}));
  EXPECT_TRUE(s().ListExecutions({"sm:A", "", "", "TIMED_OUT"}, "", 0)->items.empty());
  EXPECT_EQ(ArnsOf(s().ListExecutions({"sm:A", "sm:A:1", "", ""}, "", 0)->items),
            (std::vector<std::string>{"ex:v"}));
  EXPECT_EQ(ArnsOf(s().ListExecutions({"sm:A", "sm:A:prod", "", ""}, "", 0)->items),
            (std::vector<std::string>{"ex:al"}));
  EXPECT_EQ(ArnsOf(s().ListExecutions({"", "", "mr:1", ""}, "", 0)->items),
            (std::vector<std::string>{"ex:al", "ex:v"}));
  EXPECT_EQ(ArnsOf(s().ListExecutions({"", "", "mr:1", "RUNNING"}, "", 0)->items),
            (std::vector<std::string>{"ex:v"}));
  EXPECT_EQ(ArnsOf(s().ListExecutions({"sm:B", "", "", ""}, "", 0)->items),
            (std::vector<std::string>{"ex:other"}));
  EXPECT_TRUE(s().ListExecutions({"sm:none", "", "", ""}, "", 0)->items.empty());

  // A status change moves the row between filtered listings.
  ExecutionCommit done;
  done.row = MakeRow("ex:b", "sm:A", 300, "ABORTED");
  done.expected_version = 1;
  ASSERT_TRUE(s().Commit(done).ok());
  EXPECT_EQ(ArnsOf(s().ListExecutions({"sm:A", "", "", "RUNNING"}, "", 0)->items),
            (std::vector<std::string>{"ex:v"}));
  EXPECT_EQ(ArnsOf(s().ListExecutions({"sm:A", "", "", "ABORTED"}, "", 0)->items),
            (std::vector<std::string>{"ex:b"}));
}

TEST_P(StoreSuite, ListExecutionsPaginates) {
  std::vector<std::string> expected;
  for (int i = 0; i < 7; ++i) {
    std::string arn = "ex:" + std::to_string(i);
    ASSERT_TRUE(Create(arn, "sm:A", 100 + (i / 2), i % 2 ? "RUNNING" : "SUCCEEDED").ok());
  }
  auto whole = s().ListExecutions({"sm:A", "", "", ""}, "", 0);
  ASSERT_EQ(whole->items.size(), 7u);
  EXPECT_EQ(ArnsOf(whole->items),
            (std::vector<std::string>{"ex:6", "ex:5", "ex:4", "ex:3", "ex:2", "ex:1", "ex:0"}));

  for (size_t max : {size_t(1), size_t(2), size_t(3), size_t(7)}) {
    std::vector<std::string> walked;
    std::string token;
    size_t pages = 0;
    do {
      auto page = s().ListExecutions({"sm:A", "", "", ""}, token, max);
      ASSERT_TRUE(page.ok()) << page.status().ToString();
      EXPECT_LE(page->items.size(), max);
      EXPECT_FALSE(page->items.empty());
      for (auto& r : page->items) walked.push_back(r.arn);
      token = page->next_token;
      ASSERT_LT(++pages, 20u);
    } while (!token.empty());
    EXPECT_EQ(walked, ArnsOf(whole->items)) << "max " << max;
    EXPECT_EQ(pages, (7 + max - 1) / max);
  }
  // Pages of a filtered listing.
  auto p1 = s().ListExecutions({"sm:A", "", "", "RUNNING"}, "", 2);
  ASSERT_EQ(ArnsOf(p1->items), (std::vector<std::string>{"ex:5", "ex:3"}));
  auto p2 = s().ListExecutions({"sm:A", "", "", "RUNNING"}, p1->next_token, 2);
  ASSERT_EQ(ArnsOf(p2->items), (std::vector<std::string>{"ex:1"}));
  EXPECT_TRUE(p2->next_token.empty());

  EXPECT_EQ(s().ListExecutions({"sm:A", "", "", ""}, "%%%", 2).status().name(), kInvalidToken);
  EXPECT_EQ(s().ListExecutions({"sm:A", "", "", ""}, "ZTox", 2).status().name(), kInvalidToken);  // "e:1"
}

TEST_P(StoreSuite, ReadHistoryForwardReverseAndLimits) {
  ExecutionCommit c;
  c.row = MakeRow("ex:1", "sm:A", 100);
  for (int i = 1; i <= 6; ++i) c.new_events.push_back(MakeEvent(i));
  c.new_events[0].type = EventType::kExecutionStarted;
  c.new_events[2].has_error = c.new_events[2].has_cause = true;
  c.new_events[2].error = "States.TaskFailed";
  c.new_events[2].cause = "boom";
  c.new_events[2].type = EventType::kTaskFailed;
  ASSERT_TRUE(s().Commit(c).ok());
  ExecutionCommit more;
  more.row = c.row;
  more.expected_version = 1;
  for (int i = 7; i <= 10; ++i) more.new_events.push_back(MakeEvent(i));
  ASSERT_TRUE(s().Commit(more).ok());

  auto ids = [&](int64_t from, size_t max, bool reverse) {
    auto h = s().ReadHistory("ex:1", from, max, reverse);
    EXPECT_TRUE(h.ok()) << h.status().ToString();
    std::vector<int64_t> out;
    if (h.ok())
      for (auto& e : *h) out.push_back(e.id);
    return out;
  };
  EXPECT_EQ(ids(0, 0, false), (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(ids(3, 4, false), (std::vector<int64_t>{4, 5, 6, 7}));
  EXPECT_EQ(ids(8, 100, false), (std::vector<int64_t>{9, 10}));
  EXPECT_TRUE(ids(10, 5, false).empty());
  EXPECT_EQ(ids(0, 3, true), (std::vector<int64_t>{10, 9, 8}));
  EXPECT_EQ(ids(5, 0, true), (std::vector<int64_t>{4, 3, 2, 1}));
  EXPECT_EQ(ids(5, 2, true), (std::vector<int64_t>{4, 3}));
  EXPECT_TRUE(ids(1, 5, true).empty());
  EXPECT_EQ(ids(99, 1, true), (std::vector<int64_t>{10}));

  auto h = s().ReadHistory("ex:1", 0, 0, false);
  ASSERT_TRUE(h.ok());
  const auto& e3 = (*h)[2];
  EXPECT_EQ(e3.type, EventType::kTaskFailed);
  EXPECT_EQ(e3.error, "States.TaskFailed");
  EXPECT_EQ(e3.cause, "boom");
  EXPECT_EQ(e3.previous_id, 2);
  EXPECT_EQ(e3.timestamp, 1003);
  EXPECT_EQ(e3.name, "State3");
  EXPECT_TRUE(e3.has_data);
  EXPECT_EQ(e3.data, c.new_events[2].data);
  EXPECT_EQ((*h)[0].type, EventType::kExecutionStarted);
  EXPECT_EQ(s().ReadHistory("ex:none", 0, 0, false).status().name(), kNotFound);
}

// Pages of every size, forward and back, across commits of different sizes
// (the SQLite store keeps up to 64 events per row: 150 spans three rows).
TEST_P(StoreSuite, HistoryPagesAcrossCommitsOfEverySize) {
  const int sizes[] = {1, 150, 2, 64, 65, 3};
  int64_t next = 1, version = 0;
  for (int n : sizes) {
    ExecutionCommit c;
    c.row = MakeRow("ex:1", "sm:A", 100);
    c.expected_version = version++;
    for (int i = 0; i < n; ++i) c.new_events.push_back(MakeEvent(next++));
    ASSERT_TRUE(s().Commit(c).ok());
  }
  const int64_t total = next - 1;
  for (size_t page : {size_t(1), size_t(7), size_t(64), size_t(100), size_t(1000)}) {
    for (bool reverse : {false, true}) {
      std::vector<int64_t> seen;
      int64_t cursor = 0;
      for (int guard = 0; guard < 1000; ++guard) {
        auto h = s().ReadHistory("ex:1", cursor, page, reverse);
        ASSERT_TRUE(h.ok()) << h.status().ToString();
        ASSERT_LE(h->size(), page);
        for (auto& e : *h) {
          seen.push_back(e.id);
          EXPECT_EQ(e.name, "State" + std::to_string(e.id));
        }
        if (h->size() < page) break;
        cursor = h->back().id;
      }
      std::vector<int64_t> want;
      for (int64_t i = 1; i <= total; ++i) want.push_back(i);
      if (reverse) std::reverse(want.begin(), want.end());
      EXPECT_EQ(seen, want) << "page " << page << (reverse ? " reverse" : "");
    }
  }
}

TEST_P(StoreSuite, ManyEventsInOneCommit) {
  ExecutionCommit c;
  c.row = MakeRow("ex:1", "sm:A", 100);
  for (int i = 1; i <= 21; ++i) c.new_events.push_back(MakeEvent(i));
  ASSERT_TRUE(s().Commit(c).ok());
  auto h = s().ReadHistory("ex:1", 0, 0, false);
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 21u);
  for (int i = 0; i < 21; ++i) {
    EXPECT_EQ((*h)[i].id, i + 1);
    EXPECT_EQ((*h)[i].name, "State" + std::to_string(i + 1));  // each body with its own id
  }
  EXPECT_EQ(s().GetExecution("ex:1")->event_count, 21);
}

TEST_P(StoreSuite, RunningExecutionsTracksStatus) {
  ASSERT_TRUE(Create("ex:1", "sm:A", 1, "RUNNING").ok());
  ASSERT_TRUE(Create("ex:2", "sm:A", 2, "SUCCEEDED").ok());
  ASSERT_TRUE(Create("ex:3", "sm:B", 3, "RUNNING").ok());
  auto running = s().RunningExecutions();
  ASSERT_TRUE(running.ok());
  std::set<std::string> got(running->begin(), running->end());
  EXPECT_EQ(got, (std::set<std::string>{"ex:1", "ex:3"}));
  ExecutionCommit c;
  c.row = MakeRow("ex:1", "sm:A", 1, "FAILED");
  c.expected_version = 1;
  ASSERT_TRUE(s().Commit(c).ok());
  running = s().RunningExecutions();
  EXPECT_EQ(*running, (std::vector<std::string>{"ex:3"}));
}

// ---------------------------------------------------------------- timers

TEST_P(StoreSuite, DueTimersOrderLimitAndRemoval) {
  EXPECT_FALSE(s().NextTimerDue()->has_value());
  EXPECT_TRUE(s().DueTimers(INT64_MAX, 0)->empty());
  ExecutionCommit a;
  a.row = MakeRow("ex:a", "sm:A", 1);
  a.add_timers = {MakeTimer(1, 500), MakeTimer(2, 100), MakeTimer(3, 300)};
  ASSERT_TRUE(s().Commit(a).ok());
  ExecutionCommit b;
  b.row = MakeRow("ex:b", "sm:A", 2);
  b.add_timers = {MakeTimer(1, 300), MakeTimer(2, 50)};
  ASSERT_TRUE(s().Commit(b).ok());

  auto key = [](const std::vector<TimerRow>& ts) {
    std::vector<std::string> out;
    for (auto& t : ts) out.push_back(t.execution_arn + "/" + std::to_string(t.id) + "@" + std::to_string(t.due));
    return out;
  };
  EXPECT_EQ(**s().NextTimerDue(), 50);
  EXPECT_EQ(key(*s().DueTimers(300, 0)),
            (std::vector<std::string>{"ex:b/2@50", "ex:a/2@100", "ex:a/3@300", "ex:b/1@300"}));
  EXPECT_EQ(key(*s().DueTimers(300, 2)), (std::vector<std::string>{"ex:b/2@50", "ex:a/2@100"}));
  EXPECT_TRUE(s().DueTimers(49, 0)->empty());
  EXPECT_EQ(s().DueTimers(10'000, 0)->size(), 5u);
  EXPECT_EQ(s().DueTimers(300, 0).value()[0].data, a.add_timers[0].data);

  // Timers stay until a commit removes them.
  EXPECT_EQ(s().DueTimers(300, 0)->size(), 4u);
  ExecutionCommit fire;
  fire.row = b.row;
  fire.expected_version = 1;
  fire.remove_timers = {2};
  ASSERT_TRUE(s().Commit(fire).ok());
  EXPECT_EQ(**s().NextTimerDue(), 100);
  EXPECT_EQ(key(*s().DueTimers(300, 0)),
            (std::vector<std::string>{"ex:a/2@100", "ex:a/3@300", "ex:b/1@300"}));

  ExecutionCommit clear;
  clear.row = a.row;
  clear.expected_version = 1;
  clear.remove_timers = {1, 2, 3};
  ASSERT_TRUE(s().Commit(clear).ok());
  fire.expected_version = 2;
  fire.remove_timers = {1};
  ASSERT_TRUE(s().Commit(fire).ok());
  EXPECT_FALSE(s().NextTimerDue()->has_value());
  EXPECT_TRUE(s().DueTimers(INT64_MAX, 0)->empty());
}

// ---------------------------------------------------------------- tasks

TEST_P(StoreSuite, TasksOfAndTaskByToken) {
  ExecutionCommit c;
  c.row = MakeRow("ex:1", "sm:A", 1);
  c.add_tasks = {MakeTask(3, "tok-3"), MakeTask(1, "tok-1", "act:X", 7), MakeTask(2, "")};
  ASSERT_TRUE(s().Commit(c).ok());
  auto tasks = s().TasksOf("ex:1");
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks->size(), 3u);
  EXPECT_EQ((*tasks)[0].id, 1u);
  EXPECT_EQ((*tasks)[1].id, 2u);
  EXPECT_EQ((*tasks)[2].id, 3u);
  EXPECT_TRUE(s().TasksOf("ex:none")->empty());

  auto t = s().TaskByToken("tok-1");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->execution_arn, "ex:1");
  EXPECT_EQ(t->id, 1u);
  EXPECT_EQ(t->activity_arn, "act:X");
  EXPECT_EQ(t->created, 7);
  EXPECT_EQ(t->request, c.add_tasks[1].request);
  EXPECT_EQ(s().TaskByToken("tok-unknown").status().name(), kNotFound);
  EXPECT_EQ(s().TaskByToken("").status().name(), kNotFound);  // tokenless tasks are not found by ""

  // Re-adding an id replaces the task, token included.
  ExecutionCommit replace;
  replace.row = c.row;
  replace.expected_version = 1;
  replace.add_tasks = {MakeTask(3, "tok-3b")};
  ASSERT_TRUE(s().Commit(replace).ok());
  EXPECT_EQ(s().TaskByToken("tok-3").status().name(), kNotFound);
  EXPECT_EQ(s().TaskByToken("tok-3b")->id, 3u);
  EXPECT_EQ(s().TasksOf("ex:1")->size(), 3u);
}

TEST_P(StoreSuite, ClaimActivityTaskOldestFirstOnce) {
  ExecutionCommit a;
  a.row = MakeRow("ex:a", "sm:A", 1);
  a.add_tasks = {MakeTask(1, "a1", "act:X", 30), MakeTask(2, "a2", "act:Y", 5), MakeTask(3, "a3", "", 1)};
  ASSERT_TRUE(s().Commit(a).ok());
  ExecutionCommit b;
  b.row = MakeRow("ex:b", "sm:A", 2);
  b.add_tasks = {MakeTask(1, "b1", "act:X", 10), MakeTask(2, "b2", "act:X", 20)};
  ASSERT_TRUE(s().Commit(b).ok());

  std::vector<std::string> order;
  for (int i = 0; i < 3; ++i) {
    auto t = s().ClaimActivityTask("act:X");
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    ASSERT_TRUE(t->has_value());
    EXPECT_TRUE((*t)->claimed);
    order.push_back((*t)->token);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"b1", "b2", "a1"}));
  EXPECT_FALSE(s().ClaimActivityTask("act:X")->has_value());
  EXPECT_FALSE(s().ClaimActivityTask("act:none")->has_value());
  EXPECT_FALSE(s().ClaimActivityTask("")->has_value());  // tasks without an activity are never claimed
  // Claims are recorded on the task; act:Y is untouched.
  EXPECT_TRUE(s().TaskByToken("b1")->claimed);
  EXPECT_FALSE(s().TaskByToken("a2")->claimed);
  EXPECT_EQ((*s().ClaimActivityTask("act:Y"))->token, "a2");
}

TEST_P(StoreSuite, ConcurrentClaimsNeverShareATask) {
  constexpr int kExecutions = 10, kTasksEach = 20, kThreads = 8;
  for (int e = 0; e < kExecutions; ++e) {
    ExecutionCommit c;
    c.row = MakeRow("ex:" + std::to_string(e), "sm:A", e);
    for (int t = 0; t < kTasksEach; ++t)
      c.add_tasks.push_back(MakeTask(t + 1, "tok-" + std::to_string(e) + "-" + std::to_string(t), "act:X", t));
    ASSERT_TRUE(s().Commit(c).ok());
  }
  std::vector<std::vector<std::string>> claimed(kThreads);
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (;;) {
        auto t = s().ClaimActivityTask("act:X");
        if (!t.ok()) {
          ++errors;
          return;
        }
        if (!t->has_value()) return;
        claimed[i].push_back((*t)->token);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  std::set<std::string> unique;
  size_t total = 0;
  for (auto& v : claimed) {
    total += v.size();
    unique.insert(v.begin(), v.end());
  }
  EXPECT_EQ(total, size_t(kExecutions * kTasksEach));
  EXPECT_EQ(unique.size(), total);
}

// ---------------------------------------------------------------- concurrency and durability

TEST_P(StoreSuite, ConcurrentCommitsFromEightThreadsAllLand) {
  constexpr int kThreads = 8, kExecutionsEach = 4, kSteps = 5;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int th = 0; th < kThreads; ++th) {
    threads.emplace_back([&, th] {
      for (int e = 0; e < kExecutionsEach; ++e) {
        std::string arn = "ex:" + std::to_string(th) + "-" + std::to_string(e);
        for (int step = 0; step < kSteps; ++step) {
          ExecutionCommit c;
          c.row = MakeRow(arn, "sm:A", th * 100 + e, step + 1 == kSteps ? "SUCCEEDED" : "RUNNING");
          c.expected_version = step;
          c.new_events = {MakeEvent(2 * step + 1), MakeEvent(2 * step + 2)};
          c.add_timers = {MakeTimer(step + 1, 1000 + step)};
          if (step > 0) c.remove_timers = {uint64_t(step)};
          if (!s().Commit(c).ok()) ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);

  auto check = [&] {
    EXPECT_EQ(s().ListExecutions({"sm:A", "", "", ""}, "", 1000)->items.size(), size_t(kThreads * kExecutionsEach));
    EXPECT_TRUE(s().RunningExecutions()->empty());
    EXPECT_EQ(s().DueTimers(INT64_MAX, 0)->size(), size_t(kThreads * kExecutionsEach));  // the last timer of each
    for (int th = 0; th < kThreads; ++th)
      for (int e = 0; e < kExecutionsEach; ++e) {
        std::string arn = "ex:" + std::to_string(th) + "-" + std::to_string(e);
        auto row = s().GetExecution(arn);
        ASSERT_TRUE(row.ok()) << arn;
        EXPECT_EQ(row->version, kSteps);
        EXPECT_EQ(row->event_count, 2 * kSteps);
        EXPECT_EQ(s().ReadHistory(arn, 0, 0, false)->size(), size_t(2 * kSteps));
      }
  };
  check();
  if (Reopen()) check();
}

TEST_P(StoreSuite, CommitAsyncReportsEachOutcome) {
  constexpr int kCommits = 64;
  std::vector<std::promise<Status>> done(kCommits + 1);
  for (int i = 0; i < kCommits; ++i) {
    ExecutionCommit c;
    c.row = MakeRow("ex:" + std::to_string(i), "sm:A", i);
    c.new_events = {MakeEvent(1)};
    s().CommitAsync(std::move(c), [&done, i](Status st) { done[i].set_value(st); });
  }
  // A duplicate create in flight with the others fails alone.
  ExecutionCommit dup;
  dup.row = MakeRow("ex:0", "sm:A", 0);
  s().CommitAsync(dup, [&done](Status st) { done[kCommits].set_value(st); });
  for (int i = 0; i < kCommits; ++i) EXPECT_TRUE(done[i].get_future().get().ok()) << i;
  EXPECT_EQ(done[kCommits].get_future().get().name(), kAlreadyExists);
  EXPECT_EQ(s().ListExecutions({"sm:A", "", "", ""}, "", 1000)->items.size(), size_t(kCommits));
}

TEST_P(StoreSuite, RacingCommitsOnOneExecutionLetExactlyOneWin) {
  ASSERT_TRUE(Create("ex:1").ok());
  constexpr int kThreads = 8;
  std::atomic<int> wins{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      ExecutionCommit c;
      c.row = MakeRow("ex:1", "sm:A", 100);
      c.row.doc = Json(Json::Object{{"winner", Json(i)}});
      c.expected_version = 1;
      c.new_events = {MakeEvent(2)};
      Status st = s().Commit(c);
      if (st.ok()) ++wins;
      if (st.name() == kConflict) ++conflicts;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(conflicts.load(), kThreads - 1);
  EXPECT_EQ(s().GetExecution("ex:1")->version, 2);
  EXPECT_EQ(s().ReadHistory("ex:1", 0, 0, false)->size(), 2u);
}

TEST_P(StoreSuite, ReopenKeepsEverything) {
  ASSERT_TRUE(s().PutResource(MakeResource("sm:A", "stateMachine", 1), true).ok());
  ASSERT_TRUE(s().PutResource(MakeResource("sm:A:1", "version", 2, "sm:A"), true).ok());
  ExecutionCommit c;
  c.row = MakeRow("ex:1", "sm:A", 10);
  c.new_events = {MakeEvent(1), MakeEvent(2)};
  c.add_timers = {MakeTimer(4, 77)};
  c.add_tasks = {MakeTask(1, "tok", "act:X", 3), MakeTask(2, "tok2", "act:X", 4)};
  ASSERT_TRUE(s().Commit(c).ok());
  ASSERT_TRUE(s().ClaimActivityTask("act:X")->has_value());
  if (!Reopen()) GTEST_SKIP() << GetParam().name << " keeps nothing across a reopen";

  EXPECT_EQ(s().GetResource("sm:A")->created, 1);
  EXPECT_EQ(s().ListResources("version", "sm:A", "", 0)->items.size(), 1u);
  auto row = s().GetExecution("ex:1");
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->version, 1);
  EXPECT_EQ(row->doc, c.row.doc);
  EXPECT_EQ(row->snapshot, c.row.snapshot);
  EXPECT_EQ(s().ReadHistory("ex:1", 0, 0, false)->size(), 2u);
  EXPECT_EQ(**s().NextTimerDue(), 77);
  EXPECT_TRUE(s().TaskByToken("tok")->claimed);  // the claim was durable too
  EXPECT_EQ((*s().ClaimActivityTask("act:X"))->token, "tok2");
  EXPECT_EQ(*s().RunningExecutions(), (std::vector<std::string>{"ex:1"}));

  // Optimistic concurrency continues from the stored version.
  ExecutionCommit next;
  next.row = c.row;
  next.expected_version = 1;
  next.new_events = {MakeEvent(3)};
  EXPECT_TRUE(s().Commit(next).ok());
  EXPECT_EQ(s().Commit(next).name(), kConflict);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreSuite, ::testing::ValuesIn(kBackends),
                         [](const ::testing::TestParamInfo<Backend>& info) { return info.param.name; });

}  // namespace
}  // namespace stepline::store
