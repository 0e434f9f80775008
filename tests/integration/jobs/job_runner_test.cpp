// JobRunner over the real queue: retries with backoff until success, dead jobs for unknown kinds
// and throwing handlers, and background workers draining a backlog.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <spdlog/sinks/null_sink.h>

#include "jobs/job_runner.hpp"
#include "storage/sql_job_queue.hpp"
#include "test_database.hpp"

namespace rifa::jobs {
namespace {

using namespace std::chrono_literals;

class JobRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::TestDatabase::create_or_skip();
    if (!db_) GTEST_SKIP() << testing::skip_reason();
    ASSERT_TRUE(db_->migrate());
    queue_ = std::make_unique<storage::SqlJobQueue>(db_->db(), [this] { return now_.load(); });
    logger_ = std::make_shared<spdlog::logger>("jobs-test", std::make_shared<spdlog::sinks::null_sink_mt>());
  }
  RunnerOptions options(int workers = 1) {
    RunnerOptions o;
    o.owner = "test-host";
    o.workers = workers;
    o.idle_poll = 20ms;
    return o;
  }
  std::string enqueue(const std::string& kind, int max_attempts = 5) {
    auto id = queue_->enqueue(EnqueueRequest{kind, nlohmann::json::object(), std::nullopt, std::nullopt, max_attempts});
    EXPECT_TRUE(id.ok());
    return id.ok() ? *id : "";
  }

  std::unique_ptr<testing::TestDatabase> db_;
  std::atomic<TimePoint> now_{TimePoint{} + std::chrono::hours(24 * 20000)};
  std::unique_ptr<JobQueue> queue_;
  std::shared_ptr<spdlog::logger> logger_;
};

TEST_F(JobRunnerTest, RetriesWithBackoffUntilTheHandlerSucceeds) {
  JobRunner runner(*queue_, options(), logger_);
  int calls = 0;
  runner.handle("flaky", [&](const Job&) -> Result<void> {
    if (++calls < 3) return make_error(ErrorCode::kUnavailable, "provider down");
    return {};
  });
  const auto id = enqueue("flaky");
  EXPECT_EQ(runner.drain(), 1);
  EXPECT_EQ(runner.drain(), 0) << "backing off";
  now_ = now_.load() + backoff_after(1);
  EXPECT_EQ(runner.drain(), 1);
  now_ = now_.load() + backoff_after(2);
  EXPECT_EQ(runner.drain(), 1);
  EXPECT_EQ(calls, 3);
  const auto job = **queue_->get(id);
  EXPECT_EQ(job.status, JobStatus::kSucceeded);
  EXPECT_EQ(job.attempts, 3);
}

// What a notifier's answer becomes (plugin_runtime/plugin_notifier_gateway.cpp, app/payout_jobs.cpp):
// an error the kind's policy calls permanent is not retried, and a Retry-After holds the next run
// back; the same code under a kind without that policy is retried as before.
TEST_F(JobRunnerTest, APermanentErrorIsNotRetriedAndARetryAfterIsHonoured) {
  JobRunner runner(*queue_, options(), logger_);
  int gone_calls = 0;
  runner.handle(
      "gone",
      [&](const Job&) -> Result<void> {
        ++gone_calls;
        return make_error(ErrorCode::kPaymentDeclined, "endpoint answered 410 Gone");
      },
      JobPolicy{{ErrorCode::kPaymentDeclined}});
  int busy_calls = 0;
  runner.handle("busy", [&](const Job&) -> Result<void> {
    if (++busy_calls > 1) return {};
    Error error{ErrorCode::kUnavailable, "429 Too Many Requests"};
    error.retry_after_s = 300;
    return error;
  });
  runner.handle("declined-elsewhere",
                [](const Job&) -> Result<void> { return make_error(ErrorCode::kPaymentDeclined, "no"); });
  const auto gone = enqueue("gone", 5);
  const auto busy = enqueue("busy", 5);
  EXPECT_EQ(runner.drain(), 2);
  EXPECT_EQ((**queue_->get(gone)).status, JobStatus::kDead);
  EXPECT_EQ((**queue_->get(gone)).last_error, "endpoint answered 410 Gone");
  now_ = now_.load() + 299s;
  EXPECT_EQ(runner.drain(), 0) << "the receiver asked for 300 s";
  now_ = now_.load() + 1s;
  EXPECT_EQ(runner.drain(), 1);
  EXPECT_EQ((**queue_->get(busy)).status, JobStatus::kSucceeded);
  EXPECT_EQ(gone_calls, 1);
  const auto elsewhere = enqueue("declined-elsewhere", 5);
  EXPECT_EQ(runner.drain(), 1);
  EXPECT_EQ((**queue_->get(elsewhere)).status, JobStatus::kQueued) << "no policy: retried as before";
}

TEST_F(JobRunnerTest, UnknownKindsAndThrowingHandlersEndDeadWithTheReason) {
  JobRunner runner(*queue_, options(), logger_);
  runner.handle("boom", [](const Job&) -> Result<void> { throw std::runtime_error("kaput"); });
  const auto unknown = enqueue("mystery", 1);
  const auto throws = enqueue("boom", 1);
  EXPECT_EQ(runner.drain(), 2);
  const auto a = **queue_->get(unknown);
  EXPECT_EQ(a.status, JobStatus::kDead);
  EXPECT_EQ(a.last_error, "no handler for job kind 'mystery'");
  const auto b = **queue_->get(throws);
  EXPECT_EQ(b.status, JobStatus::kDead);
  EXPECT_EQ(b.last_error, "handler threw: kaput");
}

TEST_F(JobRunnerTest, BackgroundWorkersDrainABacklogOnce) {
  std::atomic<int> runs{0};
  JobRunner runner(*queue_, options(2), logger_);
  runner.handle("work", [&](const Job&) -> Result<void> {
    ++runs;
    return {};
  });
  for (int i = 0; i < 40; ++i) enqueue("work");
  runner.start();
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (queue_->list(JobStatus::kSucceeded, 100, 0)->size() < 40 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  runner.stop();
  EXPECT_EQ(runs.load(), 40);
  EXPECT_EQ(queue_->list(JobStatus::kSucceeded, 100, 0)->size(), 40u);
}

}  // namespace
}  // namespace rifa::jobs
