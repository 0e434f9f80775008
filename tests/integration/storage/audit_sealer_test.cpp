// The audit log's sealer (storage/repositories/audit_sealer.hpp) on a real database, both backends:
// rows chained before migration 0011 keep their hashes and the chain continues after them; a row
// that commits after a higher id was sealed joins the chain after the head (seq order, not id
// order); and two sealers with their own connections racing while writers insert leave one
// gap-free chain with no seq given twice.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "storage/migrations.hpp"
#include "storage/repositories/audit_chain_verifier.hpp"
#include "storage/repositories/audit_sealer.hpp"
#include "storage/repositories/audit_writer.hpp"
#include "storage/timestamps.hpp"
#include "test_database.hpp"

namespace rifa::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

storage::AuditRecord record(const std::string& action, int n) {
  return storage::AuditRecord{
      "tester",       action,
      "rifas",        std::string("r").append(std::to_string(n)),
      json{{"n", n}}, std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now())};
}

class AuditSealerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = TestDatabase::create_or_skip();
    if (!db_) GTEST_SKIP() << skip_reason();
  }

  bool pg() const { return db_->backend() == storage::Backend::kPostgresql; }

  long long count(const std::string& sql_text) {
    long long n = 0;
    auto lease = db_->db().lease();
    lease.session() << sql_text, soci::into(n);
    return n;
  }

  void append(storage::Database& db, const std::string& action, int n) {
    auto done =
        db.transaction([&](soci::session& sql) { storage::append_audit(sql, db.backend(), record(action, n)); });
    ASSERT_TRUE(done.ok()) << done.error().message;
  }

  storage::AuditChainReport verify() {
    auto report = storage::verify_audit_chain(db_->db());
    EXPECT_TRUE(report.ok()) << report.error().message;
    return report.ok() ? *report : storage::AuditChainReport{};
  }

  std::unique_ptr<TestDatabase> db_;
};

TEST_F(AuditSealerTest, RowsChainedBeforeSealingKeepTheirHashesAndTheChainGoesOn) {
  // The migrations up to 0010, then rows chained at insert as the writer did before 0011.
  const fs::path dir = fs::temp_directory_path() / ("rifa-audit-legacy-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const auto& entry : fs::directory_iterator(migrations_dir())) {
    const std::string name = entry.path().filename().string();
    if (name < "0011") fs::copy_file(entry.path(), dir / name);
  }
  {
    storage::MigrationRunner old(db_->db(), dir);
    auto applied = old.apply_all();
    ASSERT_TRUE(applied.ok()) << applied.error().message;
  }
  std::string prev = storage::kAuditGenesisHash;
  std::vector<std::string> legacy_hashes;
  for (int i = 0; i < 3; ++i) {
    const auto r = record("legacy", i);
    const std::string hash = storage::audit_hash(prev, r);
    const std::string at = storage::format_timestamp(r.occurred_at), data = r.data.dump();
    auto done = db_->db().transaction([&](soci::session& sql) {
      sql << "INSERT INTO audit_log (occurred_at, actor, action, entity, entity_id, data, prev_hash, hash) "
             "VALUES (:a, :b, :c, :d, :e, :f, :g, :h)",
          soci::use(at), soci::use(r.actor), soci::use(r.action), soci::use(r.entity), soci::use(r.entity_id),
          soci::use(data), soci::use(prev), soci::use(hash);
    });
    ASSERT_TRUE(done.ok()) << done.error().message;
    legacy_hashes.push_back(hash);
    prev = hash;
  }
  fs::remove_all(dir);
  ASSERT_TRUE(db_->migrate());  // 0011

  // The migration gave them seq in id order and left their hashes alone.
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE seq = id AND sealed_at IS NULL"), 3);
  auto before = verify();
  EXPECT_TRUE(before.intact()) << before.problem;
  EXPECT_EQ(before.entries, 3);
  EXPECT_EQ(before.head_hash, legacy_hashes.back());

  append(db_->db(), "new", 10);
  append(db_->db(), "new", 11);
  EXPECT_EQ(verify().pending, 2);
  auto sealed = storage::seal_pending_audit(db_->db());
  ASSERT_TRUE(sealed.ok()) << sealed.error().message;
  EXPECT_EQ(sealed->sealed, 2);
  EXPECT_EQ(sealed->head_seq, 5);
  auto after = verify();
  EXPECT_TRUE(after.intact()) << after.problem;
  EXPECT_EQ(after.entries, 5);
  EXPECT_EQ(after.pending, 0);
  std::string first_new_prev;
  {
    auto lease = db_->db().lease();
    lease.session() << "SELECT prev_hash FROM audit_log WHERE seq = 4", soci::into(first_new_prev);
  }
  EXPECT_EQ(first_new_prev, legacy_hashes.back()) << "the first sealed row points at the last legacy one";
}

TEST_F(AuditSealerTest, ARowThatCommitsLateJoinsTheChainAfterTheHead) {
  ASSERT_TRUE(db_->migrate());
  if (!pg()) GTEST_SKIP() << "SQLite has one writer at a time: ids commit in order there";
  auto other = db_->open(2);
  append(db_->db(), "first", 1);
  // A writer takes an id and holds its transaction open...
  auto late = other->lease();
  late.session() << "BEGIN";
  storage::append_audit(late.session(), storage::Backend::kPostgresql, record("late", 2));
  // ...while a later id commits and is sealed.
  append(db_->db(), "later", 3);
  auto round1 = storage::seal_pending_audit(db_->db());
  ASSERT_TRUE(round1.ok()) << round1.error().message;
  EXPECT_EQ(round1->sealed, 2) << "the uncommitted row is not seen";
  late.session() << "COMMIT";
  EXPECT_EQ(verify().pending, 1);
  auto round2 = storage::seal_pending_audit(db_->db());
  ASSERT_TRUE(round2.ok()) << round2.error().message;
  EXPECT_EQ(round2->sealed, 1);
  // Chain order is seq: the late row is the head although its id is lower than "later"'s.
  std::vector<std::string> actions(5);
  {
    auto lease = db_->db().lease();
    lease.session() << "SELECT action FROM audit_log ORDER BY seq", soci::into(actions);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"first", "later", "late"}));
  EXPECT_EQ(count("SELECT count(*) FROM audit_log a JOIN audit_log b ON a.id < b.id AND a.seq > b.seq"), 1);
  auto report = verify();
  EXPECT_TRUE(report.intact()) << report.problem;
  EXPECT_EQ(report.entries, 3);
}

TEST_F(AuditSealerTest, TwoSealersRacingWhileWritersInsertLeaveOneGapFreeChain) {
  ASSERT_TRUE(db_->migrate());
  // Each "host" has its own pool on the same database.
  auto host_a = db_->open(3);
  auto host_b = db_->open(3);
  constexpr int kWriters = 4;
  constexpr int kRowsEach = 150;
  std::atomic<bool> writing{true};
  std::atomic<int> errors{0};
  std::atomic<long long> sealed_a{0}, sealed_b{0}, busy{0};
  std::vector<std::string> error_text;
  std::mutex error_mutex;
  const auto sealer = [&](storage::Database& db, std::atomic<long long>& sealed) {
    while (writing.load()) {
      auto round = storage::seal_pending_audit(db, 40);
      if (!round) {
        ++errors;
        std::lock_guard lock(error_mutex);
        error_text.push_back(round.error().message);
        continue;
      }
      sealed += round->sealed;
      if (round->lock_busy) ++busy;
      // SQLite's busy handler is not fair: two sealers spinning on BEGIN IMMEDIATE would starve the
      // writers past busy_timeout. PostgreSQL sealers spin: the advisory lock is what is tested.
      if (!pg()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  };
  std::thread sa([&] { sealer(*host_a, sealed_a); });
  std::thread sb([&] { sealer(*host_b, sealed_b); });
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      storage::Database& db = w % 2 == 0 ? *host_a : *host_b;
      std::string action = "w";
      action += std::to_string(w);
      for (int i = 0; i < kRowsEach; ++i) {
        auto done =
            db.transaction([&](soci::session& sql) { storage::append_audit(sql, db.backend(), record(action, i)); });
        if (!done) ++errors;
      }
    });
  }
  for (auto& t : writers) t.join();
  writing = false;
  sa.join();
  sb.join();
  auto last = storage::seal_pending_audit(db_->db());
  ASSERT_TRUE(last.ok()) << last.error().message;
  EXPECT_EQ(errors.load(), 0) << (error_text.empty() ? "" : error_text.front());
  const long long total = kWriters * kRowsEach;
  EXPECT_EQ(sealed_a + sealed_b + last->sealed, total);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE seq IS NOT NULL"), total);
  EXPECT_EQ(count("SELECT count(DISTINCT seq) FROM audit_log"), total) << "no seq given twice";
  EXPECT_EQ(count("SELECT max(seq) FROM audit_log"), total) << "no gap";
  EXPECT_EQ(count("SELECT min(seq) FROM audit_log"), 1);
  auto report = verify();
  EXPECT_TRUE(report.intact()) << report.problem;
  EXPECT_EQ(report.entries, total);
  EXPECT_EQ(report.pending, 0);
  std::printf("[ figures ] %s: %lld rows, sealer A sealed %lld, sealer B %lld, rounds that found the lock taken %lld\n",
              db_->backend_name(), total, sealed_a.load(), sealed_b.load(), busy.load());
}

TEST_F(AuditSealerTest, PendingRowsAreCountedWithTheAgeOfTheOldest) {
  ASSERT_TRUE(db_->migrate());
  auto none = storage::pending_audit(db_->db());
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_EQ(none->count, 0);
  EXPECT_EQ(none->oldest_age_s, 0);
  append(db_->db(), "a", 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  append(db_->db(), "b", 2);
  auto two = storage::pending_audit(db_->db());
  ASSERT_TRUE(two.ok()) << two.error().message;
  EXPECT_EQ(two->count, 2);
  EXPECT_GE(two->oldest_age_s, 0.25);
  ASSERT_TRUE(storage::seal_pending_audit(db_->db()).ok());
  auto after = storage::pending_audit(db_->db());
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->count, 0);
}

}  // namespace
}  // namespace rifa::testing
