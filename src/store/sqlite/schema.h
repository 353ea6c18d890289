#pragma once
// The SQLite schema (version kSchemaVersion, kept in PRAGMA user_version).
// Every record is a few indexed columns plus JSON text for the rest; each
// index serves one query of store.h, named beside it.

namespace stepline::store::sqlite {

inline constexpr int kSchemaVersion = 1;

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

CREATE TABLE IF NOT EXISTS executions (
  arn               TEXT PRIMARY KEY,
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
CREATE INDEX IF NOT EXISTS executions_by_map_run ON executions(map_run_arn, start, arn);
-- RunningExecutions (partial: only the few running rows are indexed).
CREATE INDEX IF NOT EXISTS executions_running ON executions(arn) WHERE status = 'RUNNING';

-- Child rows reference their execution; executions are never deleted today,
-- the cascade keeps a future delete (retention) from leaving orphans.
CREATE TABLE IF NOT EXISTS events (
  execution_arn TEXT NOT NULL REFERENCES executions(arn) ON DELETE CASCADE,
  id            INTEGER NOT NULL,
  body          TEXT NOT NULL,   -- history::EncodeEvent as JSON text
  PRIMARY KEY (execution_arn, id)
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

}  // namespace stepline::store::sqlite
