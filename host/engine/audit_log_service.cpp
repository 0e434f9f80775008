#include "engine/audit_log_service.hpp"

namespace rifa::engine {

Result<Page<AuditLogEntry>> AuditLogService::list(const Actor& actor, const AuditLogFilter& filter,
                                                  const PageRequest& page) {
  if (!actor.is_admin())
    return make_error(ErrorCode::kPermissionDenied, "reading the audit log requires the admin role");
  return repository_.list(filter, page);
}

Result<AuditChainStatus> AuditLogService::chain_status(const Actor& actor) {
  if (!actor.is_admin())
    return make_error(ErrorCode::kPermissionDenied, "reading the audit log requires the admin role");
  return repository_.chain_status();
}

}  // namespace rifa::engine
