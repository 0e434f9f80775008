#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/logger.h>

#include "common/metrics.hpp"
#include "engine/jobs/job_queue.hpp"

namespace rifa::jobs {

// What a handler says about one run. Handlers must be idempotent: a job whose worker died after
// the work but before complete() runs again.
using JobHandler = std::function<Result<void>(const Job&)>;

// How the runner reads a kind's failures. An error whose code is listed in `permanent` fails the
// job for good (dead at once: retrying cannot help, e.g. a receiver that refused a notification
// for good); any other error is retried with backoff, no sooner than its retry_after_s.
struct JobPolicy {
  std::vector<ErrorCode> permanent;
};

struct RunnerOptions {
  std::string owner;  // unique per host process, e.g. "host-<hostname>-<pid>"
  int workers = 2;
  std::chrono::seconds lease{60};
  std::chrono::milliseconds idle_poll{500};
};

// Worker threads that claim due jobs, run the handler registered for their kind, and record the
// outcome: complete, or fail with backoff (dead after max_attempts, or at once for an error its
// JobPolicy calls permanent; no sooner than the error's retry_after_s). A handler that throws counts
// as a failure with the exception's message; a job of a kind nobody handles fails the same way,
// so it ends dead and visible instead of looping.
class JobRunner {
 public:
  JobRunner(JobQueue& queue, RunnerOptions options, std::shared_ptr<spdlog::logger> logger,
            MetricsRegistry* metrics = nullptr);
  ~JobRunner();

  void handle(const std::string& kind, JobHandler handler, JobPolicy policy = {});  // before start()
  void start();
  // Finishes the jobs in hand, then joins the workers. Idempotent.
  void stop();
  // Runs due jobs on the calling thread until none is left; for tests and one-shot commands.
  int drain();

 private:
  bool run_one();
  void worker_loop();

  JobQueue& queue_;
  RunnerOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  MetricsRegistry* metrics_;
  std::map<std::string, std::pair<JobHandler, JobPolicy>> handlers_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
  std::mutex wake_mutex_;
  std::condition_variable wake_;
};

}  // namespace rifa::jobs
