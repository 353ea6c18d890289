#pragma once
// Counters of the SQLite backend's group commit, for benchmarks and
// diagnostics: how many operations share a transaction and an fsync.

#include <cstdint>
#include <optional>

#include "store/store.h"

namespace stepline::store {

struct SqliteStats {
  int64_t batches = 0;     // write transactions committed (or attempted)
  int64_t operations = 0;  // writes applied in them (commits, claims, resources)
  int64_t wal_frames = 0;  // 4 KiB pages appended to the WAL (approximate across WAL restarts)
  int64_t syncs = 0;       // fdatasync calls acknowledging batches (synchronous_full)
};

// nullopt unless `store` is the SQLite backend (not wrapped).
std::optional<SqliteStats> GetSqliteStats(const Store& store);

}  // namespace stepline::store
