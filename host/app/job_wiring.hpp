#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "app/api_wiring.hpp"
#include "common/metrics.hpp"
#include "engine/clock.hpp"
#include "engine/jobs/job_queue.hpp"
#include "engine/payment_service.hpp"
#include "engine/settlement/settlement_service.hpp"
#include "jobs/job_runner.hpp"
#include "jobs/settlement_scheduler.hpp"
#include "plugin_runtime/plugin_registry.hpp"
#include "settings/settings.hpp"
#include "storage/database.hpp"

namespace rifa::app {

// "host-<hostname>-<pid>": the lease owner of this process's job workers.
std::string default_job_owner();

// The background side of the host: the durable job queue, the runner's worker threads with every
// job handler registered, and the scheduler that enqueues due work (closings, draws, hold expiry,
// payment reconciliation). `serve` builds one, start()s it after the plugins are loaded and
// stop()s it before the database closes. Several hosts may share one PostgreSQL: claims use
// SKIP LOCKED and every handler is idempotent.
class JobWiring {
 public:
  // Runs the services `api` built (settlement, payments) on its clock: nothing is built twice.
  // Every reference must outlive this object.
  JobWiring(storage::Database& db, const settings::Settings& settings, const plugin_runtime::PluginRegistry& plugins,
            ApiWiring& api, MetricsRegistry* metrics, std::string owner = default_job_owner());
  ~JobWiring();
  JobWiring(const JobWiring&) = delete;
  JobWiring& operator=(const JobWiring&) = delete;

  // Starts the workers (settings.jobs.workers; 0 runs no jobs in this process) and the scheduler.
  void start();
  // Stops the scheduler, then lets the workers finish the jobs in hand. Idempotent.
  void stop();

  jobs::JobQueue& queue() { return queue_; }
  jobs::JobRunner& runner() { return runner_; }
  settlement::SettlementService& settlement() { return settlement_; }
  settlement::SettlementScheduler& scheduler() { return scheduler_; }

 private:
  // Every job kind's handler is registered here, once, before start().
  void register_handlers();

  storage::Database& db_;
  const settings::Settings& settings_;
  engine::PaymentService* payments_;
  MetricsRegistry* metrics_;
  const engine::Clock& clock_;
  std::shared_ptr<spdlog::logger> logger_;
  jobs::JobQueue& queue_;  // ApiWiring's, the one of the host
  jobs::JobRunner runner_;
  settlement::SettlementService& settlement_;
  settlement::SettlementScheduler scheduler_;
  bool started_ = false;
};

}  // namespace rifa::app
