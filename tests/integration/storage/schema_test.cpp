// Every constraint of migrations/0001_initial.* rejects what it should, on both backends. Each bad
// row is next to a good one, so a rejection cannot come from something else being broken.
#include <gtest/gtest.h>

#include "storage/timestamps.hpp"
#include "test_database.hpp"

namespace rifa::testing {
namespace {

class Schema : public ::testing::Test {
 protected:
  void SetUp() override {
    test_db_ = TestDatabase::create_or_skip();
    if (!test_db_) GTEST_SKIP() << skip_reason();
    ASSERT_TRUE(test_db_->migrate());
    accept("INSERT INTO users (id, nombre, email, hashed_password) VALUES ('u1', 'Ana Gómez', 'Ana@Example.com', 'x')");
    accept(
        "INSERT INTO categoria_rifa (id, nombre, color, valor_boleta, rake_bp) VALUES ('c1', 'Bronce', '#CD7F32', "
        "200000, 2500)");
    accept(
        "INSERT INTO loterias (id, nombre, frecuencia, meta, plugin_instance) VALUES ('l1', 'Lotería Mock', 'diaria', "
        "'{\"cifras\":4}', 'mock')");
    accept(rifa("r1", "activa"));
    accept(
        "INSERT INTO transacciones (id, user_id, rifa_id, amount, provider, provider_ref) VALUES ('t1', 'u1', 'r1', "
        "200000, 'sandbox', 'ref-1')");
    accept("INSERT INTO tickets (id, rifa_id, numero, precio) VALUES ('k0', 'r1', 0, 200000)");
  }

  static std::string rifa(const std::string& id, const std::string& estado, const std::string& extra_cols = "",
                          const std::string& extra_vals = "", const std::string& reglas = "{\"tiers\":[]}") {
    return "INSERT INTO rifas (id, nombre, categoria_id, loteria_id, fecha_inicio, fecha_fin, estado, reglas" +
           extra_cols + ") VALUES ('" + id + "', 'Rifa Moto', 'c1', 'l1', '2025-01-01T00:00:00.000Z', " +
           "'2025-01-15T00:00:00.000Z', '" + estado + "', '" + reglas + "'" + extra_vals + ")";
  }

  void accept(const std::string& sql) {
    auto r = test_db_->db().execute(sql);
    ASSERT_TRUE(r.ok()) << sql << "\n" << r.error().message;
  }

  void reject(const std::string& sql, const std::string& why) {
    auto r = test_db_->db().execute(sql);
    ASSERT_FALSE(r.ok()) << why << ": accepted " << sql;
    EXPECT_EQ(r.error().code, ErrorCode::kDatabase) << why;
  }

  std::unique_ptr<TestDatabase> test_db_;
};

TEST_F(Schema, TicketNumbersAreUniquePerRifa) {
  reject("INSERT INTO tickets (id, rifa_id, numero, precio) VALUES ('k0b', 'r1', 0, 200000)", "duplicate number");
  accept(rifa("r2", "activa"));
  accept("INSERT INTO tickets (id, rifa_id, numero, precio) VALUES ('k0c', 'r2', 0, 200000)");
  reject("INSERT INTO tickets (id, rifa_id, numero, precio) VALUES ('kneg', 'r1', -1, 200000)", "negative number");
}

TEST_F(Schema, MoneyIsNeverNegative) {
  reject("INSERT INTO tickets (id, rifa_id, numero, precio) VALUES ('k1', 'r1', 1, -1)", "ticket price");
  accept("INSERT INTO tickets (id, rifa_id, numero, precio) VALUES ('k1', 'r1', 1, 0)");
  reject("INSERT INTO categoria_rifa (id, nombre, valor_boleta) VALUES ('c2', 'Plata', -500)", "valor_boleta");
  reject("INSERT INTO categoria_rifa (id, nombre, valor_boleta, fondo_premios) VALUES ('c2', 'Plata', 1, -1)",
         "fondo_premios");
  reject("INSERT INTO transacciones (id, user_id, amount, provider) VALUES ('t2', 'u1', -100, 'sandbox')", "amount");
  reject("INSERT INTO ganadores (id, ticket_id, monto_ganado) VALUES ('g1', 'k0', -1)", "monto_ganado");
  accept("INSERT INTO ganadores (id, ticket_id, monto_ganado) VALUES ('g1', 'k0', 15000000)");
  reject("INSERT INTO ganadores (id, ticket_id, monto_ganado) VALUES ('g2', 'k0', 1)", "same ticket and tier twice");
  // Issue 15 (migration 0016): gross = withheld + net, none negative.
  reject(
      "INSERT INTO ganadores (id, ticket_id, tier, monto_ganado, monto_bruto, retencion, monto_neto) "
      "VALUES ('g3', 'k0', 1, 300000000, 300000000, 60000000, 240000001)",
      "gross != withheld + net");
  reject(
      "INSERT INTO ganadores (id, ticket_id, tier, monto_ganado, monto_bruto, retencion, monto_neto) "
      "VALUES ('g3', 'k0', 1, 300000000, 300000000, -1, 300000001)",
      "negative withholding");
  accept(
      "INSERT INTO ganadores (id, ticket_id, tier, monto_ganado, monto_bruto, retencion, monto_neto) "
      "VALUES ('g3', 'k0', 1, 300000000, 300000000, 60000000, 240000000)");
}

TEST_F(Schema, RakeIsBasisPointsBetweenZeroAndTenThousand) {
  reject("INSERT INTO categoria_rifa (id, nombre, valor_boleta, rake_bp) VALUES ('c2', 'Plata', 1, 10001)", "> 100%");
  reject("INSERT INTO categoria_rifa (id, nombre, valor_boleta, rake_bp) VALUES ('c2', 'Plata', 1, -1)", "< 0");
  accept("INSERT INTO categoria_rifa (id, nombre, valor_boleta, rake_bp) VALUES ('c2', 'Plata', 1, 10000)");
  reject("INSERT INTO categoria_rifa (id, nombre, valor_boleta) VALUES ('c3', 'Plata', 1)", "duplicate nombre");
}

TEST_F(Schema, EnumsAcceptOnlyTheirValues) {
  reject("INSERT INTO users (id, nombre, email, hashed_password, rol) VALUES ('u2', 'B', 'b@x.co', 'x', 'superuser')",
         "rol");
  accept("INSERT INTO users (id, nombre, email, hashed_password, rol) VALUES ('u2', 'B', 'b@x.co', 'x', 'operador')");
  reject(rifa("r2", "abierta"), "rifas.estado");
  accept(rifa("r2", "resuelta"));
  reject(rifa("r3", "activa", ", assignment", ", 'lottery'"), "rifas.assignment");
  reject("INSERT INTO tickets (id, rifa_id, numero, precio, estado) VALUES ('k1', 'r1', 1, 1, 'perdido')",
         "tickets.estado");
  accept("INSERT INTO tickets (id, rifa_id, numero, precio, estado) VALUES ('k1', 'r1', 1, 1, 'anulado')");
  reject("INSERT INTO transacciones (id, user_id, amount, provider, status) VALUES ('t2', 'u1', 1, 'sandbox', 'done')",
         "transacciones.status");
  reject("INSERT INTO jobs (id, kind, status, run_at) VALUES ('j1', 'close', 'waiting', '2025-01-01T00:00:00.000Z')",
         "jobs.status");
  accept("INSERT INTO jobs (id, kind, status, run_at) VALUES ('j1', 'close', 'dead', '2025-01-01T00:00:00.000Z')");
  reject(
      "INSERT INTO idempotency_keys (key, user_id, request_hash, status, expires_at) VALUES ('k', 'u1', 'h', "
      "'pending', '2025-01-01T00:00:00.000Z')",
      "idempotency_keys.status");
}

TEST_F(Schema, AHeldTicketNeedsItsExpiry) {
  reject("INSERT INTO tickets (id, rifa_id, numero, precio, estado) VALUES ('k1', 'r1', 1, 1, 'reservado')",
         "reservado without hold_expires_at");
  accept(
      "INSERT INTO tickets (id, rifa_id, numero, precio, estado, usuario_id, hold_expires_at) VALUES ('k1', 'r1', 1, "
      "1, 'reservado', 'u1', '2025-01-02T00:00:00.000Z')");
}

TEST_F(Schema, ForeignKeysAreEnforced) {
  reject("INSERT INTO tickets (id, rifa_id, numero, precio) VALUES ('k1', 'nope', 1, 1)", "tickets.rifa_id");
  reject("INSERT INTO tickets (id, rifa_id, numero, precio, usuario_id) VALUES ('k1', 'r1', 1, 1, 'ghost')",
         "tickets.usuario_id");
  reject("INSERT INTO tickets (id, rifa_id, numero, precio, transaccion_id) VALUES ('k1', 'r1', 1, 1, 'ghost')",
         "tickets.transaccion_id");
  reject(
      "INSERT INTO rifas (id, nombre, categoria_id, loteria_id, fecha_inicio, fecha_fin) VALUES ('r9', 'X', "
      "'ghost', 'l1', '2025-01-01T00:00:00.000Z', '2025-01-02T00:00:00.000Z')",
      "rifas.categoria_id");
  reject("INSERT INTO ganadores (id, ticket_id, monto_ganado) VALUES ('g1', 'ghost', 1)", "ganadores.ticket_id");
  // tickets.rifa_id on PostgreSQL is checked per statement (migration 0012), the same rule.
  accept("INSERT INTO tickets (id, rifa_id, numero, precio) VALUES ('k30', 'r1', 30, 1)");
  reject("UPDATE tickets SET rifa_id = 'nope' WHERE id = 'k30'", "tickets.rifa_id moved to no rifa");
  reject(
      "INSERT INTO tickets (id, rifa_id, numero, precio) SELECT 'k3' || numero, 'nope', numero, 1 FROM tickets "
      "WHERE id = 'k30'",
      "tickets.rifa_id, inserted set-wise");
  reject("DELETE FROM categoria_rifa WHERE id = 'c1'", "a category in use");
  reject("DELETE FROM users WHERE id = 'u1'", "a user with transactions");
  reject("DELETE FROM rifas WHERE id = 'r1'", "a rifa with transactions");
  accept(rifa("r2", "pendiente"));
  accept("INSERT INTO tickets (id, rifa_id, numero, precio) VALUES ('k20', 'r2', 0, 1)");
  reject("UPDATE rifas SET id = 'r2-renamed' WHERE id = 'r2'", "rifas.id while tickets reference it");
  accept("DELETE FROM rifas WHERE id = 'r2'");
  int left = -1;
  auto lease = test_db_->db().lease();
  lease.session() << "SELECT count(*) FROM tickets WHERE rifa_id = 'r2'", soci::into(left);
  EXPECT_EQ(left, 0) << "a rifa's tickets go with it";
}

TEST_F(Schema, EmailIsUniqueIgnoringCase) {
  reject("INSERT INTO users (id, nombre, email, hashed_password) VALUES ('u2', 'Otra Ana', 'ana@example.COM', 'x')",
         "same email, other case");
  accept("INSERT INTO users (id, nombre, email, hashed_password) VALUES ('u2', 'Otra Ana', 'ana2@example.com', 'x')");
}

TEST_F(Schema, ProviderReferencesAndJobDedupeKeysAreUnique) {
  reject(
      "INSERT INTO transacciones (id, user_id, amount, provider, provider_ref) VALUES ('t2', 'u1', 1, 'sandbox', "
      "'ref-1')",
      "same provider_ref");
  accept(
      "INSERT INTO transacciones (id, user_id, amount, provider, provider_ref) VALUES ('t2', 'u1', 1, 'wompi', "
      "'ref-1')");
  accept("INSERT INTO transacciones (id, user_id, amount, provider) VALUES ('t3', 'u1', 1, 'sandbox')");
  accept("INSERT INTO transacciones (id, user_id, amount, provider) VALUES ('t4', 'u1', 1, 'sandbox')");
  accept("INSERT INTO jobs (id, kind, run_at, dedupe_key) VALUES ('j1', 'close', '2025-01-01T00:00:00.000Z', 'c:r1')");
  reject("INSERT INTO jobs (id, kind, run_at, dedupe_key) VALUES ('j2', 'close', '2025-01-01T00:00:00.000Z', 'c:r1')",
         "same dedupe_key");
  accept(
      "INSERT INTO idempotency_keys (key, user_id, request_hash, status, expires_at) VALUES ('k', 'u1', 'h', "
      "'in_flight', '2025-01-01T00:00:00.000Z')");
  reject(
      "INSERT INTO idempotency_keys (key, user_id, request_hash, status, expires_at) VALUES ('k', 'u1', 'h2', "
      "'in_flight', '2025-01-01T00:00:00.000Z')",
      "same user and key");
  reject(
      "INSERT INTO idempotency_keys (key, user_id, request_hash, status, expires_at) VALUES ('k2', 'u1', 'h', "
      "'completed', '2025-01-01T00:00:00.000Z')",
      "completed without a response");
}

TEST_F(Schema, JsonColumnsRefuseInvalidJson) {
  reject(rifa("r2", "activa", "", "", "{tiers"), "reglas");
  accept(rifa("r2", "activa", "", "", "{\"tiers\": [ ]}"));
  reject("INSERT INTO jobs (id, kind, run_at, payload) VALUES ('j1', 'x', '2025-01-01T00:00:00.000Z', 'nope')",
         "payload");
}

TEST_F(Schema, AuditLogIsAppendOnlyWithSequentialIds) {
  // Rows are born unsealed (migration 0011): the sealer's one UPDATE chains them, nothing else.
  const std::string zero(64, '0');
  accept(
      "INSERT INTO audit_log (actor, action, entity, entity_id, data) VALUES ('system', "
      "'rifa.created', 'rifa', 'r1', '{\"nombre\":\"Rifa Moto\"}')");
  accept("INSERT INTO audit_log (actor, action, entity, entity_id) VALUES ('system', 'rifa.closed', 'rifa', 'r1')");
  accept("INSERT INTO audit_log (actor, action, entity) VALUES ('x', 'other', 'rifa')");
  reject(
      "INSERT INTO audit_log (actor, action, entity, prev_hash, hash, seq, sealed_at) VALUES ('x', 'forged', "
      "'rifa', '" +
          zero + "', 'h0', 1, '2025-01-01T00:00:00.000Z')",
      "a row inserted already sealed");
  reject("INSERT INTO audit_log (actor, action, entity, seq) VALUES ('x', 'forged', 'rifa', 7)", "a row with a seq");
  reject("UPDATE audit_log SET actor = 'mallory' WHERE id = 1", "editing an unsealed row");
  reject("UPDATE audit_log SET actor = 'mallory', seq = 1, prev_hash = '" + zero +
             "', hash = 'h1', sealed_at = '2025-01-01T00:00:00.000Z' WHERE id = 1",
         "editing an unsealed row while sealing it");
  reject("UPDATE audit_log SET seq = 1, prev_hash = '" + zero + "', hash = 'h1' WHERE id = 1",
         "sealing without sealed_at");
  // The client address (migration 0028) is part of the row: the sealer cannot change it either.
  reject("UPDATE audit_log SET client_address = '6.6.6.6', seq = 1, prev_hash = '" + zero +
             "', hash = 'h1', sealed_at = '2025-01-01T00:00:00.000Z' WHERE id = 1",
         "changing the client address while sealing");
  reject("UPDATE audit_log SET client_address = '6.6.6.6' WHERE id = 1", "setting the client address afterwards");
  // The sealer's update: chain fields only, on a row that has none.
  accept("UPDATE audit_log SET seq = 1, prev_hash = '" + zero +
         "', hash = 'h1', sealed_at = '2025-01-01T00:00:00.000Z' WHERE id = 1");
  accept(
      "UPDATE audit_log SET seq = 2, prev_hash = 'h1', hash = 'h2', sealed_at = '2025-01-01T00:00:00.000Z' "
      "WHERE id = 2");
  reject(
      "UPDATE audit_log SET seq = 3, prev_hash = 'h1', hash = 'h3', sealed_at = '2025-01-01T00:00:00.000Z' "
      "WHERE id = 3",
      "a second row on the same prev_hash forks the chain");
  reject(
      "UPDATE audit_log SET seq = 2, prev_hash = 'h2', hash = 'h3', sealed_at = '2025-01-01T00:00:00.000Z' "
      "WHERE id = 3",
      "a seq given twice");
  reject("UPDATE audit_log SET actor = 'mallory' WHERE hash = 'h1'", "update of a sealed row");
  reject("UPDATE audit_log SET seq = 5, prev_hash = 'x', hash = 'y' WHERE hash = 'h1'", "resealing a sealed row");
  reject("DELETE FROM audit_log WHERE hash = 'h2'", "delete");
  reject("DELETE FROM audit_log WHERE id = 3", "delete of an unsealed row");
  std::vector<long long> ids(10);
  std::vector<std::string> data(10);
  auto lease = test_db_->db().lease();
  lease.session() << "SELECT id, data FROM audit_log ORDER BY id", soci::into(ids), soci::into(data);
  EXPECT_EQ(ids, (std::vector<long long>{1, 2, 3}));
  EXPECT_EQ(data[0], "{\"nombre\":\"Rifa Moto\"}") << "JSON text comes back as written";
  EXPECT_EQ(data[1], "{}");
}

TEST_F(Schema, TimestampsAndBooleansReadBackAlikeOnBothBackends) {
  const auto when = storage::parse_timestamp("2025-03-01T18:30:00.250Z");
  ASSERT_TRUE(when.ok());
  const std::string text = storage::format_timestamp(*when);
  accept("UPDATE rifas SET fecha_fin = '" + text + "' WHERE id = 'r1'");
  std::string fin;
  int is_active = -1;
  std::string creado_en;
  auto lease = test_db_->db().lease();
  lease.session() << "SELECT fecha_fin FROM rifas WHERE id = 'r1'", soci::into(fin);
  lease.session() << "SELECT is_active, creado_en FROM users WHERE id = 'u1'", soci::into(is_active),
      soci::into(creado_en);
  auto back = storage::parse_timestamp(fin);
  ASSERT_TRUE(back.ok()) << fin;
  EXPECT_EQ(*back, *when);
  EXPECT_EQ(is_active, 1);
  EXPECT_TRUE(storage::parse_timestamp(creado_en).ok()) << "default creado_en: " << creado_en;
  int active_users = -1;
  lease.session() << "SELECT count(*) FROM users WHERE is_active", soci::into(active_users);
  EXPECT_EQ(active_users, 1);
}

}  // namespace
}  // namespace rifa::testing
