#include "store/sqlite/connection.h"

#include "store/store.h"

namespace stepline::store::sqlite {

bool Stmt::Step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) status_ = conn_->Error("step");
  return false;
}

Status Stmt::Run() {
  while (Step()) {
  }
  return status_;
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, bool read_only) {
  sqlite3* db = nullptr;
  // NOMUTEX: each connection is used by one thread at a time (see class comment).
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (read_only ? 0 : SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Status::Error(kStoreError, "open " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(db, 1);
  // Another process (or a checkpoint) may hold a lock briefly.
  sqlite3_busy_timeout(db, 10000);
  return std::unique_ptr<Connection>(new Connection(db));
}

Connection::~Connection() {
  for (auto& [sql, s] : cache_) sqlite3_finalize(s);
  sqlite3_close_v2(db_);
}

Result<Stmt> Connection::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
      return Error("prepare");
    it = cache_.emplace(std::string(sql), s).first;
  }
  return Stmt(this, it->second);
}

Status Connection::Run(std::string_view sql) {
  auto s = Prepare(sql);
  if (!s.ok()) return s.status();
  return s->Run();
}

Status Connection::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    return Status::Error(kStoreError, msg);
  }
  return Status();
}

Status Connection::Error(std::string_view what) const {
  return Status::Error(kStoreError, std::string(what) + ": " + sqlite3_errmsg(db_));
}

}  // namespace stepline::store::sqlite
