// The live feed's outbox on PostgreSQL (migration 0025, storage/live_outbox_relay.hpp): a change
// written by a transaction is not NOTIFYed by it (a NOTIFYing commit takes the cluster-wide lock
// that serialised every purchase behind every other one's fsync) but waits in live_outbox until a
// relay sends it; equal payloads committed separately are all delivered (NOTIFY folds equal
// payloads of one transaction); and two relays racing on their own connections while a writer
// commits send every change exactly once, in commit order. SQLite has no NOTIFY: skipped there.
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <nlohmann/json.hpp>
#include <poll.h>

#include "storage/live_outbox_relay.hpp"
#include "storage/migrations.hpp"
#include "test_database.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

// A LISTEN rifa_live connection of its own; received() collects what arrived within `wait`.
class Listener {
 public:
  explicit Listener(const storage::DatabaseUrl& url) {
    std::string conninfo = url.connect_string;
    const std::string prefix = "postgresql://";
    if (conninfo.rfind(prefix, 0) == 0) conninfo.erase(0, prefix.size());
    conn_ = PQconnectdb(conninfo.c_str());
    EXPECT_EQ(PQstatus(conn_), CONNECTION_OK) << PQerrorMessage(conn_);
    PQclear(PQexec(conn_, "LISTEN rifa_live"));
  }
  ~Listener() { PQfinish(conn_); }

  std::vector<json> received(std::chrono::milliseconds wait, std::size_t enough = SIZE_MAX) {
    std::vector<json> out;
    const auto until = std::chrono::steady_clock::now() + wait;
    while (out.size() < enough && std::chrono::steady_clock::now() < until) {
      pollfd p{PQsocket(conn_), POLLIN, 0};
      poll(&p, 1, 20);
      PQconsumeInput(conn_);
      while (PGnotify* n = PQnotifies(conn_)) {
        out.push_back(json::parse(n->extra));
        PQfreemem(n);
      }
    }
    return out;
  }

 private:
  PGconn* conn_ = nullptr;
};

class LiveOutboxRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = TestDatabase::create_or_skip();
    if (!db_) GTEST_SKIP() << skip_reason();
    if (db_->backend() != storage::Backend::kPostgresql) {
      GTEST_SKIP() << "PostgreSQL only: SQLite has no NOTIFY (its live capture is in-process)";
    }
    ASSERT_TRUE(db_->migrate());
  }

  // One committed transaction that announces `payload` as the live triggers do.
  void announce(storage::Database& db, const json& payload) {
    auto done = db.transaction([&](soci::session& sql) {
      const std::string text = payload.dump(), rifa = payload.value("r", "");
      sql << "SELECT rifa_live_notify(:p, :r)", soci::use(text), soci::use(rifa);
    });
    ASSERT_TRUE(done.ok()) << done.error().message;
  }

  long long outbox_rows() {
    long long n = 0;
    auto lease = db_->db().lease();
    lease.session() << "SELECT count(*) FROM live_outbox", soci::into(n);
    return n;
  }

  std::unique_ptr<TestDatabase> db_;
};

TEST_F(LiveOutboxRelayTest, AChangeWaitsInTheOutboxUntilTheRelaySendsIt) {
  Listener listener(db_->parsed_url());
  announce(db_->db(), {{"k", "t"}, {"r", "rifa-1"}, {"e", "vendido"}, {"n", {7}}});
  EXPECT_TRUE(listener.received(std::chrono::milliseconds(300)).empty())
      << "the writer's own commit must not NOTIFY (it would take the cluster-wide notify lock)";
  EXPECT_EQ(outbox_rows(), 1);

  auto sent = storage::relay_live_outbox(db_->db());
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  EXPECT_EQ(*sent, 1);
  auto got = listener.received(std::chrono::seconds(5), 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["k"], "t");
  EXPECT_EQ(got[0]["r"], "rifa-1");
  EXPECT_EQ(got[0]["e"], "vendido");
  EXPECT_EQ(got[0]["n"], json::array({7}));
  EXPECT_TRUE(got[0]["q"].is_number_integer());
  EXPECT_EQ(outbox_rows(), 0);
  auto again = storage::relay_live_outbox(db_->db());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

TEST_F(LiveOutboxRelayTest, EqualPayloadsCommittedApartAreAllDeliveredInOrder) {
  Listener listener(db_->parsed_url());
  const json held = {{"k", "t"}, {"r", "rifa-1"}, {"e", "reservado"}, {"u", "u1"}, {"n", {3}}, {"ts", 1}};
  const json freed = {{"k", "t"}, {"r", "rifa-1"}, {"e", "disponible"}, {"u", "u1"}, {"n", {3}}, {"ts", 1}};
  announce(db_->db(), held);
  announce(db_->db(), freed);
  announce(db_->db(), held);
  auto sent = storage::relay_live_outbox(db_->db());
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  EXPECT_EQ(*sent, 3);
  auto got = listener.received(std::chrono::seconds(5), 3);
  ASSERT_EQ(got.size(), 3u) << "one relay transaction sends all three, none folded into another";
  EXPECT_EQ(got[0]["e"], "reservado");
  EXPECT_EQ(got[1]["e"], "disponible");
  EXPECT_EQ(got[2]["e"], "reservado");
  EXPECT_LT(got[0]["q"].get<long long>(), got[1]["q"].get<long long>());
  EXPECT_LT(got[1]["q"].get<long long>(), got[2]["q"].get<long long>());
}

TEST_F(LiveOutboxRelayTest, TwoRelayLoopsRacingWhileAWriterCommitsSendEachChangeOnceInCommitOrder) {
  constexpr int kChanges = 400;
  Listener listener(db_->parsed_url());
  auto pool_a = db_->open(2), pool_b = db_->open(2), writer = db_->open(1);
  std::vector<std::string> errors;
  std::mutex errors_mutex;
  const auto on_error = [&](const std::string& e) {
    std::lock_guard lock(errors_mutex);
    errors.push_back(e);
  };
  // Each loop relays every interval (1 ms) whatever its own pool wrote: they race all the time.
  storage::LiveOutboxRelay a(*pool_a, {std::chrono::milliseconds(1), std::chrono::milliseconds(1), on_error});
  storage::LiveOutboxRelay b(*pool_b, {std::chrono::milliseconds(1), std::chrono::milliseconds(1), on_error});
  a.start();
  b.start();
  for (int i = 0; i < kChanges; ++i) announce(*writer, {{"k", "t"}, {"r", "rifa-1"}, {"e", "vendido"}, {"n", {i}}});
  auto got = listener.received(std::chrono::seconds(30), kChanges);
  a.stop();
  b.stop();
  auto late = listener.received(std::chrono::milliseconds(300));  // nothing more may come
  EXPECT_TRUE(late.empty()) << late.size() << " change(s) sent twice";
  EXPECT_TRUE(errors.empty()) << errors.front();
  ASSERT_EQ(got.size(), static_cast<std::size_t>(kChanges));
  for (int i = 0; i < kChanges; ++i) EXPECT_EQ(got[i]["n"][0], i) << "at " << i;
  EXPECT_EQ(outbox_rows(), 0);
}

}  // namespace
}  // namespace rifa::testing
