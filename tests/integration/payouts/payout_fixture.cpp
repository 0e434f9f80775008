#include "payout_fixture.hpp"
#include "storage/sql_job_queue.hpp"

#include <fstream>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "app/payout_jobs.hpp"
#include "storage/sha256.hpp"
#include "storage/timestamps.hpp"

namespace rifa::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const json kAllEventTypes = {"rifa_opened", "rifa_closed", "ticket_sold",  "result_published",
                             "winner",      "payout_sent", "payout_failed"};

plugin_runtime::HostServices quiet_services() {
  plugin_runtime::HostServices s;
  s.logger = std::make_shared<spdlog::logger>("plugin", std::make_shared<spdlog::sinks::null_sink_mt>());
  s.now_unix_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  return s;
}

}  // namespace

void PayoutTest::SetUp() {
  test_db_ = TestDatabase::create_or_skip();
  if (!test_db_) GTEST_SKIP() << skip_reason();
  ASSERT_TRUE(test_db_->migrate());
  dir_ = std::make_unique<TempDir>();

  settings_.jobs.max_attempts = kMaxAttempts;
  settings_.bindings.defaults = {"mock", "sandbox", {"log_a", "log_b"}};
  settings_.bindings.categorias["Fallida"] =
      settings::BindingOverride{std::nullopt, std::nullopt, std::vector<std::string>{"log_fail", "log_a"}};
  load_plugins();

  categoria_normal_ = storage::name_based_uuid("payout-test-categoria-normal");
  categoria_fallida_ = storage::name_based_uuid("payout-test-categoria-fallida");
  loteria_ = storage::name_based_uuid("payout-test-loteria");
  exec("INSERT INTO categoria_rifa (id, nombre, valor_boleta, rake_bp) VALUES ('" + categoria_normal_ +
       "', 'Normal', 1000, 2000)");
  exec("INSERT INTO categoria_rifa (id, nombre, valor_boleta, rake_bp) VALUES ('" + categoria_fallida_ +
       "', 'Fallida', 1000, 2000)");
  exec("INSERT INTO loterias (id, nombre, frecuencia, plugin_instance) VALUES ('" + loteria_ +
       "', 'Mock', 'diaria', 'mock')");
}

void PayoutTest::TearDown() {
  unload_plugins();
  test_db_.reset();
}

void PayoutTest::load_plugins() {
  plugins_ = std::make_unique<plugin_runtime::PluginRegistry>();
  const fs::path lib_dir = RIFA_PLUGIN_DIR;
  settings_.plugins.instances.clear();
  const auto add = [&](const std::string& id, const char* library, rifa_plugin_kind kind, json config) {
    // Listed in the settings too, as the host's config lists them (notifiers' "contact").
    settings::PluginInstanceSettings listed;
    listed.id = id;
    listed.kind = kind == RIFA_KIND_NOTIFIER  ? settings::PluginKind::kNotifier
                  : kind == RIFA_KIND_PAYMENT ? settings::PluginKind::kPayment
                                              : settings::PluginKind::kLottery;
    listed.config = config;
    settings_.plugins.instances.push_back(std::move(listed));
    auto added = plugins_->add({id, lib_dir / library, kind, std::move(config)}, quiet_services());
    ASSERT_TRUE(added.ok()) << added.error().message;
  };
  add("sandbox", "libpayment_sandbox.so", RIFA_KIND_PAYMENT,
      {{"webhook_secret", kSandboxSecret},
       {"state_file", (dir_->path() / "sandbox.jsonl").string()},
       {"decline_amounts_cents", {kDeclinedCents}}});
  add("sandbox_manual", "libpayment_sandbox.so", RIFA_KIND_PAYMENT,
      {{"webhook_secret", kSandboxSecret},
       {"confirm", "manual"},
       {"state_file", (dir_->path() / "sandbox_manual.jsonl").string()}});
  add("log_a", "libnotifier_log.so", RIFA_KIND_NOTIFIER, {{"path", (dir_->path() / "log_a.jsonl").string()}});
  add("log_b", "libnotifier_log.so", RIFA_KIND_NOTIFIER, {{"path", (dir_->path() / "log_b.jsonl").string()}});
  add("log_fail", "libnotifier_log.so", RIFA_KIND_NOTIFIER,
      {{"path", (dir_->path() / "log_fail.jsonl").string()}, {"fail_types", kAllEventTypes}});
  // Declares the contact fields it needs: events about a player carry that player's email and nombre.
  add("log_contact", "libnotifier_log.so", RIFA_KIND_NOTIFIER,
      {{"path", (dir_->path() / "log_contact.jsonl").string()}, {"contact", {"email", "nombre"}}});

  queue_ = std::make_unique<storage::SqlJobQueue>(db(), [this] {
    std::lock_guard lock(clock_mutex_);
    return std::chrono::system_clock::now() + offset_;
  });
  jobs::RunnerOptions options;
  options.owner = "payout-test";
  options.workers = 1;
  runner_ = std::make_unique<jobs::JobRunner>(
      *queue_, options, std::make_shared<spdlog::logger>("jobs", std::make_shared<spdlog::sinks::null_sink_mt>()));
  app::register_payout_jobs(*runner_, db(), settings_, *plugins_);
}

void PayoutTest::unload_plugins() {
  runner_.reset();
  queue_.reset();
  plugins_.reset();
}

int PayoutTest::drain() { return runner_->drain(); }

void PayoutTest::advance(std::chrono::seconds by) {
  std::lock_guard lock(clock_mutex_);
  offset_ += by;
}

long long PayoutTest::count(const std::string& sql_text) {
  auto n = db().transaction([&](soci::session& sql) {
    long long v = 0;
    sql << sql_text, soci::into(v);
    return v;
  });
  EXPECT_TRUE(n.ok()) << sql_text << ": " << n.error().message;
  return n.ok() ? *n : -1;
}

std::string PayoutTest::text(const std::string& sql_text) {
  auto v = db().transaction([&](soci::session& sql) {
    std::string out;
    soci::indicator ind = soci::i_null;
    sql << sql_text, soci::into(out, ind);
    return ind == soci::i_ok ? out : std::string("<null>");
  });
  EXPECT_TRUE(v.ok()) << sql_text << ": " << v.error().message;
  return v.ok() ? *v : std::string();
}

void PayoutTest::exec(const std::string& sql_text) {
  auto done = db().transaction([&](soci::session& sql) { sql << sql_text; });
  ASSERT_TRUE(done.ok()) << sql_text << ": " << done.error().message;
}

std::string PayoutTest::add_user(const std::string& nombre) {
  const std::string id = storage::name_based_uuid("payout-test-user:" + nombre);
  exec("INSERT INTO users (id, nombre, email, hashed_password) VALUES ('" + id + "', '" + nombre + "', '" + nombre +
       "@example.com', 'not-a-real-hash')");
  return id;
}

std::string PayoutTest::add_rifa(const std::string& estado, const std::string& categoria, int total, int64_t precio,
                                 const json& reglas) {
  const std::string id = storage::name_based_uuid("payout-test-rifa:" + std::to_string(++sequence_));
  const std::string categoria_id = categoria == "Fallida" ? categoria_fallida_ : categoria_normal_;
  std::string reglas_text = reglas.dump();
  exec(
      "INSERT INTO rifas (id, nombre, categoria_id, loteria_id, fecha_inicio, fecha_fin, estado, reglas, "
      "total_boletas) VALUES ('" +
      id + "', 'Rifa " + std::to_string(sequence_) + "', '" + categoria_id + "', '" + loteria_ +
      "', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', '" + estado + "', '" + reglas_text + "', " +
      std::to_string(total) + ")");
  std::string values;
  for (int n = 0; n < total; ++n) {
    values += std::string(n ? ", " : "") + "('" + ticket_id(id, n) + "', '" + id + "', " + std::to_string(n) + ", " +
              std::to_string(precio) + ")";
  }
  exec("INSERT INTO tickets (id, rifa_id, numero, precio) VALUES " + values);
  return id;
}

std::string PayoutTest::ticket_id(const std::string& rifa_id, int numero) {
  return storage::name_based_uuid("payout-test-ticket:" + rifa_id + ":" + std::to_string(numero));
}

std::string PayoutTest::sell(const std::string& rifa_id, const std::string& user_id, const std::vector<int>& numeros,
                             const std::string& instance) {
  const std::string tx = storage::name_based_uuid("payout-test-tx:" + std::to_string(++sequence_));
  const long long amount =
      count("SELECT CAST(sum(precio) AS BIGINT) FROM tickets WHERE rifa_id = '" + rifa_id + "' AND numero IN (" + [&] {
        std::string list;
        for (int n : numeros) list += (list.empty() ? "" : ",") + std::to_string(n);
        return list;
      }() + ")");
  auto created = plugins_->find(instance)->create_payment(
      json({{"amount_cents", amount}, {"currency", "COP"}, {"idempotency_key", tx}}).dump());
  EXPECT_TRUE(created.ok()) << created.error;
  const json answer = json::parse(created.result);
  const std::string status = answer["status"];
  exec(
      "INSERT INTO transacciones (id, user_id, rifa_id, amount, provider, provider_ref, status, idempotency_key) "
      "VALUES ('" +
      tx + "', '" + user_id + "', '" + rifa_id + "', " + std::to_string(amount) + ", '" + instance + "', '" +
      answer["provider_ref"].get<std::string>() + "', '" + status + "', '" + tx + "')");
  for (int n : numeros) {
    if (status == "succeeded") {
      exec("UPDATE tickets SET estado = 'vendido', usuario_id = '" + user_id + "', transaccion_id = '" + tx +
           "', comprado_en = '2026-01-02T00:00:00.000Z' WHERE id = '" + ticket_id(rifa_id, n) + "'");
    } else {
      exec("UPDATE tickets SET estado = 'reservado', usuario_id = '" + user_id + "', transaccion_id = '" + tx +
           "', hold_expires_at = '2099-01-01T00:00:00.000Z' WHERE id = '" + ticket_id(rifa_id, n) + "'");
    }
  }
  return tx;
}

std::string PayoutTest::add_ganador(const std::string& ticket, int tier, int64_t monto_cents) {
  const std::string id = storage::name_based_uuid("payout-test-ganador:" + ticket + ":" + std::to_string(tier));
  exec("INSERT INTO ganadores (id, ticket_id, tier, monto_ganado) VALUES ('" + id + "', '" + ticket + "', " +
       std::to_string(tier) + ", " + std::to_string(monto_cents) + ")");
  exec("UPDATE tickets SET estado = 'ganador' WHERE id = '" + ticket + "'");
  return id;
}

std::vector<json> PayoutTest::sandbox_records(const std::string& kind) {
  std::vector<json> out;
  std::ifstream in(dir_->path() / "sandbox.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json entry = json::parse(line);
    if (entry["kind"] == kind) out.push_back(entry["record"]);
  }
  return out;
}

std::vector<json> PayoutTest::notifier_events(const std::string& notifier) {
  std::vector<json> out;
  std::ifstream in(dir_->path() / (notifier + ".jsonl"));
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(json::parse(line));
  }
  return out;
}

}  // namespace rifa::testing
