#pragma once

#include <ostream>

#include "storage/database.hpp"

namespace rifa::app {

// `rifa-host audit verify`: walks the audit log's hash chain and prints the outcome. Returns the
// exit status: 0 intact, 1 the first broken entry (named on err), 3 the database could not be read.
int run_audit_verify(storage::Database& db, std::ostream& out, std::ostream& err);

}  // namespace rifa::app
