// Which connection may stay, which is refused, and which idle one is closed to make room.
#include <gtest/gtest.h>

#include <vector>

#include "server/connection_table.hpp"

namespace rifa::api {
namespace {

using Outcome = ConnectionTable::Outcome;

struct Opened {
  ConnectionTable::Id id;
  bool evicted = false;
};

// Admits a connection and records when its eviction callback runs.
ConnectionTable::Admission open(ConnectionTable& table, const std::string& address, std::vector<Opened>& log) {
  auto admission = table.admit(address);
  if (admission.admitted()) {
    log.push_back({admission.id});
    const size_t index = log.size() - 1;
    table.attach(admission.id, [&log, index] { log[index].evicted = true; });
  }
  return admission;
}

TEST(ConnectionTable, RefusesAnAddressOverItsCapButNotOthers) {
  ConnectionTable table(100, 2);
  std::vector<Opened> log;
  log.reserve(10);
  EXPECT_EQ(open(table, "10.0.0.1", log).outcome, Outcome::kAdmitted);
  EXPECT_EQ(open(table, "10.0.0.1", log).outcome, Outcome::kAdmitted);
  EXPECT_EQ(open(table, "10.0.0.1", log).outcome, Outcome::kRefusedPerAddress);
  EXPECT_EQ(open(table, "10.0.0.2", log).outcome, Outcome::kAdmitted);
  table.remove(log[0].id);  // a slot of 10.0.0.1 frees when one of its connections closes
  EXPECT_EQ(open(table, "10.0.0.1", log).outcome, Outcome::kAdmitted);
  EXPECT_EQ(table.open(), 3u);
}

TEST(ConnectionTable, AtTheHostCapEvictsTheLeastRecentlyActiveIdleConnection) {
  ConnectionTable table(3, 0);
  std::vector<Opened> log;
  log.reserve(10);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(open(table, "10.0.0." + std::to_string(i), log).outcome, Outcome::kAdmitted);
  table.activity(log[0].id, true);  // the oldest is handling a request: not evictable
  table.activity(log[1].id, true);
  table.activity(log[1].id, false);  // answered: now the most recently active
  EXPECT_EQ(open(table, "10.0.0.9", log).outcome, Outcome::kAdmittedByEviction);
  EXPECT_FALSE(log[0].evicted);
  EXPECT_FALSE(log[1].evicted);
  EXPECT_TRUE(log[2].evicted);
  EXPECT_EQ(table.open(), 3u);
  table.remove(log[2].id);  // the evicted connection closing does not free a second slot
  EXPECT_EQ(table.open(), 3u);
}

TEST(ConnectionTable, RefusesWhenEveryConnectionIsBusy) {
  ConnectionTable table(2, 0);
  std::vector<Opened> log;
  log.reserve(10);
  open(table, "a", log);
  open(table, "b", log);
  table.activity(log[0].id, true);
  table.activity(log[1].id, true);
  EXPECT_EQ(open(table, "c", log).outcome, Outcome::kRefusedHostFull);
  EXPECT_FALSE(table.evict_idle());
}

TEST(ConnectionTable, EvictIdleFreesOneConnectionAtATimeAndEachOnlyOnce) {
  ConnectionTable table(0, 0);
  std::vector<Opened> log;
  log.reserve(10);
  open(table, "a", log);
  open(table, "b", log);
  EXPECT_TRUE(table.evict_idle());
  EXPECT_TRUE(log[0].evicted);
  EXPECT_FALSE(log[1].evicted);
  EXPECT_TRUE(table.evict_idle());
  EXPECT_TRUE(log[1].evicted);
  EXPECT_FALSE(table.evict_idle());
  EXPECT_EQ(table.open(), 0u);
}

}  // namespace
}  // namespace rifa::api
