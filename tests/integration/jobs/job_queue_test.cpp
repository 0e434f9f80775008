// The durable job queue on a real database (SQLite and PostgreSQL): leases, retries with backoff,
// dead jobs an admin can retry, and each job run once under concurrent workers.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "engine/jobs/job_queue.hpp"
#include "storage/sql_job_queue.hpp"
#include "test_database.hpp"

namespace rifa::jobs {
namespace {

using namespace std::chrono_literals;

EnqueueRequest work(std::string kind, nlohmann::json payload = nlohmann::json::object(),
                    std::optional<TimePoint> run_at = std::nullopt, std::optional<std::string> dedupe = std::nullopt,
                    int max_attempts = 5) {
  return EnqueueRequest{std::move(kind), std::move(payload), run_at, std::move(dedupe), max_attempts};
}

class JobQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::TestDatabase::create_or_skip();
    if (!db_) GTEST_SKIP() << testing::skip_reason();
    ASSERT_TRUE(db_->migrate());
    queue_ = std::make_unique<storage::SqlJobQueue>(db_->db(), [this] { return now_.load(); });
  }
  void advance(std::chrono::seconds s) { now_ = now_.load() + s; }

  std::unique_ptr<testing::TestDatabase> db_;
  std::atomic<TimePoint> now_{TimePoint{} + std::chrono::hours(24 * 20000)};
  std::unique_ptr<JobQueue> queue_;
};

TEST_F(JobQueueTest, EnqueueClaimComplete) {
  auto id = queue_->enqueue(work("close_rifa", {{"rifa_id", "r1"}}));
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto job = queue_->claim("host-a", 30s);
  ASSERT_TRUE(job.ok()) << job.error().message;
  ASSERT_TRUE(job->has_value());
  EXPECT_EQ((*job)->id, *id);
  EXPECT_EQ((*job)->kind, "close_rifa");
  EXPECT_EQ((*job)->payload["rifa_id"], "r1");
  EXPECT_EQ((*job)->status, JobStatus::kRunning);
  EXPECT_EQ((*job)->attempts, 1);
  EXPECT_EQ((*job)->lease_owner, "host-a");
  EXPECT_FALSE(queue_->claim("host-b", 30s)->has_value()) << "a leased job is not claimed twice";
  ASSERT_TRUE(queue_->complete(**job, "host-a").ok());
  EXPECT_EQ((*queue_->get(*id))->status, JobStatus::kSucceeded);
  EXPECT_FALSE(queue_->claim("host-a", 30s)->has_value());
}

// The queue's transactions touch only the jobs table: they must not drop the read caches that
// storage::Database::write_generation() guards (GET /rifas/{id}, issue 12), or idle workers polling
// and notification jobs draining would turn every read into a miss.
TEST_F(JobQueueTest, QueueBookkeepingLeavesTheReadCachesValid) {
  const uint64_t before = db_->db().write_generation();
  auto id = queue_->enqueue(work("notify", {}, std::nullopt, std::nullopt, 1));
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_FALSE(queue_->claim("w", 30s, {"no-such-kind"})->has_value()) << "an idle poll";
  auto job = queue_->claim("w", 30s);
  ASSERT_TRUE(job.ok() && job->has_value());
  ASSERT_EQ(queue_->fail(**job, "w", "no").value(), JobStatus::kDead);
  ASSERT_TRUE(queue_->retry(*id).ok());
  job = queue_->claim("w", 30s);
  ASSERT_TRUE(job.ok() && job->has_value());
  ASSERT_TRUE(queue_->complete(**job, "w").ok());
  EXPECT_EQ(db_->db().write_generation(), before);
}

TEST_F(JobQueueTest, DedupeKeyEnqueuesOnce) {
  auto first = queue_->enqueue(work("settle", {}, std::nullopt, "settle:r1"));
  auto second = queue_->enqueue(work("settle", {{"other", true}}, std::nullopt, "settle:r1"));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(queue_->list(std::nullopt, 10, 0)->size(), 1u);
}

TEST_F(JobQueueTest, FutureJobsWaitForTheirTime) {
  ASSERT_TRUE(queue_->enqueue(work("fetch_draw", {}, now_.load() + 60s)).ok());
  EXPECT_FALSE(queue_->claim("w", 30s)->has_value());
  advance(61s);
  EXPECT_TRUE(queue_->claim("w", 30s)->has_value());
}

// A notifier whose receiver refused an event for good (410 Gone, SMTP 5xx) fails it at once; one
// whose receiver asked to be called back later (Retry-After) is not run sooner than that.
TEST_F(JobQueueTest, APermanentFailureDiesAtOnceAndARetryHintDelaysTheNextRun) {
  auto gone = queue_->enqueue(work("notify.deliver", {{"n", 1}}, std::nullopt, std::nullopt, 5));
  ASSERT_TRUE(gone.ok());
  auto job = queue_->claim("w", 30s);
  ASSERT_TRUE(job.ok() && job->has_value());
  auto next = queue_->fail(**job, "w", "endpoint answered 410 Gone", FailHint{true, 0s});
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(*next, JobStatus::kDead) << "4 attempts were left, but retrying cannot help";
  EXPECT_EQ((**queue_->get(*gone)).status, JobStatus::kDead);

  auto later = queue_->enqueue(work("notify.deliver", {{"n", 2}}, std::nullopt, std::nullopt, 5));
  ASSERT_TRUE(later.ok());
  job = queue_->claim("w", 30s);
  ASSERT_TRUE(job.ok() && job->has_value());
  next = queue_->fail(**job, "w", "429, Retry-After 120 s", FailHint{false, 120s});
  ASSERT_EQ(next.value(), JobStatus::kQueued);
  EXPECT_EQ((**queue_->get(*later)).run_at, now_.load() + 120s) << "later than backoff_after(1)";
  advance(backoff_after(1));
  EXPECT_FALSE(queue_->claim("w", 30s)->has_value()) << "the backoff alone would run it now";
  advance(120s - backoff_after(1));
  job = queue_->claim("w", 30s);
  ASSERT_TRUE(job.ok() && job->has_value());
  // A hint shorter than the backoff does not hurry the queue.
  next = queue_->fail(**job, "w", "503, Retry-After 1 s", FailHint{false, 1s});
  ASSERT_EQ(next.value(), JobStatus::kQueued);
  EXPECT_EQ((**queue_->get(*later)).run_at, now_.load() + backoff_after(2));
}

TEST_F(JobQueueTest, FailuresBackOffThenDieAndAnAdminCanRetry) {
  auto id = queue_->enqueue(work("payout", {}, std::nullopt, std::nullopt, 3));
  ASSERT_TRUE(id.ok());
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto job = queue_->claim("w", 30s);
    ASSERT_TRUE(job.ok() && job->has_value()) << "attempt " << attempt;
    EXPECT_EQ((*job)->attempts, attempt);
    auto next = queue_->fail(**job, "w", "provider said no #" + std::to_string(attempt));
    ASSERT_TRUE(next.ok()) << next.error().message;
    if (attempt < 3) {
      EXPECT_EQ(*next, JobStatus::kQueued);
      const auto stored = **queue_->get(*id);
      EXPECT_EQ(stored.run_at, now_.load() + backoff_after(attempt));
      EXPECT_EQ(stored.last_error, "provider said no #" + std::to_string(attempt));
      EXPECT_FALSE(queue_->claim("w", 30s)->has_value()) << "backing off";
      advance(backoff_after(attempt));
    } else {
      EXPECT_EQ(*next, JobStatus::kDead);
    }
  }
  advance(3600s);
  EXPECT_FALSE(queue_->claim("w", 30s)->has_value()) << "dead jobs stay dead";
  ASSERT_EQ(queue_->list(JobStatus::kDead, 10, 0)->size(), 1u);
  ASSERT_TRUE(queue_->retry(*id).ok());
  auto again = queue_->claim("w", 30s);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->attempts, 1);
  EXPECT_EQ(queue_->retry(*id).error().code, ErrorCode::kConflict) << "a running job cannot be retried";
}

TEST_F(JobQueueTest, AnExpiredLeaseIsReclaimedAndTheOldOwnerCannotFinish) {
  ASSERT_TRUE(queue_->enqueue(work("notify")).ok());
  auto a = queue_->claim("host-a", 30s);
  ASSERT_TRUE(a->has_value());
  advance(31s);  // host-a died without finishing
  auto b = queue_->claim("host-b", 30s);
  ASSERT_TRUE(b->has_value());
  EXPECT_EQ((*b)->id, (*a)->id);
  EXPECT_EQ((*b)->attempts, 2);
  auto late = queue_->complete(**a, "host-a");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kConflict);
  EXPECT_TRUE(queue_->complete(**b, "host-b").ok());
}

TEST_F(JobQueueTest, KindsFilterTheClaim) {
  ASSERT_TRUE(queue_->enqueue(work("notify")).ok());
  ASSERT_TRUE(queue_->enqueue(work("payout")).ok());
  auto job = queue_->claim("w", 30s, {"payout", "refund"});
  ASSERT_TRUE(job->has_value());
  EXPECT_EQ((*job)->kind, "payout");
  EXPECT_FALSE(queue_->claim("w", 30s, {"payout"})->has_value());
}

TEST_F(JobQueueTest, ConcurrentWorkersRunEachJobExactlyOnce) {
  constexpr int kJobs = 120;
  for (int i = 0; i < kJobs; ++i) ASSERT_TRUE(queue_->enqueue(work("work", {{"n", i}})).ok());
  std::mutex mutex;
  std::map<std::string, int> runs;
  std::atomic<int> errors{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      const std::string owner = "worker-" + std::to_string(w);
      while (true) {
        auto job = queue_->claim(owner, 300s);
        if (!job.ok()) {
          ++errors;
          continue;
        }
        if (!job->has_value()) return;
        {
          std::lock_guard lock(mutex);
          ++runs[(*job)->id];
        }
        if (!queue_->complete(**job, owner).ok()) ++errors;
      }
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(errors.load(), 0);
  ASSERT_EQ(runs.size(), static_cast<size_t>(kJobs));
  for (const auto& [id, count] : runs) EXPECT_EQ(count, 1) << id;
  EXPECT_EQ(queue_->list(JobStatus::kSucceeded, 1000, 0)->size(), static_cast<size_t>(kJobs));
}

TEST(Backoff, DoublesAndCapsAtAnHour) {
  EXPECT_EQ(backoff_after(1), 2s);
  EXPECT_EQ(backoff_after(2), 4s);
  EXPECT_EQ(backoff_after(5), 32s);
  EXPECT_EQ(backoff_after(40), 3600s);
}

}  // namespace
}  // namespace rifa::jobs
