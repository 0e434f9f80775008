#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "storage/database.hpp"

namespace rifa::storage {

// The outcome of walking audit_log's sealed rows in seq order and recomputing their hash chain.
struct AuditChainReport {
  int64_t entries = 0;    // sealed rows checked (all of them when the chain is intact)
  std::string head_hash;  // hash of the last row checked; the genesis hash for an empty log
  // Rows inserted but not sealed yet (storage/repositories/audit_sealer.hpp), and how long the
  // oldest of them has waited by the database's clock (0 when none). Read after the walk.
  int64_t pending = 0;
  double oldest_pending_age_s = 0;
  // The first broken entry: its id and what did not match. Empty when the chain holds.
  std::optional<int64_t> broken_entry_id;
  std::string problem;

  bool intact() const { return !broken_entry_id.has_value(); }
};

// Walks the sealed rows by seq and recomputes every row's hash from its content (and seq, for rows
// the sealer chained; storage/repositories/audit_writer.hpp), checking each row points at the one
// before it and seq runs 1, 2, 3... with no gap, stopping at the first mismatch:
//  * content edited (any of actor, action, entity, entity_id, data, occurred_at): its hash no
//    longer matches its content;
//  * hash column edited, entry deleted or rows reordered: prev_hash no longer matches the hash of
//    the row before it (or the genesis hash for the first row);
//  * seq edited: the walk meets a gap, or the row's hash (which covers its seq) no longer matches;
//  * a row chained at insert (before migration 0011: sealed_at NULL, hash without seq) after a
//    sealed one: only the oldest rows can be of that kind.
// Unsealed rows are not part of the chain yet; they are counted (pending) and not checked.
// Deleting entries at the very end leaves a shorter valid chain; that is caught only by comparing
// the head hash with one kept elsewhere, which is why the report carries it.
// Reads in one read transaction, row by row, so memory does not grow with the log.
Result<AuditChainReport> verify_audit_chain(Database& db);

}  // namespace rifa::storage
