#include <gtest/gtest.h>

#include "api_fixture.hpp"
#include "storage/repositories/audit_sealer.hpp"
#include "storage/repositories/audit_writer.hpp"
#include "storage/timestamps.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

class AuditTest : public ApiTest {
 protected:
  struct Row {
    std::string actor, action, entity, entity_id, data, occurred_at, prev_hash, hash, client_address;
    long long seq = 0;
  };
  std::vector<Row> rows() {
    std::vector<Row> out;
    auto lease = test_db_->db().lease();
    Row r;
    soci::indicator client_ind = soci::i_null;
    soci::statement st = (lease.session().prepare << "SELECT actor, action, entity, entity_id, data, occurred_at, "
                                                     "prev_hash, hash, seq, client_address FROM audit_log ORDER BY seq",
                          soci::into(r.actor), soci::into(r.action), soci::into(r.entity), soci::into(r.entity_id),
                          soci::into(r.data), soci::into(r.occurred_at), soci::into(r.prev_hash), soci::into(r.hash),
                          soci::into(r.seq), soci::into(r.client_address, client_ind));
    st.execute();
    while (st.fetch()) {
      if (client_ind != soci::i_ok) r.client_address.clear();
      out.push_back(r);
    }
    return out;
  }
};

TEST_F(AuditTest, RoleChangesDeactivationsAndRifaEditsFormOneHashChain) {
  auto jugador = register_jugador("audit@example.com");
  ASSERT_EQ(call("PATCH", "/api/v1/users/" + jugador.id, json{{"rol", "operador"}}, admin_.token).status, 200);
  ASSERT_EQ(call("PATCH", "/api/v1/users/" + jugador.id, json{{"nombre", "sin auditoría"}}, admin_.token).status, 200);
  const std::string rifa_id = create_rifa()["id"];
  ASSERT_EQ(call("PATCH", "/api/v1/rifas/" + rifa_id, json{{"nombre", "Renombrada"}}, admin_.token).status, 200);
  ASSERT_EQ(call("DELETE", "/api/v1/users/" + jugador.id, "", admin_.token).status, 204);

  // Written unsealed; the sealer chains them (the serving host does it every audit.seal_interval_ms).
  auto sealed = storage::seal_pending_audit(test_db_->db());
  ASSERT_TRUE(sealed.ok()) << sealed.error().message;
  EXPECT_EQ(sealed->sealed, 7);
  const auto log = rows();
  ASSERT_EQ(log.size(), 7u);
  // The fixture's admin was created through the CLI path: a privileged account is audited.
  EXPECT_EQ(log[0].action, "user.created");
  EXPECT_EQ(log[0].actor, "cli");
  // No personal data in the hashed payload (issue 15): the account is its entity_id.
  EXPECT_EQ(json::parse(log[0].data), (json{{"rol", "admin"}}));
  EXPECT_EQ(log[1].action, "user.role_changed");
  EXPECT_EQ(log[1].actor, admin_.id);
  EXPECT_EQ(log[1].entity, "users");
  EXPECT_EQ(log[1].entity_id, jugador.id);
  EXPECT_EQ(json::parse(log[1].data), (json{{"from", "jugador"}, {"to", "operador"}}));
  // create_rifa() makes its categoria and loteria first: catalog writes are audited too.
  EXPECT_EQ(log[2].action, "categoria.created");
  EXPECT_EQ(log[2].entity, "categoria_rifa");
  EXPECT_EQ(log[3].action, "loteria.created");
  EXPECT_EQ(log[3].entity, "loterias");
  EXPECT_EQ(log[4].action, "rifa.created");
  EXPECT_EQ(log[4].entity_id, rifa_id);
  EXPECT_EQ(json::parse(log[4].data)["total_boletas"], 100);
  EXPECT_EQ(json::parse(log[4].data)["precio"], 5000);
  EXPECT_EQ(log[5].action, "rifa.updated");
  EXPECT_EQ(json::parse(log[5].data), (json{{"nombre", {{"from", "Rifa de prueba"}, {"to", "Renombrada"}}}}));
  EXPECT_EQ(log[6].action, "user.deactivated");

  // hash = sha256(prev_hash + canonical row with its seq), starting from 64 zeros; each row points
  // at the last, and seq runs 1..7.
  std::string prev(64, '0');
  long long seq = 0;
  for (const auto& row : log) {
    EXPECT_EQ(row.seq, ++seq);
    EXPECT_EQ(row.prev_hash, prev);
    auto at = storage::parse_timestamp(row.occurred_at);
    ASSERT_TRUE(at.ok()) << row.occurred_at;
    // Written for requests over HTTP: each entry carries the client's address, covered by the hash;
    // the fixture's admin came through the CLI path, which has no client.
    EXPECT_EQ(row.client_address, row.actor == "cli" ? "" : "127.0.0.1") << row.action;
    storage::AuditRecord record{row.actor, row.action,        row.entity, row.entity_id, json::parse(row.data),
                                *at,       row.client_address};
    EXPECT_EQ(row.hash, storage::sealed_audit_hash(row.prev_hash, record, row.seq)) << row.action;
    prev = row.hash;
  }
}

TEST_F(AuditTest, CanonicalFormIsSortedCompactJson) {
  storage::AuditRecord record{"u1",
                              "rifa.created",
                              "rifas",
                              "r1",
                              json{{"b", 1}, {"a", "x"}},
                              *storage::parse_timestamp("2030-01-01T00:00:00.000Z")};
  EXPECT_EQ(storage::canonical_audit_json(record),
            R"({"action":"rifa.created","actor":"u1","data":{"a":"x","b":1},"entity":"rifas","entity_id":"r1",)"
            R"("occurred_at":"2030-01-01T00:00:00.000Z"})");
  EXPECT_EQ(storage::canonical_sealed_audit_json(record, 42),
            R"({"action":"rifa.created","actor":"u1","data":{"a":"x","b":1},"entity":"rifas","entity_id":"r1",)"
            R"("occurred_at":"2030-01-01T00:00:00.000Z","seq":42})");
}

}  // namespace
}  // namespace rifa::testing
