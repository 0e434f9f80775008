#include "jobs/settlement_scheduler.hpp"
#include "engine/jobs/job_kinds.hpp"

#include "engine/settlement/settlement_service.hpp"

namespace rifa::settlement {

SettlementScheduler::SettlementScheduler(SettlementRepository& repo, const engine::Clock& clock,
                                         std::shared_ptr<spdlog::logger> logger, SchedulerOptions options)
    : repo_(repo), clock_(clock), logger_(std::move(logger)), options_(std::move(options)) {}

SettlementScheduler::~SettlementScheduler() { stop(); }

Result<TickReport> SettlementScheduler::tick() {
  TickReport report;
  const engine::TimePoint now = clock_.now();
  const auto enqueue = [&](jobs::EnqueueRequest request, int& counter) -> Result<void> {
    auto inserted = repo_.enqueue(request);
    if (!inserted) return inserted.error();
    if (*inserted) ++counter;
    return {};
  };

  auto due = repo_.due_for_close(now, options_.batch);
  if (!due) return due.error();
  for (const auto& rifa_id : *due) {
    jobs::EnqueueRequest r{
        jobs::kRifaClose, {{"rifa_id", rifa_id}}, now, std::string("close:") + rifa_id, options_.job_max_attempts};
    if (auto ok = enqueue(std::move(r), report.close_jobs); !ok) return ok.error();
  }
  auto waiting = repo_.awaiting_draw(options_.batch);
  if (!waiting) return waiting.error();
  for (const auto& rifa_id : *waiting) {
    // Same key as close() uses: when that job exists (queued, waiting for the draw), this is a no-op.
    jobs::EnqueueRequest r{jobs::kRifaSettle,
                           {{"rifa_id", rifa_id}},
                           now,
                           std::string("settle:") + rifa_id,
                           SettlementOptions{}.settle_max_attempts};
    if (auto ok = enqueue(std::move(r), report.settle_jobs); !ok) return ok.error();
  }
  if (!options_.periodic_kinds.empty()) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    const auto bucket = seconds / std::max<int64_t>(1, options_.interval.count());
    for (const auto& kind : options_.periodic_kinds) {
      jobs::EnqueueRequest r{kind, nlohmann::json::object(), now, kind + ":" + std::to_string(bucket), 1};
      if (auto ok = enqueue(std::move(r), report.periodic_jobs); !ok) return ok.error();
    }
    auto pruned = repo_.prune_succeeded_jobs(options_.periodic_kinds, now - options_.keep_periodic_jobs);
    if (!pruned) return pruned.error();
  }
  return report;
}

void SettlementScheduler::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void SettlementScheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SettlementScheduler::loop() {
  for (;;) {
    try {
      auto report = tick();
      if (!report) {
        logger_->error("scheduler tick failed: {}", report.error().message);
      } else if (report->close_jobs || report->settle_jobs) {
        logger_->info("scheduler: {} closing(s) and {} settlement(s) enqueued", report->close_jobs,
                      report->settle_jobs);
      }
    } catch (const std::exception& e) { logger_->error("scheduler tick threw: {}", e.what()); }
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, options_.interval, [this] { return stopping_; })) return;
  }
}

void register_settlement_jobs(jobs::JobRunner& runner, SettlementService& service) {
  runner.handle(jobs::kRifaClose, [&service](const jobs::Job& job) -> Result<void> {
    auto estado = service.close_due(job.payload.value("rifa_id", ""));
    if (!estado) return estado.error();
    return {};
  });
  // Not published and rejected draws fail the run, so the queue asks again after its backoff; the
  // job's large max_attempts (SettlementOptions::settle_max_attempts) keeps it from dying early.
  runner.handle(jobs::kRifaSettle, [&service](const jobs::Job& job) -> Result<void> {
    auto outcome = service.settle(job.payload.value("rifa_id", ""));
    if (!outcome) return outcome.error();
    if (outcome->status == SettleStatus::kNotPublished) return make_error(ErrorCode::kNotPublished, outcome->message);
    if (outcome->status == SettleStatus::kRejected) return make_error(ErrorCode::kValidation, outcome->message);
    return {};
  });
}

}  // namespace rifa::settlement
