#include "app/audit_verify_command.hpp"

#include "storage/repositories/audit_chain_verifier.hpp"

namespace rifa::app {

int run_audit_verify(storage::Database& db, std::ostream& out, std::ostream& err) {
  auto report = storage::verify_audit_chain(db);
  if (!report) {
    err << "rifa-host: audit verify: " << report.error().message << "\n";
    return 3;
  }
  if (!report->intact()) {
    err << "audit log BROKEN at entry " << *report->broken_entry_id << ": " << report->problem << "\n"
        << "(" << report->entries << " entries before it verified)\n";
    return 1;
  }
  out << "audit log OK: " << report->entries << " entries, head hash " << report->head_hash << "\n";
  return 0;
}

}  // namespace rifa::app
