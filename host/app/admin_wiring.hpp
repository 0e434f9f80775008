#pragma once

#include "engine/audit_log_service.hpp"
#include "engine/clock.hpp"
#include "engine/report_service.hpp"
#include "engine/verification_service.hpp"
#include "handlers/common/api_context.hpp"
#include "server/router.hpp"
#include "storage/database.hpp"
#include "storage/repositories/sql_audit_log_repository.hpp"
#include "storage/repositories/sql_report_repository.hpp"
#include "storage/repositories/sql_verification_repository.hpp"
#include "storage/sql_job_queue.hpp"

namespace rifa::app {

// The admin and verification side of the API: audit log, job queue, reports and the public
// verificacion, with the repositories under them. Owned by ApiWiring, which hands these to the
// handlers through ApiContext; kept apart so that composition root stays small.
class AdminWiring {
 public:
  AdminWiring(storage::Database& db, const engine::Clock& clock);

  engine::AuditLogService& audit_log() { return audit_log_; }
  engine::ReportService& reports() { return reports_; }
  engine::VerificationService& verification() { return verification_; }
  // The one job queue of the host: the admin API lists it, JobWiring's runner claims from it.
  jobs::JobQueue& jobs() { return jobs_; }
  static void register_routes(api::Router& router, const api::ApiContext& context);

 private:
  storage::SqlAuditLogRepository audit_log_repo_;
  engine::AuditLogService audit_log_;
  storage::SqlJobQueue jobs_;
  storage::SqlVerificationRepository verification_repo_;
  engine::VerificationService verification_;
  storage::SqlReportRepository report_repo_;
  engine::ReportService reports_;
};

}  // namespace rifa::app
