#pragma once
// A thin RAII layer over one sqlite3 connection: prepared statements are
// cached by SQL text and reset when a Stmt handle goes out of scope.
// Thread-compatible: one thread uses a Connection at a time.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "base/string_map.h"

namespace stepline::store::sqlite {

class Connection;

// A cached statement in use. Binding is 1-based, like SQLite's.
class Stmt {
 public:
  Stmt(Connection* conn, sqlite3_stmt* s) : conn_(conn), s_(s) {}
  Stmt(Stmt&& o) noexcept : conn_(o.conn_), s_(o.s_) { o.s_ = nullptr; }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() {
    if (s_) {
      sqlite3_reset(s_);
      sqlite3_clear_bindings(s_);
    }
  }

  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  // The text must outlive the statement's execution (SQLITE_STATIC: no copy).
  Stmt& Bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), int(v.size()), SQLITE_STATIC);
    return *this;
  }
  Stmt& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const char* v) = delete;

  // Steps once: true with a row, false when done; errors go to status().
  bool Step();
  // Steps to completion, for statements without rows.
  Status Run();
  const Status& status() const { return status_; }

  int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  std::string_view Text(int col) const {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
    return p ? std::string_view(p, size_t(sqlite3_column_bytes(s_, col))) : std::string_view();
  }
  std::string Str(int col) const { return std::string(Text(col)); }

 private:
  Connection* conn_;
  sqlite3_stmt* s_;
  Status status_;
};

class Connection {
 public:
  // Opens (creating when absent) the database at path.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, bool read_only);
  ~Connection();

  // Prepares once per SQL text (the cache keeps its own copy of the text).
  Result<Stmt> Prepare(std::string_view sql);
  // Prepare + Run for one statement without rows: BEGIN, SAVEPOINT, COMMIT
  // on the hot path, without re-parsing them every time.
  Status Run(std::string_view sql);
  // Runs one or more statements (PRAGMA, DDL); parses them every time.
  Status Exec(const char* sql);
  sqlite3* db() { return db_; }
  Status Error(std::string_view what) const;
  int64_t Changes() const { return sqlite3_changes64(db_); }
  int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
  // The extended result code of the last failed call.
  int ErrorCode() const { return sqlite3_extended_errcode(db_); }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  StringMap<sqlite3_stmt*> cache_;  // looked up by string_view: allocates nothing
};

}  // namespace stepline::store::sqlite
