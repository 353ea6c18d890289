#include "store/commit_rules.h"

namespace stepline::store {

Status NotFoundError(const std::string& what) { return Status::Error(kNotFound, what + " not found"); }

Status CheckCommitShape(const ExecutionCommit& c) {
  if (c.row.arn.empty()) return Status::Error(kStoreError, "commit without an execution ARN");
  if (c.expected_version < 0) return Status::Error(kStoreError, "negative expected_version");
  return Status();
}

Status CheckCommitAgainst(const ExecutionCommit& c, bool exists, int64_t stored_version,
                          int64_t stored_event_count) {
  if (c.expected_version == 0) {
    if (exists) return Status::Error(kAlreadyExists, "execution " + c.row.arn + " already exists");
  } else {
    if (!exists) return NotFoundError("execution " + c.row.arn);
    if (stored_version != c.expected_version)
      return Status::Error(kConflict, "execution " + c.row.arn + " is at version " + std::to_string(stored_version) +
                                          ", not " + std::to_string(c.expected_version));
  }
  int64_t next = (exists ? stored_event_count : 0) + 1;
  for (const auto& e : c.new_events) {
    if (e.id != next)
      return Status::Error(kStoreError, "event id " + std::to_string(e.id) + " where " + std::to_string(next) +
                                            " was expected in " + c.row.arn);
    ++next;
  }
  return Status();
}

}  // namespace stepline::store
