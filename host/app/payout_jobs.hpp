#pragma once

#include "engine/clock.hpp"
#include "engine/payment_gateway.hpp"
#include "jobs/job_runner.hpp"
#include "plugin_runtime/plugin_registry.hpp"
#include "settings/settings.hpp"
#include "storage/notification_publisher.hpp"
#include "storage/database.hpp"

namespace rifa::app {

// What the host already built, shared with the payout jobs instead of built a second time. Each
// may be null (tests, benches): the jobs then make their own (the system clock, a payment gateway
// over `plugins` and the config's bindings, a notification publisher over those bindings).
struct PayoutJobsShared {
  const engine::Clock* clock = nullptr;
  engine::PaymentGateway* payments = nullptr;
  const settlement::NotificationPublisher* notifications = nullptr;
};

// Registers the handlers of "payout.send" (engine/settlement/payout_service.hpp), "rifa.refund"
// (engine/settlement/refund_service.hpp) and "notify.deliver" (engine/settlement/notification_service.hpp) on
// `runner`. The services live as long as the runner's handlers (they are shared by the handler
// closures); `db`, `settings`, `plugins` and what `shared` points to must outlive the runner.
void register_payout_jobs(jobs::JobRunner& runner, storage::Database& db, const settings::Settings& settings,
                          const plugin_runtime::PluginRegistry& plugins, PayoutJobsShared shared = {});

}  // namespace rifa::app
