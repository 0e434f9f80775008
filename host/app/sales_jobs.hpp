#pragma once

#include <memory>

#include <spdlog/logger.h>

#include "engine/clock.hpp"
#include "engine/jobs/job_kinds.hpp"
#include "engine/payment_service.hpp"
#include "jobs/job_runner.hpp"

namespace rifa::app {

// Registers the handlers of "sales.expire_holds" (release numbers whose hold passed, after asking
// the provider) and "payments.reconcile" (ask the provider about payments pending too long). Both
// are idempotent sweeps with no payload: running one twice, or on two hosts at once, changes each
// transaccion once (compare-and-set). `payments` and `clock` must outlive the runner.
void register_sales_jobs(jobs::JobRunner& runner, engine::PaymentService& payments, const engine::Clock& clock,
                         std::shared_ptr<spdlog::logger> logger);

}  // namespace rifa::app
