#pragma once

#include "engine/audit_log.hpp"
#include "storage/database.hpp"

namespace rifa::storage {

// engine::AuditLogRepository on audit_log (read only: rows are appended by audit_writer and
// sealed by audit_sealer).
class SqlAuditLogRepository final : public engine::AuditLogRepository {
 public:
  explicit SqlAuditLogRepository(Database& db) : db_(db) {}

  Result<engine::Page<engine::AuditLogEntry>> list(const engine::AuditLogFilter& filter,
                                                   const engine::PageRequest& page) override;
  Result<engine::AuditChainStatus> chain_status() override;

 private:
  Database& db_;
};

}  // namespace rifa::storage
