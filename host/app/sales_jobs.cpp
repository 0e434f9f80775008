#include "app/sales_jobs.hpp"
#include "engine/jobs/job_kinds.hpp"

namespace rifa::app {

void register_sales_jobs(jobs::JobRunner& runner, engine::PaymentService& payments, const engine::Clock& clock,
                         std::shared_ptr<spdlog::logger> logger) {
  runner.handle(jobs::kExpireHolds, [&payments, &clock, logger](const jobs::Job&) -> Result<void> {
    auto swept = payments.expire_holds(clock.now());
    if (!swept) return swept.error();
    if (swept->examined > 0) {
      logger->info("expire holds: {} expired, {} settled, {} left for the next run (provider unreachable)",
                   swept->examined, swept->changed, swept->skipped);
    }
    return {};
  });
  runner.handle(jobs::kReconcilePayments, [&payments, &clock, logger](const jobs::Job&) -> Result<void> {
    auto swept = payments.reconcile_pending(clock.now());
    if (!swept) return swept.error();
    if (swept->examined > 0) {
      logger->info("reconcile payments: {} pending looked at, {} settled, {} provider errors", swept->examined,
                   swept->changed, swept->skipped);
    }
    return {};
  });
}

}  // namespace rifa::app
