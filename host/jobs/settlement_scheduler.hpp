#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/logger.h>

#include "engine/clock.hpp"
#include "engine/jobs/job_queue.hpp"
#include "engine/settlement/settlement_repository.hpp"
#include "engine/settlement/settlement_service.hpp"
#include "jobs/job_runner.hpp"

namespace rifa::settlement {

struct SchedulerOptions {
  std::chrono::seconds interval{15};
  int job_max_attempts = 8;
  int batch = 500;  // rifas looked at per query and tick
  // Kinds enqueued once per interval (one job per time bucket), e.g. "sales.expire_holds",
  // "payments.reconcile"; only kinds that have a handler in this process belong here.
  std::vector<std::string> periodic_kinds;
  std::chrono::hours keep_periodic_jobs{24};  // succeeded periodic jobs are pruned after this
};

struct TickReport {
  int close_jobs = 0;   // newly enqueued
  int settle_jobs = 0;  // newly enqueued (safety net)
  int periodic_jobs = 0;
};

// Every interval, enqueues the work that is due. Every job carries a dedupe key, so several hosts
// ticking at once on one database enqueue each piece of work once:
//   "rifa.close"  {rifa_id}  "close:<rifa>"            activa rifas whose fecha_fin has passed;
//   "rifa.settle" {rifa_id}  "settle:<rifa>"           cerrada rifas without a draw (a safety net:
//                                                      close() already enqueued it);
//   each periodic kind        "<kind>:<bucket>"        bucket = unix time / interval.
class SettlementScheduler {
 public:
  SettlementScheduler(SettlementRepository& repo, const engine::Clock& clock, std::shared_ptr<spdlog::logger> logger,
                      SchedulerOptions options);
  ~SettlementScheduler();

  void set_periodic_kinds(std::vector<std::string> kinds) { options_.periodic_kinds = std::move(kinds); }
  // One pass; the thread calls it every interval, tests call it directly.
  Result<TickReport> tick();
  void start();
  void stop();  // idempotent

 private:
  void loop();

  SettlementRepository& repo_;
  const engine::Clock& clock_;
  std::shared_ptr<spdlog::logger> logger_;
  SchedulerOptions options_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

// Registers the "rifa.close" and "rifa.settle" handlers.
void register_settlement_jobs(jobs::JobRunner& runner, SettlementService& service);

}  // namespace rifa::settlement
