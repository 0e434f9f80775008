#include "app/payout_jobs.hpp"

#include <memory>

#include "engine/clock.hpp"
#include "engine/jobs/job_kinds.hpp"
#include "engine/settlement/notification_service.hpp"
#include "engine/settlement/payout_service.hpp"
#include "engine/settlement/refund_service.hpp"
#include "plugin_runtime/plugin_notifier_gateway.hpp"
#include "plugin_runtime/plugin_payment_gateway.hpp"
#include "storage/notification_publisher.hpp"
#include "storage/repositories/sql_delivery_claims.hpp"
#include "storage/repositories/sql_payout_repository.hpp"
#include "storage/repositories/sql_refund_repository.hpp"
#include "storage/repositories/sql_user_repository.hpp"

namespace rifa::app {
namespace {

// The services behind the three job kinds, built once and shared by their handler closures.
struct PayoutJobs {
  PayoutJobs(storage::Database& db, const settings::Settings& settings, const plugin_runtime::PluginRegistry& plugins,
             const PayoutJobsShared& shared)
      : clock(shared.clock ? *shared.clock : system_clock),
        own_payments(&plugins, settings.bindings),
        payments(shared.payments ? *shared.payments : own_payments),
        notifiers(plugins, &settings.plugins.instances),
        own_notifications(settings::notifier_resolver(settings.bindings), settings.jobs.max_attempts),
        notifications(shared.notifications ? *shared.notifications : own_notifications),
        users(db, clock),
        claims(db),
        rifa_names(db),
        deliveries(notifiers, clock,
                   settlement::NotificationService::Stores{.users = &users,
                                                           .claims = &claims,
                                                           .rifas = &rifa_names,
                                                           .claim_ttl = std::chrono::seconds(settings.jobs.lease_s)}),
        payout_rows(db, notifications),
        refund_rows(db, notifications),
        payouts(payout_rows, payments, clock, settings.tax, settings.payouts.approval_threshold_cents),
        refunds(refund_rows, payments, clock) {}

  engine::SystemClock system_clock;
  const engine::Clock& clock;
  // Payouts and refunds reach the payment plugins through the engine's port.
  plugin_runtime::PluginPaymentGateway own_payments;
  engine::PaymentGateway& payments;
  plugin_runtime::PluginNotifierGateway notifiers;
  settlement::NotificationPublisher own_notifications;
  const settlement::NotificationPublisher& notifications;
  storage::SqlUserRepository users;   // the recipients of notify.deliver
  storage::SqlDeliveryClaims claims;  // one delivery per event and notifier across hosts
  storage::SqlRifaNames rifa_names;
  settlement::NotificationService deliveries;
  storage::SqlPayoutRepository payout_rows;
  storage::SqlRefundRepository refund_rows;
  settlement::PayoutService payouts;
  settlement::RefundService refunds;
};

}  // namespace

void register_payout_jobs(jobs::JobRunner& runner, storage::Database& db, const settings::Settings& settings,
                          const plugin_runtime::PluginRegistry& plugins, PayoutJobsShared shared) {
  auto services = std::make_shared<PayoutJobs>(db, settings, plugins, shared);
  runner.handle(jobs::kPayoutSend, [services](const jobs::Job& job) { return services->payouts.handle(job); });
  runner.handle(jobs::kRifaRefund, [services](const jobs::Job& job) { return services->refunds.handle(job); });
  // A notification the receiver refused for good (the notifier answered declined), or that cannot
  // be delivered as it is (invalid_argument), is given up at once rather than retried.
  runner.handle(
      jobs::kNotifyDeliver, [services](const jobs::Job& job) { return services->deliveries.deliver(job); },
      jobs::JobPolicy{{ErrorCode::kPaymentDeclined, ErrorCode::kInvalidArgument}});
}

}  // namespace rifa::app
