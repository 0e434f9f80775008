// Kill the host during settlement and payout, restart it: everything completes, and nothing is
// paid or written twice. Real rifa-host processes, real database, real plugin libraries.
//
// Two ways of killing: at a named step (RIFA_TEST_CRASH_AT, common/crash_point.hpp: the host
// _exit(137)s exactly there, as a SIGKILL at that instant would leave it), and SIGKILL at spread
// moments while closing, settling, paying and notifying are under way.
#include <gtest/gtest.h>

#include <csignal>
#include <set>
#include <thread>

#include "host_cluster.hpp"

namespace rifa::testing {
namespace {

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = TestDatabase::create_or_skip();
    if (!db_) GTEST_SKIP() << skip_reason();
    dir_ = std::make_unique<TempDir>();
    cluster_ = std::make_unique<HostCluster>(*db_, dir_->path());
    cluster_->load_rifas(3);
  }
  void TearDown() override {
    if (cluster_) cluster_->kill_all();
    cluster_.reset();
  }

  // A host that dies at `step`; then one that finishes the work.
  void crash_at_then_recover(const std::string& step) {
    auto& doomed = cluster_->start(step);
    auto code = doomed.wait(std::chrono::seconds(90));
    ASSERT_TRUE(code.has_value()) << "the host never reached " << step << "\n" << cluster_->logs();
    EXPECT_EQ(*code, 137) << cluster_->logs();
    cluster_->start();
    ASSERT_TRUE(cluster_->wait_until_done(std::chrono::seconds(120))) << cluster_->logs();
    cluster_->stop_all();
    expect_settled_and_paid_once(*cluster_);
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<HostCluster> cluster_;
};

TEST_F(CrashTest, KilledBeforeThePayoutIsSent) { crash_at_then_recover("payout.before_provider"); }

// The worst moment: the provider paid, nothing is recorded. The restart must get the same payout
// back from the provider (idempotency key = ganador id), not make a second one.
TEST_F(CrashTest, KilledAfterTheProviderPaidBeforeAnythingWasRecorded) {
  crash_at_then_recover("payout.after_provider");
}

TEST_F(CrashTest, KilledInsideThePayoutTransactionBeforeItCommitted) { crash_at_then_recover("payout.before_commit"); }

// SIGKILL at moments spread over the run (closing, settling, paying, notifying), restarting each
// time, then a host that is left to finish.
TEST_F(CrashTest, KilledRepeatedlyAtSpreadMomentsThenLeftToFinish) {
  for (int round = 0; round < 8; ++round) {
    auto& host = cluster_->start();
    std::this_thread::sleep_for(std::chrono::milliseconds(150 + 170 * round));
    host.signal(SIGKILL);
    ASSERT_TRUE(host.wait(std::chrono::seconds(10)).has_value());
  }
  cluster_->start();
  ASSERT_TRUE(cluster_->wait_until_done(std::chrono::seconds(120))) << cluster_->logs();
  cluster_->stop_all();
  expect_settled_and_paid_once(*cluster_);
}

// Cancellation refunds: killed after the provider refunded a charge and before it was recorded.
// The restart refunds every charge exactly once (idempotency key = transaccion id).
TEST(RefundCrashTest, KilledAfterTheProviderRefundedBeforeItWasRecorded) {
  auto db = TestDatabase::create_or_skip();
  if (!db) GTEST_SKIP() << skip_reason();
  TempDir dir;
  HostCluster cluster(*db, dir.path());
  constexpr int kPaid = 6;
  const std::string rifa = cluster.load_cancelled_rifa(kPaid);

  auto& doomed = cluster.start("refund.after_provider");
  auto code = doomed.wait(std::chrono::seconds(90));
  ASSERT_TRUE(code.has_value()) << cluster.logs();
  EXPECT_EQ(*code, 137) << cluster.logs();
  EXPECT_EQ(cluster.sandbox_records("refund").size(), 1u);  // the provider refunded one charge
  EXPECT_EQ(cluster.count("SELECT count(*) FROM transacciones WHERE status = 'refunded'"), 0);

  cluster.start();
  ASSERT_TRUE(cluster.wait_until("SELECT count(*) FROM transacciones WHERE status = 'refunded'", kPaid, "rifa.refund",
                                 std::chrono::seconds(120)))
      << cluster.logs();
  cluster.stop_all();
  EXPECT_EQ(cluster.count("SELECT count(*) FROM reembolsos WHERE status = 'succeeded'"), kPaid);
  EXPECT_EQ(cluster.count("SELECT CAST(sum(amount) AS BIGINT) FROM reembolsos"), kPaid * 1000);
  EXPECT_EQ(cluster.count("SELECT count(*) FROM audit_log WHERE action = 'refund'"), kPaid);
  EXPECT_EQ(cluster.count("SELECT count(*) FROM tickets WHERE estado = 'anulado'"), kPaid);
  EXPECT_EQ(cluster.count("SELECT count(*) FROM jobs WHERE status = 'dead'"), 0);
  const auto refunds = cluster.sandbox_records("refund");
  std::set<std::string> keys;
  for (const auto& r : refunds) keys.insert(r["idempotency_key"].get<std::string>());
  EXPECT_EQ(refunds.size(), static_cast<size_t>(kPaid));
  EXPECT_EQ(keys.size(), static_cast<size_t>(kPaid));
}

}  // namespace
}  // namespace rifa::testing
