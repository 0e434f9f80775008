#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "common/metrics.hpp"
#include "engine/payment_service.hpp"
#include "engine/clock.hpp"
#include "jobs/job_queue.hpp"
#include "jobs/job_runner.hpp"
#include "plugin_runtime/plugin_registry.hpp"
#include "settings/settings.hpp"
#include "settlement/lottery_gateway.hpp"
#include "settlement/settlement_scheduler.hpp"
#include "settlement/settlement_service.hpp"
#include "storage/database.hpp"
#include "storage/repositories/sql_settlement_repository.hpp"

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
  // `payments` (may be null) runs the sales jobs; every reference must outlive this object.
  JobWiring(storage::Database& db, const settings::Settings& settings, const plugin_runtime::PluginRegistry& plugins,
            engine::PaymentService* payments, MetricsRegistry* metrics, std::string owner = default_job_owner());
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
  engine::SystemClock clock_;
  std::shared_ptr<spdlog::logger> logger_;
  jobs::JobQueue queue_;
  jobs::JobRunner runner_;
  storage::SqlSettlementRepository settlement_repo_;
  settlement::PluginLotteryGateway lotteries_;
  settlement::SettlementService settlement_;
  settlement::SettlementScheduler scheduler_;
  bool started_ = false;
};

}  // namespace rifa::app
