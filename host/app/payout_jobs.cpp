#include "app/payout_jobs.hpp"

#include <memory>

#include "engine/clock.hpp"
#include "settlement/notification_publisher.hpp"
#include "settlement/notification_service.hpp"
#include "settlement/payout_service.hpp"
#include "settlement/refund_service.hpp"

namespace rifa::app {
namespace {

// The services behind the three job kinds, built once and shared by their handler closures.
struct PayoutJobs {
  PayoutJobs(storage::Database& db, const settings::Settings& settings, const plugin_runtime::PluginRegistry& plugins)
      : notifications(settings.bindings, settings.jobs.max_attempts),
        deliveries(plugins, clock),
        payouts(
            db, plugins,
            [&settings](std::string_view rifa_id, std::string_view categoria) {
              return settings::resolve_bindings(settings.bindings, rifa_id, categoria);
            },
            notifications, clock),
        refunds(db, plugins, notifications, clock) {}

  engine::SystemClock clock;
  settlement::NotificationPublisher notifications;
  settlement::NotificationService deliveries;
  settlement::PayoutService payouts;
  settlement::RefundService refunds;
};

}  // namespace

void register_payout_jobs(jobs::JobRunner& runner, storage::Database& db, const settings::Settings& settings,
                          const plugin_runtime::PluginRegistry& plugins) {
  auto services = std::make_shared<PayoutJobs>(db, settings, plugins);
  runner.handle(settlement::kPayoutSendJob, [services](const jobs::Job& job) { return services->payouts.handle(job); });
  runner.handle(settlement::kRifaRefundJob, [services](const jobs::Job& job) { return services->refunds.handle(job); });
  runner.handle(settlement::kNotifyDeliverJob,
                [services](const jobs::Job& job) { return services->deliveries.deliver(job); });
}

}  // namespace rifa::app
