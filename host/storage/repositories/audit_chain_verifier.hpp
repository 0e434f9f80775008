#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "storage/database.hpp"

namespace rifa::storage {

// The outcome of walking audit_log in id order and recomputing its hash chain.
struct AuditChainReport {
  int64_t entries = 0;     // rows checked (all of them when the chain is intact)
  std::string head_hash;   // hash of the last row checked; the genesis hash for an empty log
  // The first broken entry: its id and what did not match. Empty when the chain holds.
  std::optional<int64_t> broken_entry_id;
  std::string problem;

  bool intact() const { return !broken_entry_id.has_value(); }
};

// Recomputes every row's hash from its content (storage/repositories/audit_writer.hpp) and checks
// each row points at the one before it, stopping at the first mismatch:
//  * content edited (any of actor, action, entity, entity_id, data, occurred_at): its hash no
//    longer matches its content;
//  * hash column edited, entry deleted or rows reordered: prev_hash no longer matches the hash of
//    the row before it (or the genesis hash for the first row).
// Deleting entries at the very end leaves a shorter valid chain; that is caught only by comparing
// the head hash with one kept elsewhere, which is why the report carries it.
// Reads in one read transaction, row by row, so memory does not grow with the log.
Result<AuditChainReport> verify_audit_chain(Database& db);

}  // namespace rifa::storage
