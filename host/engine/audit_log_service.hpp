#pragma once

#include "common/result.hpp"
#include "engine/actor.hpp"
#include "engine/audit_log.hpp"

namespace rifa::engine {

// Reading the audit log: admins only (it names who did what to whom).
class AuditLogService {
 public:
  explicit AuditLogService(AuditLogRepository& repository) : repository_(repository) {}

  Result<Page<AuditLogEntry>> list(const Actor& actor, const AuditLogFilter& filter, const PageRequest& page);
  Result<AuditChainStatus> chain_status(const Actor& actor);

 private:
  AuditLogRepository& repository_;
};

}  // namespace rifa::engine
