#include "app/admin_wiring.hpp"

#include "handlers/admin_job_handlers.hpp"
#include "handlers/audit_handlers.hpp"
#include "handlers/report_handlers.hpp"
#include "handlers/verification_handlers.hpp"

namespace rifa::app {

AdminWiring::AdminWiring(storage::Database& db, const engine::Clock& clock)
    : audit_log_repo_(db),
      audit_log_(audit_log_repo_),
      jobs_(db, [&clock] { return clock.now(); }),
      verification_repo_(db),
      verification_(verification_repo_),
      report_repo_(db),
      reports_(report_repo_) {}

void AdminWiring::register_routes(api::Router& router, const api::ApiContext& context) {
  api::register_audit_routes(router, context);
  api::register_admin_job_routes(router, context);
  api::register_verification_routes(router, context);
  api::register_report_routes(router, context);
}

}  // namespace rifa::app
