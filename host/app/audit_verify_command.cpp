#include "app/audit_verify_command.hpp"

#include <cstdio>

#include "storage/repositories/audit_chain_verifier.hpp"
#include "storage/repositories/audit_sealer.hpp"

namespace rifa::app {
namespace {

std::string pending_line(const storage::AuditChainReport& r) {
  if (r.pending == 0) return "0 entries waiting to be sealed\n";
  char age[32];
  std::snprintf(age, sizeof age, "%.1f", r.oldest_pending_age_s);
  return std::to_string(r.pending) + " entr" + (r.pending == 1 ? "y" : "ies") +
         " waiting to be sealed, the oldest for " + age + " s\n";
}

}  // namespace

int run_audit_verify(storage::Database& db, std::ostream& out, std::ostream& err) {
  auto report = storage::verify_audit_chain(db);
  if (!report) {
    err << "rifa-host: audit verify: " << report.error().message << "\n";
    return 3;
  }
  if (!report->intact()) {
    err << "audit log BROKEN at entry " << *report->broken_entry_id << ": " << report->problem << "\n"
        << "(" << report->entries << " entries before it verified)\n";
    out << pending_line(*report);
    return 1;
  }
  out << "audit log OK: " << report->entries << " entries, head hash " << report->head_hash << "\n"
      << pending_line(*report);
  return 0;
}

int run_audit_seal(storage::Database& db, std::ostream& out, std::ostream& err) {
  auto sealed = storage::seal_pending_audit(db);
  if (!sealed) {
    err << "rifa-host: audit seal: " << sealed.error().message << "\n";
    return 3;
  }
  if (sealed->lock_busy) {
    err << "rifa-host: audit seal: another host is sealing now; nothing done\n";
    return 1;
  }
  out << "sealed " << sealed->sealed << " entries; chain head at seq " << sealed->head_seq << "\n";
  return 0;
}

}  // namespace rifa::app
