#include "app/job_wiring.hpp"
#include "engine/jobs/job_kinds.hpp"

#include <unistd.h>

#include "app/logging.hpp"
#include "app/payout_jobs.hpp"
#include "app/sales_jobs.hpp"

namespace rifa::app {

std::string default_job_owner() {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string("host-") + (host[0] ? host : "unknown") + "-" + std::to_string(getpid());
}

namespace {

jobs::RunnerOptions runner_options(const settings::JobsSettings& s, std::string owner) {
  jobs::RunnerOptions o;
  o.owner = std::move(owner);
  o.workers = s.workers;
  o.lease = std::chrono::seconds(s.lease_s);
  o.idle_poll = std::chrono::milliseconds(s.poll_interval_ms);
  return o;
}

settlement::SchedulerOptions scheduler_options(const settings::JobsSettings& s) {
  settlement::SchedulerOptions o;
  o.interval = std::chrono::seconds(std::max<int64_t>(1, s.scheduler_interval_s));
  o.job_max_attempts = s.max_attempts;
  return o;
}

}  // namespace

JobWiring::JobWiring(storage::Database& db, const settings::Settings& settings,
                     const plugin_runtime::PluginRegistry& plugins, ApiWiring& api, MetricsRegistry* metrics,
                     std::string owner)
    : db_(db),
      settings_(settings),
      payments_(&api.sales().payments()),
      metrics_(metrics),
      clock_(api.clock()),
      logger_(make_logger("jobs")),
      queue_(api.job_queue()),
      runner_(queue_, runner_options(settings.jobs, std::move(owner)), logger_, metrics),
      settlement_(api.settlement()),
      scheduler_(api.settlement_repository(), clock_, make_logger("scheduler"), scheduler_options(settings.jobs)) {
  // Habeas data: the retention of inactive jugadores' personal data (a no-op while it is 0 days).
  runner_.handle(jobs::kPersonalDataRetention,
                 [&players = api.players(), logger = logger_](const jobs::Job&) -> Result<void> {
                   auto erased = players.erase_inactive();
                   if (!erased) return erased.error();
                   if (*erased > 0) logger->info("personal data retention: {} inactive account(s) anonymised", *erased);
                   return {};
                 });
  register_handlers();
  register_payout_jobs(runner_, db_, settings_, plugins,
                       PayoutJobsShared{&clock_, &api.sales().gateway(), &api.notifications()});
}

JobWiring::~JobWiring() { stop(); }

void JobWiring::register_handlers() {
  // Settlement (C1): closing at fecha_fin or on POST /cerrar, and taking the draw.
  settlement::register_settlement_jobs(runner_, settlement_);

  // Payouts, cancellation refunds and notifications (C2): "payout.send", "rifa.refund",
  // "notify.deliver" are registered in the constructor, which has the plugin registry.

  // Sales: hold expiry and payment reconciliation, enqueued by the scheduler every interval.
  std::vector<std::string> periodic = {jobs::kPersonalDataRetention};
  if (payments_) {
    register_sales_jobs(runner_, *payments_, clock_, make_logger("sales"));
    periodic.insert(periodic.end(), {jobs::kExpireHolds, jobs::kReconcilePayments});
  }
  scheduler_.set_periodic_kinds(std::move(periodic));
}

void JobWiring::start() {
  if (started_) return;
  started_ = true;
  if (settings_.jobs.workers > 0) runner_.start();
  scheduler_.start();
  logger_->info("jobs: {} worker(s), scheduler every {} s", settings_.jobs.workers,
                settings_.jobs.scheduler_interval_s);
}

void JobWiring::stop() {
  if (!started_) return;
  started_ = false;
  scheduler_.stop();
  runner_.stop();
}

}  // namespace rifa::app
