#include "host_cluster.hpp"

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "storage/sha256.hpp"

namespace rifa::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

}  // namespace

HostCluster::HostCluster(TestDatabase& db, const fs::path& dir) : db_(db), dir_(dir), config_(dir / "rifa.yaml") {
  std::ofstream(config_) << "server: {listen: 127.0.0.1, port: 0}\n"
                            "database:\n"
                            "  url: \""
                         << db_.url()
                         << "\"\n"
                            "  pool_size: 4\n"
                            "secrets: {jwt_secret: crash-test-secret-0123456789abcdef0123}\n"
                            "logging: {level: info, format: text}\n"
                            "jobs: {workers: 2, poll_interval_ms: 50, lease_s: 2, max_attempts: 20, "
                            "scheduler_interval_s: 1}\n"
                            "plugins:\n"
                            "  search_path: ["
                         << RIFA_PLUGIN_DIR
                         << "]\n"
                            "  instances:\n"
                            "    mock: {library: lottery_mock, kind: lottery, config: {seed: crash-test}}\n"
                            "    sandbox:\n"
                            "      library: payment_sandbox\n"
                            "      kind: payment\n"
                            "      config: {webhook_secret: crash-test-sandbox-secret-0123456789abcdef, state_file: \""
                         << (dir_ / "sandbox.jsonl").string()
                         << "\"}\n"
                            "    log: {library: notifier_log, kind: notifier, config: {path: \""
                         << (dir_ / "events.jsonl").string()
                         << "\"}}\n"
                            "bindings:\n"
                            "  defaults: {lottery: mock, payment: sandbox, notifiers: [log]}\n";
}

void HostCluster::load_rifas(int rifas) {
  ASSERT_TRUE(db_.migrate());
  rifas_ = rifas;
  const std::string categoria = storage::name_based_uuid("crash-categoria");
  const std::string loteria = storage::name_based_uuid("crash-loteria");
  const json reglas = {{"tiers",
                        {{{"name", "ultimas dos"},
                          {"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}},
                          {"share_bp", 6000}},
                         {{"name", "primeras dos"},
                          {"match", {{"field", "numero"}, {"digits", "first"}, {"count", 2}}},
                          {"share_bp", 3000}}}},
                       {"unsold", "house"}};
  auto loaded = db_.db().transaction([&](soci::session& sql) {
    sql << "INSERT INTO categoria_rifa (id, nombre, valor_boleta, rake_bp) VALUES (:id, 'Crash', 1000, 2000)",
        soci::use(categoria);
    sql << "INSERT INTO loterias (id, nombre, frecuencia, plugin_instance) VALUES (:id, 'Mock', 'diaria', 'mock')",
        soci::use(loteria);
    std::vector<std::string> users;
    for (int u = 0; u < 7; ++u) {
      users.push_back(storage::name_based_uuid("crash-user-" + std::to_string(u)));
      const std::string email = "u" + std::to_string(u) + "@example.com";
      sql << "INSERT INTO users (id, nombre, email, hashed_password) VALUES (:id, 'Jugador', :email, 'x')",
          soci::use(users.back()), soci::use(email);
    }
    const std::string reglas_text = reglas.dump();
    for (int r = 0; r < rifas; ++r) {
      const std::string id = storage::name_based_uuid("crash-rifa-" + std::to_string(r));
      const std::string nombre = "Rifa " + std::to_string(r);
      sql << "INSERT INTO rifas (id, nombre, categoria_id, loteria_id, fecha_inicio, fecha_fin, estado, reglas, "
             "total_boletas, fecha_sorteo) VALUES (:id, :nombre, :categoria, :loteria, '2026-01-01T00:00:00.000Z', "
             "'2026-01-10T05:00:00.000Z', 'activa', :reglas, 100, '2026-01-10')",
          soci::use(id), soci::use(nombre), soci::use(categoria), soci::use(loteria), soci::use(reglas_text);
      std::vector<std::string> ids, rifa_ids(kTicketsPerRifa, id), owners;
      std::vector<int> numeros;
      for (int n = 0; n < kTicketsPerRifa; ++n) {
        ids.push_back(storage::name_based_uuid("crash-ticket-" + id + "-" + std::to_string(n)));
        owners.push_back(users[static_cast<size_t>(n) % users.size()]);
        numeros.push_back(n);
      }
      sql << "INSERT INTO tickets (id, rifa_id, numero, precio, estado, usuario_id, comprado_en) VALUES (:id, :rifa, "
             ":numero, 1000, 'vendido', :usuario, '2026-01-05T00:00:00.000Z')",
          soci::use(ids), soci::use(rifa_ids), soci::use(numeros), soci::use(owners);
    }
  });
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
}

HostProcess& HostCluster::start(const std::string& crash_at) {
  // The child inherits the environment at spawn time.
  if (crash_at.empty()) {
    ::unsetenv("RIFA_TEST_CRASH_AT");
  } else {
    ::setenv("RIFA_TEST_CRASH_AT", crash_at.c_str(), 1);
  }
  const fs::path work = dir_ / ("host-" + std::to_string(hosts_.size()));
  fs::create_directories(work);
  hosts_.push_back(std::make_unique<HostProcess>(
      RIFA_HOST_BINARY, std::vector<std::string>{"--config", config_.string(), "serve"}, work));
  ::unsetenv("RIFA_TEST_CRASH_AT");
  return *hosts_.back();
}

void HostCluster::kill_all() {
  for (auto& h : hosts_) {
    if (!h->wait(std::chrono::milliseconds(0))) {
      h->signal(SIGKILL);
      h->wait(std::chrono::seconds(10));
    }
  }
}

void HostCluster::stop_all() {
  for (auto& h : hosts_) {
    if (!h->wait(std::chrono::milliseconds(0))) h->signal(SIGTERM);
  }
  for (auto& h : hosts_) {
    if (!h->wait(std::chrono::seconds(20))) h->signal(SIGKILL);
  }
}

long long HostCluster::count(const std::string& sql_text) {
  auto n = db_.db().transaction([&](soci::session& sql) {
    long long v = 0;
    sql << sql_text, soci::into(v);
    return v;
  });
  EXPECT_TRUE(n.ok()) << sql_text << ": " << (n.ok() ? "" : n.error().message);
  return n.ok() ? *n : -1;
}

bool HostCluster::wait_until_done(std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const long long prizes = static_cast<long long>(rifas_) * kTiers;
  while (std::chrono::steady_clock::now() < deadline) {
    const bool settled = count("SELECT count(*) FROM rifas WHERE estado = 'resuelta'") == rifas_;
    const bool paid = count("SELECT count(*) FROM payouts WHERE estado = 'enviado'") == prizes;
    const bool idle = count(
                          "SELECT count(*) FROM jobs WHERE status IN ('queued', 'running') AND kind IN "
                          "('rifa.close', 'rifa.settle', 'payout.send', 'notify.deliver')") == 0;
    if (settled && paid && idle) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

std::vector<json> HostCluster::sandbox_records(const std::string& kind) const {
  std::vector<json> out;
  std::ifstream in(dir_ / "sandbox.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json entry = json::parse(line, nullptr, false);
    EXPECT_FALSE(entry.is_discarded()) << "torn line in the sandbox state file: " << line;
    if (!entry.is_discarded() && entry["kind"] == kind) out.push_back(entry["record"]);
  }
  return out;
}

std::string HostCluster::load_cancelled_rifa(int paid) {
  EXPECT_TRUE(db_.migrate());
  const std::string categoria = storage::name_based_uuid("cancel-categoria");
  const std::string loteria = storage::name_based_uuid("cancel-loteria");
  const std::string user = storage::name_based_uuid("cancel-user");
  const std::string rifa = storage::name_based_uuid("cancel-rifa");
  std::ofstream state(dir_ / "sandbox.jsonl");
  auto loaded = db_.db().transaction([&](soci::session& sql) {
    sql << "INSERT INTO categoria_rifa (id, nombre, valor_boleta) VALUES (:id, 'Cancel', 1000)", soci::use(categoria);
    sql << "INSERT INTO loterias (id, nombre, frecuencia, plugin_instance) VALUES (:id, 'Mock', 'diaria', 'mock')",
        soci::use(loteria);
    sql << "INSERT INTO users (id, nombre, email, hashed_password) VALUES (:id, 'Jugador', 'c@example.com', 'x')",
        soci::use(user);
    sql << "INSERT INTO rifas (id, nombre, categoria_id, loteria_id, fecha_inicio, fecha_fin, estado, total_boletas) "
           "VALUES (:id, 'Cancelada', :categoria, :loteria, '2026-01-01T00:00:00.000Z', '2026-01-10T05:00:00.000Z', "
           "'cancelada', :total)",
        soci::use(rifa), soci::use(categoria), soci::use(loteria), soci::use(paid);
    for (int n = 0; n < paid; ++n) {
      const std::string tx = storage::name_based_uuid("cancel-tx-" + std::to_string(n));
      const std::string ticket = storage::name_based_uuid("cancel-ticket-" + std::to_string(n));
      const std::string ref = "sbx_paid_" + std::to_string(n);
      sql << "INSERT INTO transacciones (id, user_id, rifa_id, amount, provider, provider_ref, status) VALUES (:id, "
             ":user, :rifa, 1000, 'sandbox', :ref, 'succeeded')",
          soci::use(tx), soci::use(user), soci::use(rifa), soci::use(ref);
      sql << "INSERT INTO tickets (id, rifa_id, numero, precio, estado, usuario_id, transaccion_id) VALUES (:id, "
             ":rifa, :n, 1000, 'vendido', :user, :tx)",
          soci::use(ticket), soci::use(rifa), soci::use(n), soci::use(user), soci::use(tx);
      state << json({{"kind", "payment"},
                     {"record",
                      {{"ref", ref},
                       {"idempotency_key", tx},
                       {"amount_cents", 1000},
                       {"currency", "COP"},
                       {"status", "succeeded"},
                       {"refunded_cents", 0},
                       {"created_ms", 0}}}})
                   .dump()
            << "\n";
    }
    const std::string job = storage::name_based_uuid("cancel-job");
    const std::string payload = json({{"rifa_id", rifa}}).dump();
    const std::string dedupe = "refund:" + rifa;
    sql << "INSERT INTO jobs (id, kind, payload, status, run_at, max_attempts, dedupe_key) VALUES (:id, "
           "'rifa.refund', :payload, 'queued', '2026-01-10T05:00:00.000Z', 20, :dedupe)",
        soci::use(job), soci::use(payload), soci::use(dedupe);
  });
  EXPECT_TRUE(loaded.ok()) << loaded.error().message;
  return rifa;
}

bool HostCluster::wait_until(const std::string& sql_count, long long expected, const std::string& kind,
                             std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (count(sql_count) == expected &&
        count("SELECT count(*) FROM jobs WHERE status IN ('queued', 'running') AND kind = '" + kind + "'") == 0) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

std::string HostCluster::logs() const {
  std::string out;
  for (size_t i = 0; i < hosts_.size(); ++i) {
    const std::string err = hosts_[i]->stderr_text();
    out += "--- host " + std::to_string(i) + " (last 3000 bytes) ---\n" +
           (err.size() > 3000 ? err.substr(err.size() - 3000) : err) + "\n";
  }
  return out;
}

void expect_settled_and_paid_once(HostCluster& c) {
  const long long rifas = c.rifas();
  const long long prizes = rifas * HostCluster::kTiers;
  EXPECT_EQ(c.count("SELECT count(*) FROM resultados_sorteo"), rifas);
  EXPECT_EQ(c.count("SELECT count(*) FROM ganadores"), prizes);
  EXPECT_EQ(c.count("SELECT count(*) FROM audit_log WHERE action = 'draw.taken'"), rifas);
  EXPECT_EQ(c.count("SELECT count(*) FROM audit_log WHERE action = 'winner'"), prizes);
  EXPECT_EQ(c.count("SELECT count(*) FROM payouts WHERE estado = 'enviado'"), prizes);
  EXPECT_EQ(c.count("SELECT count(*) FROM audit_log WHERE action = 'payout.sent'"), prizes);
  EXPECT_EQ(c.count("SELECT count(*) FROM ganadores g JOIN payouts p ON p.ganador_id = g.id WHERE "
                    "g.referencia_pago = p.referencia AND g.fecha_pago IS NOT NULL"),
            prizes);
  EXPECT_EQ(c.count("SELECT count(*) FROM jobs WHERE status = 'dead'"), 0);
  // Every cent of every prize: fondo = 100 × 1000 × (1 − 0.20) = 80,000; 60 % and 30 % of it.
  EXPECT_EQ(c.count("SELECT CAST(sum(monto_ganado) AS BIGINT) FROM ganadores"), rifas * (48000 + 24000));
  // The provider's own books: one payout per ganador, never a second one for the same key.
  const auto payouts = c.sandbox_payouts();
  std::set<std::string> keys;
  for (const auto& p : payouts) keys.insert(p["idempotency_key"].get<std::string>());
  EXPECT_EQ(static_cast<long long>(payouts.size()), prizes);
  EXPECT_EQ(static_cast<long long>(keys.size()), prizes);
}

}  // namespace rifa::testing
