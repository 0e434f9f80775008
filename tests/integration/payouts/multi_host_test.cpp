// Two hosts on one PostgreSQL, many rifas closing at once: each rifa settled once, each payout
// sent once (our rows and the sandbox's own books agree). Real rifa-host processes.
#include <gtest/gtest.h>

#include <csignal>
#include <iostream>
#include <thread>

#include "host_cluster.hpp"

namespace rifa::testing {
namespace {

TEST(MultiHostTest, TwoHostsOnOneDatabaseSettleAndPayEachRifaOnce) {
  auto db = TestDatabase::create_or_skip();
  if (!db) GTEST_SKIP() << skip_reason();
  if (db->backend() != storage::Backend::kPostgresql) {
    // SQLite is the embedded single-host database; several hosts share PostgreSQL only.
    GTEST_SKIP() << "several hosts share one database only on PostgreSQL";
  }
  TempDir dir;
  HostCluster cluster(*db, dir.path());
  cluster.load_rifas(30);
  cluster.start();
  cluster.start();
  ASSERT_TRUE(cluster.wait_until_done(std::chrono::seconds(150))) << cluster.logs();
  cluster.stop_all();
  expect_settled_and_paid_once(cluster);
  // How the work was shared (printed, not asserted: which host claims what is up to timing).
  for (size_t i = 0; i < 2; ++i) {
    const std::string log = cluster.host_log(i);
    size_t paid = 0;
    for (size_t at = log.find("payout sbx_po_"); at != std::string::npos; at = log.find("payout sbx_po_", at + 1))
      ++paid;
    std::cout << "host " << i << " sent " << paid << " payout(s)\n";
  }
}

// One of the two hosts is SIGKILLed mid-way: the survivor takes over its leased jobs once the
// lease runs out, and still nothing is settled or paid twice.
TEST(MultiHostTest, WhenOneOfTwoHostsIsKilledTheOtherFinishesItsWorkOnce) {
  auto db = TestDatabase::create_or_skip();
  if (!db) GTEST_SKIP() << skip_reason();
  if (db->backend() != storage::Backend::kPostgresql)
    GTEST_SKIP() << "several hosts share one database only on PostgreSQL";
  TempDir dir;
  HostCluster cluster(*db, dir.path());
  cluster.load_rifas(30);
  auto& doomed = cluster.start();
  cluster.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  doomed.signal(SIGKILL);
  ASSERT_TRUE(doomed.wait(std::chrono::seconds(10)).has_value());
  ASSERT_TRUE(cluster.wait_until_done(std::chrono::seconds(150))) << cluster.logs();
  cluster.stop_all();
  expect_settled_and_paid_once(cluster);
}

}  // namespace
}  // namespace rifa::testing
