// Reloading the config of a serving rifa-host (SIGHUP and POST /api/v1/admin/config/reload), in a
// real process on SQLite and on PostgreSQL: a new instance serves a pendiente rifa bound to it, an
// activa rifa keeps the payment and lottery instances it was activated with, a broken file changes
// nothing and says where, and purchases running through reloads are neither lost nor sold twice.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/config_reload.hpp"
#include "host_process.hpp"
#include "http_client.hpp"
#include "test_database.hpp"

namespace rifa::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kSeededActiva = "4aa2ae01-80ea-42c5-986f-7995f4a4c699";  // fixtures/seed: activa
constexpr const char* kAdminEmail = "admin@reload.test";
constexpr const char* kPassword = "Reload-test-password-2026!";
constexpr const char* kSecretA = "reload-test-sandbox-secret-A-0123456789abcdef";
constexpr const char* kSecretB = "reload-test-sandbox-secret-B-0123456789abcdef";

struct ConfigText {
  std::string listen = "127.0.0.1";
  std::string database_url;   // empty: the test database's
  std::string plugins_extra;  // YAML lines under plugins: (http, ...)
  std::string sandbox_secret = kSecretA;
  std::string mock_config = "{seed: reload}";
  std::string extra_instances;  // YAML lines under plugins.instances
  std::string bindings = "  defaults: {lottery: mock, payment: sandbox, notifiers: []}\n";
  std::string tail;  // appended as is (a broken line, another section)
};

class ConfigReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = TestDatabase::create_or_skip();
    if (!db_) GTEST_SKIP() << skip_reason();
    dir_ = fs::temp_directory_path() / ("rifa-reload-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    config_ = dir_ / "rifa.yaml";
    write(ConfigText{});
    host_ = std::make_unique<HostProcess>(RIFA_HOST_BINARY,
                                          std::vector<std::string>{"--config", config_.string(), "serve"}, dir_);
    auto port = host_->wait_for_log("listening on http://127.0.0.1:", std::chrono::seconds(60));
    ASSERT_TRUE(port) << host_->stderr_text();
    base_ = "http://127.0.0.1:" + *port;
    ::setenv("RIFA_ADMIN_PASSWORD", kPassword, 1);
    auto made = run_host(
        RIFA_HOST_BINARY,
        {"--config", config_.string(), "users", "create-admin", "--email", kAdminEmail, "--nombre", "Admin"}, dir_);
    ::unsetenv("RIFA_ADMIN_PASSWORD");
    ASSERT_EQ(made.exit_code, 0) << made.err;
    admin_ = login(kAdminEmail);
  }
  void TearDown() override {
    if (host_) {
      host_->signal(SIGTERM);
      host_->wait(std::chrono::seconds(15));
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void write(const ConfigText& c) {
    // No rate limits: 32 buyers share one address here.
    std::ofstream(config_) << "server:\n  listen: " << c.listen << "\n  port: 0\n"
                           << "  rate_limit: {per_ip: {per_second: 0, burst: 1}, per_user: {per_second: 0, burst: 1}}\n"
                           << "database:\n  url: \"" << (c.database_url.empty() ? db_->url() : c.database_url)
                           << "\"\n  seed: " << RIFA_SOURCE_DIR << "/fixtures/seed\n"
                           << "logging: {level: info, format: json}\n"
                           << "secrets:\n  jwt_secret: test-only-jwt-secret-0123456789abcdef0123456789\n"
                           << "plugins:\n  search_path: [" << RIFA_PLUGIN_DIR << "]\n"
                           << c.plugins_extra << "  instances:\n"
                           << "    mock: {library: lottery_mock, kind: lottery, config: " << c.mock_config << "}\n"
                           << "    sandbox:\n      library: payment_sandbox\n      kind: payment\n"
                           << "      config: {webhook_secret: " << c.sandbox_secret << "}\n"
                           << c.extra_instances << "bindings:\n"
                           << c.bindings << c.tail;
  }

  std::string login(const std::string& email) {
    auto r = http_call("POST", base_ + "/api/v1/auth/login", json{{"email", email}, {"password", kPassword}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? json::parse(r.body).value("access_token", "") : "";
  }

  std::string player(const std::string& email) {
    // An adult with a document of their own who accepts the data policy (issue 15's sign-up rules).
    auto r = http_call("POST", base_ + "/api/v1/auth/register",
                       json{{"nombre", "Jugador"},
                            {"email", email},
                            {"password", kPassword},
                            {"fecha_nacimiento", "1990-05-17"},
                            {"documento_tipo", "CC"},
                            {"documento_numero", std::to_string(53000000 + ++players_)},
                            {"acepta_politica_datos", true}}
                           .dump());
    EXPECT_TRUE(r.status == 201 || r.status == 202) << r.body;
    return login(email);
  }

  // A new rifa in the seed's first categoria on the mock lottery; activated when asked.
  std::string new_rifa(int total, bool activate) { return new_rifa_on(base_, total, activate); }
  std::string new_rifa_on(const std::string& base, int total, bool activate) {
    auto categorias = http_call("GET", base + "/api/v1/categorias?per_page=100", "", admin_);
    auto loterias = http_call("GET", base + "/api/v1/loterias?per_page=100", "", admin_);
    std::string loteria;
    const json listed = json::parse(loterias.body);
    for (const auto& l : listed["items"]) {
      if (l["plugin_instance"] == "mock") loteria = l["id"];
    }
    const auto now = std::chrono::system_clock::now();
    auto iso = [](std::chrono::system_clock::time_point t) {
      const std::time_t s = std::chrono::system_clock::to_time_t(t);
      char text[32];
      std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&s));
      return std::string(text);
    };
    auto created = http_call("POST", base + "/api/v1/rifas",
                             json{{"nombre", "Reload"},
                                  {"categoria_id", json::parse(categorias.body)["items"][0]["id"]},
                                  {"loteria_id", loteria},
                                  {"fecha_inicio", iso(now)},
                                  {"fecha_fin", iso(now + std::chrono::hours(24 * 20))},
                                  {"total_boletas", total}}
                                 .dump(),
                             admin_);
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string id = json::parse(created.body).value("id", "");
    if (activate) {
      auto activated = http_call("PATCH", base + "/api/v1/rifas/" + id, R"({"estado":"activa"})", admin_);
      EXPECT_EQ(activated.status, 200) << activated.body;
    }
    return id;
  }

  // Buys one number; the transaccion's provider (the payment instance that was asked).
  std::string buy_provider(const std::string& rifa, const std::string& token) {
    return buy_provider_on(base_, rifa, token);
  }
  std::string buy_provider_on(const std::string& base, const std::string& rifa, const std::string& token) {
    auto r = http_call("POST", base + "/api/v1/rifas/" + rifa + "/tickets", R"({"quantity":1})", token,
                       {"Idempotency-Key: " + std::to_string(++keys_) + "-" + rifa});
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) return "";
    return text("SELECT provider FROM transacciones WHERE id = '" +
                json::parse(r.body)["transaccion_id"].get<std::string>() + "'");
  }

  std::string text(const std::string& sql_text) {
    std::string out;
    auto lease = db_->db().lease();
    lease.session() << sql_text, soci::into(out);
    return out;
  }
  long long count(const std::string& sql_text) {
    long long n = 0;
    auto lease = db_->db().lease();
    lease.session() << sql_text, soci::into(n);
    return n;
  }

  ApiReply reload_over_http() { return http_call("POST", base_ + "/api/v1/admin/config/reload", "", admin_); }

  // SIGHUP, then the n-th "config reload" line of the log (applied or refused).
  std::string sighup_and_wait(int nth) {
    host_->signal(SIGHUP);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string log = host_->stderr_text();
      int seen = 0;
      size_t at = 0;
      while ((at = log.find("config reload", at)) != std::string::npos) {
        const size_t end = log.find('\n', at);
        const std::string line = log.substr(at, end - at);
        if (line.find("config reloaded from") != std::string::npos || line.find("refused") != std::string::npos) {
          if (++seen == nth) return line;
        }
        at = end;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "no config reload line #" << nth << " in the log:\n" << host_->stderr_text();
    return "";
  }

  std::unique_ptr<TestDatabase> db_;
  fs::path dir_;
  fs::path config_;
  std::unique_ptr<HostProcess> host_;
  std::string base_;
  std::string admin_;
  std::atomic<long long> keys_{0};
  int players_ = 0;
};

TEST_F(ConfigReloadTest, ANewInstanceServesAPendienteRifaWhileActivaRifasKeepTheirs) {
  const std::string pendiente = new_rifa(50, false);
  const std::string already_activa = new_rifa(50, true);
  const std::string buyer = player("buyer@reload.test");
  ASSERT_EQ(buy_provider(kSeededActiva, buyer), "sandbox");

  // The file now adds sandbox2 and makes it the default: only rifas not yet activa move to it.
  ConfigText next;
  next.extra_instances = std::string("    sandbox2:\n      library: payment_sandbox\n      kind: payment\n") +
                         "      config: {webhook_secret: " + kSecretB + "}\n";
  next.bindings = "  defaults: {lottery: mock, payment: sandbox2, notifiers: []}\n";
  write(next);
  const std::string line = sighup_and_wait(1);
  ASSERT_NE(line.find("config reloaded from"), std::string::npos) << line;

  auto activated = http_call("PATCH", base_ + "/api/v1/rifas/" + pendiente, R"({"estado":"activa"})", admin_);
  ASSERT_EQ(activated.status, 200) << activated.body;
  EXPECT_EQ(buy_provider(pendiente, buyer), "sandbox2");
  EXPECT_EQ(buy_provider(already_activa, buyer), "sandbox") << "an activa rifa moved to another payment instance";
  EXPECT_EQ(buy_provider(kSeededActiva, buyer), "sandbox") << "a rifa activated before migration 0020 moved";
  EXPECT_EQ(text("SELECT payment_instance FROM rifas WHERE id = '" + pendiente + "'"), "sandbox2");
  EXPECT_EQ(text("SELECT payment_instance FROM rifas WHERE id = '" + std::string(kSeededActiva) + "'"), "sandbox");

  auto health = json::parse(http_get(base_ + "/api/v1/health").body);
  std::set<std::string> ids;
  for (const auto& p : health["plugins"]) ids.insert(p["id"]);
  EXPECT_TRUE(ids.count("sandbox2")) << health.dump();

  // One audit entry with the diff of bindings.
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'config.reloaded'"), 1);
  const auto audit = json::parse(text("SELECT CAST(data AS TEXT) FROM audit_log WHERE action = 'config.reloaded'"));
  EXPECT_EQ(audit["bindings"]["defaults"]["to"]["payment"], "sandbox2") << audit.dump();
  EXPECT_EQ(audit["plugins"]["added"], json::array({"sandbox2"})) << audit.dump();

  // The same file again over HTTP: applied, nothing to change; a jugador may not ask.
  auto again = reload_over_http();
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(json::parse(again.body)["plugins"]["added"].empty()) << again.body;
  EXPECT_EQ(http_call("POST", base_ + "/api/v1/admin/config/reload", "", buyer).status, 403);
}

// A rolling reload: two hosts on one database, only one of them reloaded yet. A rifa activated on
// the other (frozen on "sandbox") is sold on the reloaded one through "sandbox", not through the
// reloaded host's new default: the frozen instance comes from rifas.payment_instance, read in the
// purchase's transaction, not from what this host's memory knows about activations.
TEST_F(ConfigReloadTest, ARifaActivatedOnAnotherHostIsChargedThroughItsFrozenInstance) {
  HostProcess other(RIFA_HOST_BINARY, {"--config", config_.string(), "serve"}, dir_);
  auto port = other.wait_for_log("listening on http://127.0.0.1:", std::chrono::seconds(60));
  ASSERT_TRUE(port) << other.stderr_text();
  const std::string other_base = "http://127.0.0.1:" + *port;

  ConfigText next;
  next.extra_instances = std::string("    sandbox2:\n      library: payment_sandbox\n      kind: payment\n") +
                         "      config: {webhook_secret: " + kSecretB + "}\n";
  next.bindings = "  defaults: {lottery: mock, payment: sandbox2, notifiers: []}\n";
  write(next);
  ASSERT_NE(sighup_and_wait(1).find("config reloaded from"), std::string::npos);

  // Activated after this host's reload, on the host still on the old file.
  const std::string on_other = new_rifa_on(other_base, 50, true);
  ASSERT_EQ(text("SELECT payment_instance FROM rifas WHERE id = '" + on_other + "'"), "sandbox");
  const std::string buyer = player("rolling@reload.test");
  EXPECT_EQ(buy_provider(on_other, buyer), "sandbox") << "sold through this host's binding, not the frozen instance";
  EXPECT_EQ(buy_provider_on(other_base, on_other, buyer), "sandbox");
  // A rifa activated here after the reload goes to the new default.
  EXPECT_EQ(buy_provider(new_rifa(50, true), buyer), "sandbox2");
  other.signal(SIGTERM);
  other.wait(std::chrono::seconds(15));
}

// A lottery instance a reload adds can be named by a loteria at once (no restart), and one a
// reload removes no longer can.
TEST_F(ConfigReloadTest, ALotteryInstanceAddedByAReloadCanBeNamedByALoteria) {
  const auto create = [&](const std::string& nombre) {
    return http_call("POST", base_ + "/api/v1/loterias",
                     json{{"nombre", nombre}, {"frecuencia", "diaria"}, {"plugin_instance", "mock2"}}.dump(), admin_);
  };
  auto before = create("Antes");
  ASSERT_EQ(before.status, 422) << before.body;
  EXPECT_NE(before.body.find("'mock2' is not a configured lottery plugin instance"), std::string::npos) << before.body;

  ConfigText next;
  next.extra_instances = "    mock2: {library: lottery_mock, kind: lottery, config: {seed: second}}\n";
  write(next);
  ASSERT_EQ(reload_over_http().status, 200);
  auto after = create("Despues");
  ASSERT_EQ(after.status, 201) << after.body;
  EXPECT_EQ(json::parse(after.body)["plugin_instance"], "mock2");

  write(ConfigText{});
  ASSERT_EQ(reload_over_http().status, 200);
  EXPECT_EQ(create("Otra vez").status, 422) << "a removed lottery instance can still be named";
}

TEST_F(ConfigReloadTest, ABrokenFileChangesNothingAndSaysWhere) {
  ConfigText broken;
  broken.extra_instances = std::string("    sandbox2:\n      library: payment_sandbox\n      kind: payment\n") +
                           "      config: {webhook_secret: " + kSecretB + "}\n";
  broken.tail = "jobs:\n  workers: many\n";  // not a number, on the file's last line
  write(broken);
  // "  workers: many" is the file's last line; its value starts at column 12.
  std::ifstream in(config_);
  const std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto last_line = std::count(written.begin(), written.end(), '\n');
  const std::string where = config_.string() + ":" + std::to_string(last_line) + ":12: error: jobs.workers";
  auto refused = reload_over_http();
  ASSERT_EQ(refused.status, 422) << refused.body;
  const auto problem = json::parse(refused.body);
  EXPECT_NE(problem.value("detail", "").find(where), std::string::npos) << where << "\n" << refused.body;
  EXPECT_FALSE(problem["reload"]["applied"].get<bool>());
  // The refusal is audited, with the reason and who asked.
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'config.reload_refused'"), 1);
  const auto refusal =
      json::parse(text("SELECT CAST(data AS TEXT) FROM audit_log WHERE action = 'config.reload_refused'"));
  EXPECT_NE(refusal.value("error", "").find(where), std::string::npos) << refusal.dump();
  EXPECT_NE(text("SELECT actor FROM audit_log WHERE action = 'config.reload_refused'"), "signal:SIGHUP");

  const std::string line = sighup_and_wait(1);
  EXPECT_NE(line.find("refused"), std::string::npos) << line;
  EXPECT_NE(line.find(where), std::string::npos) << line;
  auto health = json::parse(http_get(base_ + "/api/v1/health").body);
  for (const auto& p : health["plugins"]) EXPECT_NE(p["id"], "sandbox2") << "a refused reload loaded an instance";
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'config.reloaded'"), 0);
  EXPECT_EQ(buy_provider(kSeededActiva, player("still@reload.test")), "sandbox");
}

TEST_F(ConfigReloadTest, TheLotteryDecidingAnActivaRifaCannotChangeAndRestartOnlySettingsAreReported) {
  const std::string activa = new_rifa(20, true);
  ConfigText changed;
  changed.mock_config = "{seed: another}";  // the lottery an activa rifa's commitment names
  write(changed);
  auto refused = reload_over_http();
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(refused.body.find("'mock' decides the draw of rifa " + activa), std::string::npos) << refused.body;

  // A setting that cannot change live is applied nowhere and said so.
  ConfigText port_change;
  port_change.tail = "sales: {hold_ttl_s: 600}\n";
  write(port_change);
  auto applied = reload_over_http();
  ASSERT_EQ(applied.status, 200) << applied.body;
  EXPECT_EQ(json::parse(applied.body)["restart_needed"], json::array({"sales"})) << applied.body;

  // The listen address and the database URL: the host keeps serving where and on what it started.
  ConfigText moved = port_change;
  moved.listen = "0.0.0.0";
  moved.database_url = "postgresql://nobody@127.0.0.1:1/elsewhere";
  write(moved);
  auto restart = reload_over_http();
  ASSERT_EQ(restart.status, 200) << restart.body;
  // (sales is still pending from the reload before: the host runs on what it started with.)
  EXPECT_EQ(json::parse(restart.body)["restart_needed"], json::array({"database.url", "sales", "server.listen"}))
      << restart.body;
  EXPECT_EQ(http_get(base_ + "/api/v1/health").status, 200) << "the host left its database after a reload";

  // plugins.http and plugins.search_path are read by the instances a reload creates: not restart-only.
  ConfigText http_change = port_change;
  http_change.plugins_extra = "  http: {timeout_ms: 2500, retries: 0}\n";
  write(http_change);
  auto http = reload_over_http();
  ASSERT_EQ(http.status, 200) << http.body;
  // The listen address and the database URL are back to what the host runs on: no restart for them.
  EXPECT_EQ(json::parse(http.body)["restart_needed"], json::array({"sales"})) << http.body;
}

// `rifa-host reload` finds the serving host of the file and sends it SIGHUP; without one it says so.
TEST_F(ConfigReloadTest, TheReloadCommandSignalsTheHostServingTheFile) {
  ConfigText next;
  next.extra_instances = "    extra_log: {library: notifier_log, kind: notifier}\n";
  write(next);
  auto sent = run_host(RIFA_HOST_BINARY, {"--config", config_.string(), "reload"}, dir_);
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_NE(sent.out.find("sent SIGHUP to rifa-host serve (pid "), std::string::npos) << sent.out;
  ASSERT_TRUE(host_->wait_for_log("config reloaded from", std::chrono::seconds(30))) << host_->stderr_text();
  auto health = json::parse(http_get(base_ + "/api/v1/health").body);
  std::set<std::string> ids;
  for (const auto& p : health["plugins"]) ids.insert(p["id"]);
  EXPECT_TRUE(ids.count("extra_log")) << health.dump();
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'config.reloaded' AND actor = 'signal:SIGHUP'"), 1);

  const fs::path other = dir_ / "nobody-serves-this.yaml";
  fs::copy_file(config_, other);
  auto none = run_host(RIFA_HOST_BINARY, {"--config", other.string(), "reload"}, dir_);
  EXPECT_EQ(none.exit_code, 1) << none.out;
  EXPECT_NE(none.err.find("no `rifa-host serve` process of this machine serves " + other.string()), std::string::npos)
      << none.err;
}

// The reload is applied but its audit entry cannot be written (here a trigger refuses it): the
// reply says so rather than pretending the change is on record.
TEST_F(ConfigReloadTest, AReloadWhoseAuditEntryFailsSaysSo) {
  {
    auto lease = db_->db().lease();
    if (db_->backend() == storage::Backend::kPostgresql) {
      lease.session() << "CREATE FUNCTION refuse_reload_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                         "RAISE EXCEPTION 'audit refused by the test'; END; $$";
      lease.session() << "CREATE TRIGGER refuse_reload_audit BEFORE INSERT ON audit_log FOR EACH ROW "
                         "WHEN (NEW.action = 'config.reloaded') EXECUTE FUNCTION refuse_reload_audit()";
    } else {
      lease.session()
          << "CREATE TRIGGER refuse_reload_audit BEFORE INSERT ON audit_log "
             "WHEN NEW.action = 'config.reloaded' BEGIN SELECT RAISE(ABORT, 'audit refused by the test'); END";
    }
  }
  ConfigText next;
  next.extra_instances = "    extra_log: {library: notifier_log, kind: notifier}\n";
  write(next);
  auto r = reload_over_http();
  ASSERT_EQ(r.status, 200) << r.body;
  const auto body = json::parse(r.body);
  EXPECT_EQ(body["plugins"]["added"], json::array({"extra_log"})) << r.body;
  EXPECT_NE(body.value("audit_error", "").find("audit refused by the test"), std::string::npos) << r.body;
}

// What "restart needed" compares: leaves by dotted path, a list whole, live prefixes left out.
TEST(ChangedSettings, ListsTheChangedLeavesOutsideTheLivePrefixes) {
  const json before = {
      {"server", {{"listen", "127.0.0.1"}, {"port", 8080}, {"cors_allowed_origins", {"a"}}}},
      {"database", {{"url", "sqlite3:///a.db"}}},
      {"plugins", {{"search_path", {"/a"}}, {"http", {{"timeout_ms", 1}}}, {"instances", json::object()}}},
      {"logging", {{"level", "info"}, {"format", "json"}}}};
  json after = before;
  after["server"]["listen"] = "0.0.0.0";
  after["server"]["cors_allowed_origins"] = {"a", "b"};
  after["database"]["url"] = "postgresql://x@h/db";
  after["plugins"]["search_path"] = {"/b"};
  after["plugins"]["http"]["timeout_ms"] = 2;
  after["plugins"]["instances"]["x"] = {{"library", "y"}};
  after["logging"]["level"] = "debug";
  after["logging"]["format"] = "text";
  after["jobs"] = {{"workers", 2}};
  EXPECT_EQ(app::changed_settings(before, after, app::live_settings()),
            (std::vector<std::string>{"database.url", "jobs", "logging.format", "server.cors_allowed_origins",
                                      "server.listen"}));
  EXPECT_TRUE(app::changed_settings(before, before, app::live_settings()).empty());
  // A prefix matches whole path segments only.
  EXPECT_EQ(app::changed_settings({{"bindingsx", 1}}, {{"bindingsx", 2}}, {"bindings"}),
            std::vector<std::string>{"bindingsx"});
}

TEST_F(ConfigReloadTest, PurchasesRunningThroughReloadsAreNeitherLostNorSoldTwice) {
  const std::string rifa = new_rifa(2000, true);
  std::vector<std::string> tokens;
  for (int i = 0; i < 8; ++i) tokens.push_back(player("p" + std::to_string(i) + "@reload.test"));

  std::atomic<bool> stop{false};
  std::atomic<int> created{0}, failed{0};
  std::vector<std::thread> buyers;
  for (int t = 0; t < 32; ++t) {
    buyers.emplace_back([&, t] {
      while (!stop.load()) {
        auto r = http_call("POST", base_ + "/api/v1/rifas/" + rifa + "/tickets", R"({"quantity":1})",
                           tokens[t % tokens.size()],
                           {"Idempotency-Key: t" + std::to_string(t) + "-" + std::to_string(++keys_)});
        if (r.status == 201) {
          ++created;
        } else {
          if (++failed <= 3) ADD_FAILURE() << "purchase answered " << r.status << ": " << r.body;
        }
      }
    });
  }
  // Six reloads while they buy: the payment instance they use is replaced (another config), a
  // notifier comes and goes.
  for (int i = 0; i < 6; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ConfigText c;
    c.sandbox_secret = i % 2 ? kSecretA : kSecretB;
    if (i % 3 == 0) c.extra_instances = "    extra_log: {library: notifier_log, kind: notifier}\n";
    write(c);
    auto r = reload_over_http();
    EXPECT_EQ(r.status, 200) << r.body;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  for (auto& b : buyers) b.join();

  EXPECT_EQ(failed.load(), 0);
  EXPECT_GT(created.load(), 32);
  const long long sold = count("SELECT count(*) FROM tickets WHERE rifa_id = '" + rifa + "' AND estado = 'vendido'");
  EXPECT_EQ(sold, created.load()) << "every 201 is one sold number, and nothing else was sold";
  EXPECT_EQ(count("SELECT count(DISTINCT numero) FROM tickets WHERE rifa_id = '" + rifa + "' AND estado = 'vendido'"),
            sold);
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + rifa + "' AND estado = 'reservado'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM transacciones WHERE rifa_id = '" + rifa + "' AND status = 'succeeded'"), sold);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'config.reloaded'"), 6);
}

}  // namespace
}  // namespace rifa::testing
