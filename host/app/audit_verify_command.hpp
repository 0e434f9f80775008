#pragma once

#include <ostream>

#include "storage/database.hpp"

namespace rifa::app {

// `rifa-host audit verify`: walks the audit log's hash chain and prints the outcome. Returns the
// exit status: 0 intact, 1 the first broken entry (named on err), 3 the database could not be read.
// The count of entries waiting to be sealed and the oldest one's age follow on out (both cases).
int run_audit_verify(storage::Database& db, std::ostream& out, std::ostream& err);

// `rifa-host audit seal`: seals the entries waiting now (storage/repositories/audit_sealer.hpp).
// Returns 0 (sealed, possibly none), 1 when another sealer held the lock, 3 on a database error.
int run_audit_seal(storage::Database& db, std::ostream& out, std::ostream& err);

}  // namespace rifa::app
