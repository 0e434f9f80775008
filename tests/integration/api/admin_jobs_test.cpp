// GET /admin/jobs and POST /admin/jobs/{id}/retry over real HTTP, with jobs put into each state
// through the real JobQueue (enqueue, claim, fail until dead).
#include <gtest/gtest.h>

#include "api_fixture.hpp"
#include "engine/jobs/job_queue.hpp"
#include "storage/sql_job_queue.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

class AdminJobsTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    queue_ = std::make_unique<storage::SqlJobQueue>(test_db_->db(), [this] { return clock_.now(); });
  }

  std::string enqueue(const std::string& kind, int max_attempts = 5) {
    jobs::EnqueueRequest request;
    request.kind = kind;
    request.payload = {{"rifa_id", "r-1"}};
    request.max_attempts = max_attempts;
    auto id = queue_->enqueue(request);
    EXPECT_TRUE(id.ok()) << id.error().message;
    return id.ok() ? *id : "";
  }

  // Claims the job of this kind and fails it, `times` times, moving the clock past each backoff.
  void fail(const std::string& kind, int times, const std::string& error) {
    for (int i = 0; i < times; ++i) {
      auto job = queue_->claim("worker-1", std::chrono::seconds(60), {kind});
      ASSERT_TRUE(job.ok()) << job.error().message;
      ASSERT_TRUE(job->has_value()) << kind << " attempt " << i;
      ASSERT_TRUE(queue_->fail(**job, "worker-1", error).ok());
      clock_.advance(std::chrono::minutes(5));  // past the backoff, well inside the token lifetime
    }
  }

  std::unique_ptr<jobs::JobQueue> queue_;
};

TEST_F(AdminJobsTest, ListsJobsWithTheirStateAndFiltersByStatus) {
  const std::string queued = enqueue("notify.deliver");
  const std::string dead = enqueue("payout.send", 2);
  fail("payout.send", 2, "sandbox: card declined");

  auto all = call("GET", "/api/v1/admin/jobs", "", admin_.token);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.json()["total"], 2);
  EXPECT_EQ(all.json()["items"].size(), 2u);

  auto only_dead = call("GET", "/api/v1/admin/jobs?status=dead", "", admin_.token).json();
  ASSERT_EQ(only_dead["total"], 1);
  const auto job = only_dead["items"][0];
  EXPECT_EQ(job["id"], dead);
  EXPECT_EQ(job["kind"], "payout.send");
  EXPECT_EQ(job["status"], "dead");
  EXPECT_EQ(job["attempts"], 2);
  EXPECT_EQ(job["max_attempts"], 2);
  EXPECT_EQ(job["last_error"], "sandbox: card declined");
  EXPECT_EQ(job["payload"], (json{{"rifa_id", "r-1"}}));
  EXPECT_TRUE(job["run_at"].is_string());

  auto queued_reply = call("GET", "/api/v1/admin/jobs?status=queued&per_page=1", "", admin_.token);
  const auto only_queued = queued_reply.json();
  EXPECT_EQ(only_queued["total"], 1);
  ASSERT_EQ(only_queued["items"].size(), 1u) << queued_reply.body;
  EXPECT_EQ(only_queued["items"][0]["id"], queued);
  EXPECT_EQ(only_queued["items"][0]["last_error"], nullptr);
  EXPECT_EQ(call("GET", "/api/v1/admin/jobs?status=succeeded", "", admin_.token).json()["total"], 0);

  expect_problem(call("GET", "/api/v1/admin/jobs?status=muerto", "", admin_.token), 422, "status");
  expect_problem(call("GET", "/api/v1/admin/jobs?page=0", "", admin_.token), 422, "page");
}

TEST_F(AdminJobsTest, RetryPutsADeadJobBackInTheQueueOnce) {
  const std::string dead = enqueue("payout.send", 1);
  fail("payout.send", 1, "timeout");
  auto retried = call("POST", "/api/v1/admin/jobs/" + dead + "/retry", "", admin_.token);
  ASSERT_EQ(retried.status, 200) << retried.body;
  EXPECT_EQ(retried.json()["status"], "queued");
  EXPECT_EQ(retried.json()["attempts"], 0);
  // The queue hands it out again.
  auto claimed = queue_->claim("worker-2", std::chrono::seconds(60), {"payout.send"});
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  EXPECT_EQ((*claimed)->id, dead);
  // A job that is not dead or failed is a conflict, naming its state; an unknown one is 404.
  expect_problem(call("POST", "/api/v1/admin/jobs/" + dead + "/retry", "", admin_.token), 409, "",
                 "job " + dead + " is running: only dead or failed jobs can be retried");
  const std::string queued = enqueue("notify.deliver");
  expect_problem(call("POST", "/api/v1/admin/jobs/" + queued + "/retry", "", admin_.token), 409);
  expect_problem(call("POST", "/api/v1/admin/jobs/no-such-job/retry", "", admin_.token), 404);
}

TEST_F(AdminJobsTest, OnlyAdminsSeeOrRetryJobs) {
  const std::string dead = enqueue("payout.send", 1);
  fail("payout.send", 1, "timeout");
  auto op = make_user("op@example.com", engine::Rol::kOperador);
  auto jugador = register_jugador("j@example.com");
  expect_problem(call("GET", "/api/v1/admin/jobs"), 401);
  expect_problem(call("GET", "/api/v1/admin/jobs", "", op.token), 403);
  expect_problem(call("POST", "/api/v1/admin/jobs/" + dead + "/retry", "", jugador.token), 403);
  expect_problem(call("POST", "/api/v1/admin/jobs/" + dead + "/retry", "", op.token), 403);
  auto still = queue_->get(dead);
  ASSERT_TRUE(still.ok() && still->has_value());
  EXPECT_EQ((*still)->status, jobs::JobStatus::kDead);
}

}  // namespace
}  // namespace rifa::testing
