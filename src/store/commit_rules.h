#pragma once
// Checks shared by every backend, so they reject the same commits with the
// same Status (the rules are listed above ExecutionCommit in store.h).

#include "base/status.h"
#include "store/store.h"

namespace stepline::store {

// Checks what can be checked without the stored row.
Status CheckCommitShape(const ExecutionCommit& c);
// Checks the commit against the stored row's version and event count
// (`exists` false: no row is stored).
Status CheckCommitAgainst(const ExecutionCommit& c, bool exists, int64_t stored_version,
                          int64_t stored_event_count);

Status NotFoundError(const std::string& what);

}  // namespace stepline::store
