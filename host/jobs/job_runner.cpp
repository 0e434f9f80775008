#include "jobs/job_runner.hpp"

#include <algorithm>

namespace rifa::jobs {

JobRunner::JobRunner(JobQueue& queue, RunnerOptions options, std::shared_ptr<spdlog::logger> logger,
                     MetricsRegistry* metrics)
    : queue_(queue), options_(std::move(options)), logger_(std::move(logger)), metrics_(metrics) {}

JobRunner::~JobRunner() { stop(); }

void JobRunner::handle(const std::string& kind, JobHandler handler, JobPolicy policy) {
  handlers_[kind] = {std::move(handler), std::move(policy)};
}

void JobRunner::start() {
  stopping_ = false;
  for (int i = 0; i < std::max(1, options_.workers); ++i) threads_.emplace_back([this] { worker_loop(); });
}

void JobRunner::stop() {
  stopping_ = true;
  wake_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

int JobRunner::drain() {
  int ran = 0;
  while (run_one()) ++ran;
  return ran;
}

void JobRunner::worker_loop() {
  while (!stopping_) {
    bool worked = false;
    try {
      worked = run_one();
    } catch (const std::exception& e) { logger_->error("job worker: {}", e.what()); }
    if (!worked) {
      std::unique_lock lock(wake_mutex_);
      wake_.wait_for(lock, options_.idle_poll, [this] { return stopping_.load(); });
    }
  }
}

bool JobRunner::run_one() {
  // Every kind is claimed, handled or not, so that an unhandled one fails visibly.
  auto claimed = queue_.claim(options_.owner, options_.lease);
  if (!claimed) {
    logger_->error("job claim failed: {}", claimed.error().message);
    return false;
  }
  if (!*claimed) return false;
  const Job& job = **claimed;

  Result<void> outcome;
  auto it = handlers_.find(job.kind);
  if (it == handlers_.end()) {
    outcome = make_error(ErrorCode::kUnsupported, "no handler for job kind '" + job.kind + "'");
  } else {
    try {
      outcome = it->second.first(job);
    } catch (const std::exception& e) {
      outcome = make_error(ErrorCode::kInternal, std::string("handler threw: ") + e.what());
    } catch (...) { outcome = make_error(ErrorCode::kInternal, "handler threw a non-standard exception"); }
  }

  if (outcome.ok()) {
    if (auto done = queue_.complete(job, options_.owner); !done) {
      logger_->warn("job {} ({}) finished but {}", job.id, job.kind, done.error().message);
    }
  } else {
    const Error& error = outcome.error();
    FailHint hint;
    hint.not_before = std::chrono::seconds(std::max(0, error.retry_after_s));
    if (it != handlers_.end()) {
      const auto& permanent = it->second.second.permanent;
      hint.permanent = std::find(permanent.begin(), permanent.end(), error.code) != permanent.end();
    }
    auto next = queue_.fail(job, options_.owner, error.message, hint);
    if (!next) {
      logger_->warn("job {} ({}) failed but {}", job.id, job.kind, next.error().message);
    } else if (*next == JobStatus::kDead && hint.permanent) {
      logger_->error("job {} ({}) failed for good (not retried) at attempt {}: {}", job.id, job.kind, job.attempts,
                     error.message);
    } else if (*next == JobStatus::kDead) {
      logger_->error("job {} ({}) is dead after {} attempts: {}", job.id, job.kind, job.attempts,
                     outcome.error().message);
    } else {
      logger_->warn("job {} ({}) attempt {} failed, retrying later: {}", job.id, job.kind, job.attempts,
                    outcome.error().message);
    }
  }
  if (metrics_) {
    metrics_
        ->counter("rifa_jobs_total", "Job runs by kind and outcome",
                  {{"kind", job.kind}, {"outcome", outcome.ok() ? "succeeded" : "failed"}})
        .inc();
  }
  return true;
}

}  // namespace rifa::jobs
