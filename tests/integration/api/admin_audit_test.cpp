// GET /admin/audit and `rifa-host audit verify`: the log pages and filters for admins only, and
// any edited, deleted or reordered entry makes the real command fail naming that entry.
#include <cstdio>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "api_fixture.hpp"
#include "storage/repositories/audit_chain_verifier.hpp"
#include "storage/repositories/audit_sealer.hpp"
#include "storage/repositories/audit_writer.hpp"
#include "storage/timestamps.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

struct HostRun {
  int exit_code = -1;
  std::string output;
};

class AdminAuditTest : public ApiTest {
 protected:
  // A few audited actions through the API: user.created (fixture admin), categoria.created and
  // loteria.created (the fixture's), rifa.created x2, rifa.updated, user.role_changed.
  void make_history() {
    rifa_a_ = create_rifa({{"nombre", "A"}})["id"];
    rifa_b_ = create_rifa({{"nombre", "B"}})["id"];
    ASSERT_EQ(call("PATCH", "/api/v1/rifas/" + rifa_a_, json{{"nombre", "A2"}}, admin_.token).status, 200);
    auto jugador = register_jugador("j@example.com");
    ASSERT_EQ(call("PATCH", "/api/v1/users/" + jugador.id, json{{"rol", "operador"}}, admin_.token).status, 200);
    if (seal_history_) EXPECT_EQ(seal(), 7);
  }
  bool seal_history_ = true;

  // What the serving host's sealer does every audit.seal_interval_ms, now.
  long long seal() {
    auto sealed = storage::seal_pending_audit(test_db_->db());
    EXPECT_TRUE(sealed.ok()) << sealed.error().message;
    return sealed.ok() ? sealed->sealed : -1;
  }

  std::vector<long long> ids() {
    std::vector<long long> out;
    auto lease = test_db_->db().lease();
    long long id = 0;
    soci::statement st = (lease.session().prepare << "SELECT id FROM audit_log ORDER BY id", soci::into(id));
    st.execute();
    while (st.fetch()) out.push_back(id);
    return out;
  }

  // Lifts the append-only triggers, as someone with direct database access would.
  void allow_tampering() {
    if (test_db_->backend() == storage::Backend::kPostgresql) {
      exec("ALTER TABLE audit_log DISABLE TRIGGER USER");
    } else {
      exec("DROP TRIGGER audit_log_no_update");
      exec("DROP TRIGGER audit_log_no_delete");
    }
  }

  // The real command, in its own process, on this test's database.
  HostRun audit_verify() {
    if (config_.empty()) {
      config_ = (dir_.path() / "rifa.yaml").string();
      std::ofstream(config_) << "database:\n  url: \"" << test_db_->url() << "\"\n  migrate_on_start: false\n"
                             << "plugins:\n  instances:\n"
                             << "    mock: {library: lottery_mock, kind: lottery}\n"
                             << "    sandbox: {library: payment_sandbox, kind: payment}\n"
                             << "bindings:\n  defaults: {lottery: mock, payment: sandbox, notifiers: []}\n";
    }
    HostRun out;
    const std::string command =
        "cd '" + dir_.path().string() + "' && " RIFA_HOST_BINARY " --config '" + config_ + "' audit verify 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return out;
    char buffer[512];
    while (fgets(buffer, sizeof buffer, pipe)) out.output += buffer;
    const int status = pclose(pipe);
    out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
  }

  std::string rifa_a_, rifa_b_;
  TempDir dir_;
  std::string config_;
};

TEST_F(AdminAuditTest, AdminPagesTheLogNewestFirstWithFilters) {
  make_history();
  auto all = call("GET", "/api/v1/admin/audit?per_page=2", "", admin_.token);
  ASSERT_EQ(all.status, 200) << all.body;
  const auto page1 = all.json();
  EXPECT_EQ(page1["total"], 7);
  EXPECT_EQ(page1["per_page"], 2);
  ASSERT_EQ(page1["items"].size(), 2u);
  EXPECT_EQ(page1["items"][0]["action"], "user.role_changed");
  EXPECT_EQ(page1["items"][1]["action"], "rifa.updated");
  EXPECT_GT(page1["items"][0]["id"].get<long long>(), page1["items"][1]["id"].get<long long>());
  // Each entry shows its link in the chain, sealed in id order here (every row had committed).
  EXPECT_EQ(page1["items"][0]["prev_hash"], page1["items"][1]["hash"]);
  EXPECT_EQ(page1["items"][0]["state"], "sealed");
  EXPECT_EQ(page1["items"][0]["seq"], 7);
  EXPECT_EQ(page1["items"][1]["seq"], 6);
  EXPECT_TRUE(page1["items"][0]["sealed_at"].is_string());
  EXPECT_EQ(
      page1["chain"],
      (json{{"head_seq", 7}, {"head_hash", page1["items"][0]["hash"]}, {"pending", 0}, {"oldest_pending_age_s", 0}}));
  const auto page4 = call("GET", "/api/v1/admin/audit?per_page=2&page=4", "", admin_.token).json();
  ASSERT_EQ(page4["items"].size(), 1u);
  EXPECT_EQ(page4["items"][0]["action"], "user.created");
  EXPECT_EQ(page4["items"][0]["prev_hash"], std::string(64, '0'));

  const auto created = call("GET", "/api/v1/admin/audit?action=rifa.created", "", admin_.token).json();
  EXPECT_EQ(created["total"], 2);
  const auto of_a = call("GET", "/api/v1/admin/audit?entity=rifas&entity_id=" + rifa_a_, "", admin_.token).json();
  ASSERT_EQ(of_a["total"], 2);
  EXPECT_EQ(of_a["items"][0]["action"], "rifa.updated");
  EXPECT_EQ(of_a["items"][0]["data"], (json{{"nombre", {{"from", "A"}, {"to", "A2"}}}}));
  EXPECT_EQ(of_a["items"][1]["action"], "rifa.created");
  const auto none = call("GET", "/api/v1/admin/audit?entity=users&action=rifa.created", "", admin_.token).json();
  EXPECT_EQ(none["total"], 0);
  EXPECT_TRUE(none["items"].empty());
  // By actor: exactly the admin's entries (the rifas, the rename, the role change at least).
  const auto everything = call("GET", "/api/v1/admin/audit?per_page=100", "", admin_.token).json();
  long long by_admin = 0;
  for (const auto& e : everything["items"]) by_admin += e["actor"] == admin_.id ? 1 : 0;
  EXPECT_GE(by_admin, 4);
  const auto of_admin = call("GET", "/api/v1/admin/audit?per_page=100&actor=" + admin_.id, "", admin_.token).json();
  EXPECT_EQ(of_admin["total"], by_admin);
  for (const auto& e : of_admin["items"]) EXPECT_EQ(e["actor"], admin_.id) << e.dump();
  const auto admin_rifas =
      call("GET", "/api/v1/admin/audit?action=rifa.created&actor=" + admin_.id, "", admin_.token).json();
  EXPECT_EQ(admin_rifas["total"], 2);
  EXPECT_EQ(call("GET", "/api/v1/admin/audit?actor=nobody", "", admin_.token).json()["total"], 0);
  // SQL metacharacters are values, never SQL.
  EXPECT_EQ(call("GET", "/api/v1/admin/audit?entity=x'%20OR%20'1'='1", "", admin_.token).json()["total"], 0);
}

TEST_F(AdminAuditTest, EntriesWaitPendingUntilSealedAndTheLogShowsBothStates) {
  seal_history_ = false;
  make_history();
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  const auto pending = call("GET", "/api/v1/admin/audit?per_page=100", "", admin_.token);
  ASSERT_EQ(pending.status, 200) << pending.body;
  const auto before = pending.json();
  ASSERT_EQ(before["items"].size(), 7u);
  for (const auto& item : before["items"]) {
    EXPECT_EQ(item["state"], "pending") << item;
    EXPECT_TRUE(item["seq"].is_null()) << item;
    EXPECT_TRUE(item["hash"].is_null()) << item;
    EXPECT_TRUE(item["prev_hash"].is_null()) << item;
  }
  EXPECT_EQ(before["chain"]["pending"], 7);
  EXPECT_EQ(before["chain"]["head_seq"], 0);
  EXPECT_EQ(before["chain"]["head_hash"], std::string(64, '0'));
  EXPECT_GE(before["chain"]["oldest_pending_age_s"].get<double>(), 0.1);
  // The command counts them and verifies the (empty) sealed chain.
  auto run = audit_verify();
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("audit log OK: 0 entries"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("7 entries waiting to be sealed, the oldest for "), std::string::npos) << run.output;

  EXPECT_EQ(seal(), 7);
  const auto after = call("GET", "/api/v1/admin/audit?per_page=100", "", admin_.token).json();
  ASSERT_EQ(after["items"].size(), 7u);
  long long seq = 7;
  for (const auto& item : after["items"]) {
    EXPECT_EQ(item["state"], "sealed") << item;
    EXPECT_EQ(item["seq"], seq--) << item;
  }
  EXPECT_EQ(after["chain"]["pending"], 0);
  EXPECT_EQ(after["chain"]["head_seq"], 7);
  EXPECT_EQ(after["chain"]["head_hash"], after["items"][0]["hash"]);
  EXPECT_EQ(seal(), 0) << "sealing twice seals nothing more";
}

TEST_F(AdminAuditTest, ASealedEntryCannotBeChangedWhileTriggersStand) {
  make_history();
  const auto log = ids();
  // The only update the triggers allow is the sealer's, on an entry that has no chain fields.
  for (const std::string& set : {std::string("actor = 'mallory'"), std::string("seq = 99"), std::string("hash = 'x'"),
                                 std::string("sealed_at = NULL")}) {
    auto r = test_db_->db().execute("UPDATE audit_log SET " + set + " WHERE id = " + std::to_string(log[3]));
    EXPECT_FALSE(r.ok()) << set;
  }
  EXPECT_FALSE(test_db_->db().execute("DELETE FROM audit_log WHERE id = " + std::to_string(log[3])).ok());
  auto report = storage::verify_audit_chain(test_db_->db());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->intact()) << report->problem;
}

TEST_F(AdminAuditTest, AuditVerifyCatchesAMovedSeq) {
  // Renumbering entries (a gap where one was, or a seq moved) is caught: seq is in the hash.
  make_history();
  const auto log = ids();
  allow_tampering();
  exec("UPDATE audit_log SET seq = seq + 100 WHERE id = " + std::to_string(log[6]));
  auto report = storage::verify_audit_chain(test_db_->db());
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_FALSE(report->intact());
  EXPECT_EQ(*report->broken_entry_id, log[6]);
  EXPECT_NE(report->problem.find("seq 107 follows seq 6"), std::string::npos) << report->problem;
}

TEST_F(AdminAuditTest, OnlyAdminsReadTheLogAndBadParametersAreNamed) {
  auto op = make_user("op@example.com", engine::Rol::kOperador);
  auto jugador = register_jugador("j2@example.com");
  expect_problem(call("GET", "/api/v1/admin/audit"), 401);
  expect_problem(call("GET", "/api/v1/admin/audit", "", jugador.token), 403);
  expect_problem(call("GET", "/api/v1/admin/audit", "", op.token), 403);
  expect_problem(call("GET", "/api/v1/admin/audit?entity=", "", admin_.token), 422, "entity");
  expect_problem(call("GET", "/api/v1/admin/audit?action=" + std::string(201, 'a'), "", admin_.token), 422, "action");
  expect_problem(call("GET", "/api/v1/admin/audit?per_page=0", "", admin_.token), 422, "per_page");
}

TEST_F(AdminAuditTest, AuditVerifyPassesOnAnUntouchedLog) {
  make_history();
  auto run = audit_verify();
  EXPECT_EQ(run.exit_code, 0) << run.output;
  auto report = storage::verify_audit_chain(test_db_->db());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->intact());
  EXPECT_EQ(report->entries, 7);
  EXPECT_EQ(run.output,
            "audit log OK: 7 entries, head hash " + report->head_hash + "\n0 entries waiting to be sealed\n");
}

TEST_F(AdminAuditTest, AuditVerifyNamesAnEditedEntry) {
  make_history();
  const auto log = ids();
  ASSERT_EQ(log.size(), 7u);
  allow_tampering();
  // Someone rewrites who renamed the rifa; the hashes are left as they were.
  exec("UPDATE audit_log SET actor = 'someone-else' WHERE id = " + std::to_string(log[5]));
  auto run = audit_verify();
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("audit log BROKEN at entry " + std::to_string(log[5]) + ": stored hash "),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("does not match its content"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("(5 entries before it verified)"), std::string::npos) << run.output;
}

TEST_F(AdminAuditTest, AuditVerifyNamesAnEntryWhoseDataWasEdited) {
  make_history();
  const auto log = ids();
  allow_tampering();
  exec("UPDATE audit_log SET data = '{\"nombre\":{\"from\":\"A\",\"to\":\"Z\"}}' WHERE id = " + std::to_string(log[2]));
  auto run = audit_verify();
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("BROKEN at entry " + std::to_string(log[2]) + ":"), std::string::npos) << run.output;
}

TEST_F(AdminAuditTest, AuditVerifyNamesTheEntryAfterADeletedOne) {
  make_history();
  const auto log = ids();
  allow_tampering();
  exec("DELETE FROM audit_log WHERE id = " + std::to_string(log[1]));
  auto run = audit_verify();
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("BROKEN at entry " + std::to_string(log[2]) + ": prev_hash "), std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("an entry before it was deleted"), std::string::npos) << run.output;
}

TEST_F(AdminAuditTest, AuditVerifyCatchesAnEditThatRecomputedItsOwnHash) {
  // A careful forger recomputes the edited row's hash: the next row no longer points at it.
  make_history();
  const auto log = ids();
  allow_tampering();
  storage::AuditRecord forged;
  std::string data, occurred_at, prev_hash;
  long long seq = 0;
  soci::indicator client_ind = soci::i_null;
  {
    auto lease = test_db_->db().lease();
    const bool pg = test_db_->backend() == storage::Backend::kPostgresql;
    lease.session() << std::string("SELECT action, entity, entity_id, ") + (pg ? "data::text" : "data") +
                           ", occurred_at, prev_hash, seq, client_address FROM audit_log WHERE id = :id",
        soci::use(log[1]), soci::into(forged.action), soci::into(forged.entity), soci::into(forged.entity_id),
        soci::into(data), soci::into(occurred_at), soci::into(prev_hash), soci::into(seq),
        soci::into(forged.client_address, client_ind);
    if (client_ind != soci::i_ok) forged.client_address.clear();
  }
  forged.actor = "forger";
  forged.data = json::parse(data);
  forged.occurred_at = *storage::parse_timestamp(occurred_at);
  exec("UPDATE audit_log SET actor = 'forger', hash = '" + storage::sealed_audit_hash(prev_hash, forged, seq) +
       "' WHERE id = " + std::to_string(log[1]));
  auto report = storage::verify_audit_chain(test_db_->db());
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_FALSE(report->intact());
  EXPECT_EQ(*report->broken_entry_id, log[2]) << report->problem;
  EXPECT_NE(report->problem.find("does not match the previous entry's hash"), std::string::npos) << report->problem;
}

TEST_F(AdminAuditTest, AuditVerifyCatchesReorderedEntries) {
  make_history();
  const auto log = ids();
  allow_tampering();
  // Swap two whole entries, hashes included (ids are identity columns, so every other column moves).
  const std::string a = std::to_string(log[1]), b = std::to_string(log[2]);
  exec("CREATE TABLE audit_copy AS SELECT * FROM audit_log WHERE id IN (" + a + ", " + b + ")");
  exec("UPDATE audit_log SET prev_hash = 'moving-prev', hash = 'moving-hash' WHERE id = " + a);
  const auto copy_from = [&](const std::string& to, const std::string& from) {
    std::string set;
    for (const char* column : {"occurred_at", "actor", "action", "entity", "entity_id", "data", "prev_hash", "hash"}) {
      set += std::string(set.empty() ? "" : ", ") + column + " = (SELECT " + column +
             " FROM audit_copy WHERE id = " + from + ")";
    }
    exec("UPDATE audit_log SET " + set + " WHERE id = " + to);
  };
  copy_from(b, a);
  copy_from(a, b);
  auto run = audit_verify();
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("BROKEN at entry " + a + ": prev_hash "), std::string::npos) << run.output;
}

TEST_F(AdminAuditTest, AuditVerifyNamesAMissingFirstEntry) {
  make_history();
  const auto log = ids();
  allow_tampering();
  exec("DELETE FROM audit_log WHERE id = " + std::to_string(log[0]));
  auto report = storage::verify_audit_chain(test_db_->db());
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_FALSE(report->intact());
  EXPECT_EQ(*report->broken_entry_id, log[1]);
  EXPECT_NE(report->problem.find("is not the genesis hash"), std::string::npos) << report->problem;
}

}  // namespace
}  // namespace rifa::testing
