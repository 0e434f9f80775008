// One composition root (issue 19): the background jobs run the services ApiWiring built, on its
// clock. Before, JobWiring built a second settlement repository, lottery gateway and service and
// its queue read the system clock, so a test clock never reached the jobs.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "app/job_wiring.hpp"
#include "engine/jobs/job_kinds.hpp"
#include "sales_fixture.hpp"
#include "settings/settings.hpp"

namespace rifa::testing {
namespace {

class CompositionRootTest : public SalesApiTest {
 protected:
  settings::Settings settings_;  // the defaults; JobWiring reads jobs.* and the bindings
};

TEST_F(CompositionRootTest, TheJobsRunTheApisServicesAndQueue) {
  app::JobWiring background(test_db_->db(), settings_, *plugins_, *wiring_, nullptr, "test-host");
  EXPECT_EQ(&background.settlement(), &wiring_->settlement());
  EXPECT_EQ(&background.queue(), &wiring_->job_queue());
}

TEST_F(CompositionRootTest, TheTestClockReachesTheSchedulerTheQueueAndTheSettlementJobs) {
  const std::string rifa = active_rifa("Reloj");  // fecha_fin 2030-01-31 (the fixture's rifa)
  app::JobWiring background(test_db_->db(), settings_, *plugins_, *wiring_, nullptr, "test-host");

  // Only the test's clock is past fecha_fin; the system clock is years before it.
  clock_.advance(std::chrono::hours(24 * 366 * 6));
  auto tick = background.scheduler().tick();
  ASSERT_TRUE(tick.ok()) << tick.error().message;
  EXPECT_EQ(tick->close_jobs, 1);

  // The close job is due by the test clock only: a queue on the system clock would not hand it out.
  background.runner().drain();
  EXPECT_EQ(count("SELECT count(*) FROM rifas WHERE id = '" + rifa + "' AND estado = 'cerrada'"), 1);

  auto listed = background.queue().list(std::nullopt, 50, 0);
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  bool saw_close = false;
  for (const auto& j : *listed) {
    if (j.kind != jobs::kRifaClose) continue;
    saw_close = true;
    EXPECT_EQ(j.status, jobs::JobStatus::kSucceeded);
    // Enqueued at the test clock's now, not the system clock's.
    EXPECT_GE(j.run_at, clock_.now() - std::chrono::seconds(1));
  }
  EXPECT_TRUE(saw_close);
}

}  // namespace
}  // namespace rifa::testing
