#pragma once
// The SQLite schema (version kSchemaVersion, kept in PRAGMA user_version).
// Every record is a few indexed columns plus JSON text for the rest; each
// index serves one query of store.h, named beside it.

#include <cstddef>

namespace stepline::store::sqlite {

inline constexpr int kSchemaVersion = 2;
// Events per row of the events table: bounds what a history page parses.
inline constexpr size_t kEventsPerRow = 64;

inline constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS resources (
  arn        TEXT PRIMARY KEY,
  kind       TEXT NOT NULL,
  parent_arn TEXT NOT NULL,
  name       TEXT NOT NULL,
  created    INTEGER NOT NULL,
  doc        TEXT NOT NULL
);
-- ListResources without and with a parent.
CREATE INDEX IF NOT EXISTS resources_by_kind ON resources(kind, created, arn);
CREATE INDEX IF NOT EXISTS resources_by_parent ON resources(kind, parent_arn, created, arn);

-- seq (the rowid) numbers executions in creation order so that new rows and
-- their events append to the ends of their B-trees. Keyed by ARN (random
-- names), each start wrote a dozen scattered 4 KiB pages to the WAL (v1).
CREATE TABLE IF NOT EXISTS executions (
  seq               INTEGER PRIMARY KEY,
  arn               TEXT NOT NULL UNIQUE,
  state_machine_arn TEXT NOT NULL,
  version_arn       TEXT NOT NULL,
  alias_arn         TEXT NOT NULL,
  map_run_arn       TEXT NOT NULL,
  name              TEXT NOT NULL,
  type              TEXT NOT NULL,
  status            TEXT NOT NULL,
  start             INTEGER NOT NULL,
  stop              INTEGER NOT NULL,
  version           INTEGER NOT NULL,
  event_count       INTEGER NOT NULL,
  doc               TEXT NOT NULL,
  snapshot          TEXT NOT NULL
);
-- ListExecutions by state machine (newest first), with a status filter, by map run.
CREATE INDEX IF NOT EXISTS executions_by_sm ON executions(state_machine_arn, start, arn);
CREATE INDEX IF NOT EXISTS executions_by_sm_status ON executions(state_machine_arn, status, start, arn);
-- Partial: most executions belong to no map run.
CREATE INDEX IF NOT EXISTS executions_by_map_run ON executions(map_run_arn, start, arn) WHERE map_run_arn <> '';
-- RunningExecutions (partial: only the few running rows are indexed).
CREATE INDEX IF NOT EXISTS executions_running ON executions(arn) WHERE status = 'RUNNING';

-- Child rows reference their execution; executions are never deleted today,
-- the cascade keeps a future delete (retention) from leaving orphans.
-- A commit's events go in as one row (split every kEventsPerRow): a start
-- records a dozen events, and one B-tree insert costs less than twelve.
CREATE TABLE IF NOT EXISTS events (
  execution_seq INTEGER NOT NULL REFERENCES executions(seq) ON DELETE CASCADE,
  first_id      INTEGER NOT NULL,
  body          TEXT NOT NULL,   -- JSON array of history::EncodeEvent, ids first_id, first_id + 1, ...
  PRIMARY KEY (execution_seq, first_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS timers (
  execution_arn TEXT NOT NULL REFERENCES executions(arn) ON DELETE CASCADE,
  id            INTEGER NOT NULL,
  due           INTEGER NOT NULL,
  data          TEXT NOT NULL,
  PRIMARY KEY (execution_arn, id)
) WITHOUT ROWID;
-- DueTimers, NextTimerDue.
CREATE INDEX IF NOT EXISTS timers_by_due ON timers(due, execution_arn, id);

CREATE TABLE IF NOT EXISTS tasks (
  execution_arn TEXT NOT NULL REFERENCES executions(arn) ON DELETE CASCADE,
  id            INTEGER NOT NULL,
  token         TEXT NOT NULL,
  activity_arn  TEXT NOT NULL,
  created       INTEGER NOT NULL,
  claimed       INTEGER NOT NULL,
  request       TEXT NOT NULL,
  PRIMARY KEY (execution_arn, id)
) WITHOUT ROWID;
-- TaskByToken; tokens are unique when set.
CREATE UNIQUE INDEX IF NOT EXISTS tasks_by_token ON tasks(token) WHERE token <> '';
-- ClaimActivityTask: oldest unclaimed task of an activity.
CREATE INDEX IF NOT EXISTS tasks_by_activity ON tasks(activity_arn, claimed, created, execution_arn, id)
  WHERE activity_arn <> '';
)sql";

// Version 1 keyed executions and events by ARN. Runs with foreign keys off
// and legacy_alter_table on (renames leave timers' and tasks' references
// to "executions" alone), inside the migration's transaction.
inline constexpr const char* kMigrateFrom1 = R"sql(
DROP INDEX executions_by_sm;
DROP INDEX executions_by_sm_status;
DROP INDEX executions_by_map_run;
DROP INDEX executions_running;
ALTER TABLE executions RENAME TO executions_v1;
ALTER TABLE events RENAME TO events_v1;
)sql";
inline constexpr const char* kMigrateFrom1Copy = R"sql(
INSERT INTO executions (arn, state_machine_arn, version_arn, alias_arn, map_run_arn, name, type, status, start,
                        stop, version, event_count, doc, snapshot)
  SELECT arn, state_machine_arn, version_arn, alias_arn, map_run_arn, name, type, status, start, stop, version,
         event_count, doc, snapshot FROM executions_v1 ORDER BY start, arn;
INSERT INTO events (execution_seq, first_id, body)
  SELECT x.seq, e.id, '[' || e.body || ']' FROM events_v1 e JOIN executions x ON x.arn = e.execution_arn;
DROP TABLE events_v1;
DROP TABLE executions_v1;
)sql";

}  // namespace stepline::store::sqlite
