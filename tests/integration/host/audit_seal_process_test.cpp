// The audit sealer in real rifa-host processes (SQLite and PostgreSQL): rows a host wrote and did not
// seal before it was killed with SIGKILL are sealed by the next host, in order, and the chain
// verifies; while they wait past audit.unsealed_warn_ms, /api/v1/health says "degraded" (200).
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "http_client.hpp"
#include "host_process.hpp"
#include "test_database.hpp"

namespace rifa::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kSeededRifa = "4aa2ae01-80ea-42c5-986f-7995f4a4c699";  // fixtures/seed: activa, 100 numbers
constexpr const char* kPassword = "Correct-Horse-42";

class AuditSealProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = TestDatabase::create_or_skip();
    if (!db_) GTEST_SKIP() << skip_reason();
    dir_ = fs::temp_directory_path() / ("rifa-audit-seal-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  fs::path write_config(long long seal_interval_ms, long long unsealed_warn_ms) {
    const fs::path file = dir_ / "rifa.yaml";
    std::ofstream(file) << "server: {listen: 127.0.0.1, port: 0}\n"
                        << "database:\n  url: \"" << db_->url() << "\"\n  seed: " << RIFA_SOURCE_DIR
                        << "/fixtures/seed\n"
                        << "logging: {level: info, format: json}\n"
                        << "secrets:\n  jwt_secret: test-only-jwt-secret-0123456789abcdef0123456789\n"
                        << "audit:\n  seal_interval_ms: " << seal_interval_ms
                        << "\n  unsealed_warn_ms: " << unsealed_warn_ms << "\n"
                        << "plugins:\n  search_path: [" << RIFA_PLUGIN_DIR << "]\n  instances:\n"
                        << "    mock: {library: lottery_mock, kind: lottery}\n"
                        << "    sandbox:\n      library: payment_sandbox\n      kind: payment\n"
                        << "      config: {webhook_secret: test-only-secret-0123456789abcdef0123456789}\n"
                        << "bindings:\n  defaults: {lottery: mock, payment: sandbox, notifiers: []}\n";
    return file;
  }

  std::string start(std::unique_ptr<HostProcess>& host, const fs::path& config) {
    host = std::make_unique<HostProcess>(RIFA_HOST_BINARY,
                                         std::vector<std::string>{"--config", config.string(), "serve"}, dir_);
    auto port = host->wait_for_log("listening on http://127.0.0.1:", std::chrono::seconds(60));
    EXPECT_TRUE(port) << host->stderr_text();
    return port ? "http://127.0.0.1:" + *port : "";
  }

  long long count(const std::string& sql_text) {
    long long n = 0;
    auto lease = db_->db().lease();
    lease.session() << sql_text, soci::into(n);
    return n;
  }

  std::unique_ptr<TestDatabase> db_;
  fs::path dir_;
};

TEST_F(AuditSealProcessTest, RowsLeftUnsealedByAKilledHostAreSealedInOrderAfterRestart) {
  // Host 1 seals once at start and then not for an hour; a row unsealed for 300 ms is a warning.
  std::unique_ptr<HostProcess> first;
  const std::string base = start(first, write_config(3600 * 1000, 300));
  ASSERT_FALSE(base.empty());
  ASSERT_EQ(http_call("POST", base + "/api/v1/auth/register",
                      json{{"nombre", "Compradora"},
                           {"email", "compra@example.com"},
                           {"password", kPassword},
                           {"fecha_nacimiento", "1990-05-17"},
                           {"documento_tipo", "CC"},
                           {"documento_numero", "1020304050"},
                           {"acepta_politica_datos", true}}
                          .dump())
                .status,
            202);
  auto login = http_call("POST", base + "/api/v1/auth/login",
                         json{{"email", "compra@example.com"}, {"password", kPassword}}.dump());
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string token = login.json().value("access_token", "");
  constexpr int kPurchases = 5;
  for (int i = 0; i < kPurchases; ++i) {
    auto bought = http_call("POST", base + "/api/v1/rifas/" + std::string(kSeededRifa) + "/tickets",
                            json{{"quantity", 1},
                                 {"payment_method", "card"},
                                 {"idempotency_key", std::string("k").append(std::to_string(i))}}
                                .dump(),
                            token);
    ASSERT_TRUE(bought.status == 201 || bought.status == 200) << bought.body;
  }
  const long long written = count("SELECT count(*) FROM audit_log");
  ASSERT_GE(written, 2 * kPurchases) << "a purchase writes payment.created and payment.succeeded";
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE seq IS NULL"), written) << "nothing sealed yet";

  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  auto health = http_call("GET", base + "/api/v1/health");
  ASSERT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(health.json()["status"], "degraded") << health.body;
  EXPECT_EQ(health.json()["audit"]["status"], "warn") << health.body;

  first->signal(SIGKILL);
  ASSERT_TRUE(first->wait(std::chrono::seconds(10)));
  // The host's jobs (the sales' notifications) may have audited more since the purchases: what
  // the dead host left is counted now.
  const long long left = count("SELECT count(*) FROM audit_log");
  ASSERT_GE(left, written);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE seq IS NULL"), left) << "the kill sealed nothing";

  // Host 2 seals what host 1 left, at its start.
  std::unique_ptr<HostProcess> second;
  const std::string base2 = start(second, write_config(100, 1000));
  ASSERT_FALSE(base2.empty());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (count("SELECT count(*) FROM audit_log WHERE seq IS NULL") > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE seq IS NULL"), 0) << second->stderr_text();
  // Everything host 1 left is sealed, and whatever host 2 audited since too, in one gap-free run.
  const long long sealed = count("SELECT count(*) FROM audit_log WHERE seq IS NOT NULL");
  EXPECT_GE(sealed, left);
  EXPECT_EQ(count("SELECT max(seq) FROM audit_log"), sealed);
  // All of them had committed before the sealer looked: seq follows id.
  EXPECT_EQ(count("SELECT count(*) FROM audit_log a JOIN audit_log b ON a.id < b.id AND a.seq > b.seq"), 0);
  auto health2 = http_call("GET", base2 + "/api/v1/health");
  ASSERT_EQ(health2.status, 200) << health2.body;
  EXPECT_EQ(health2.json()["status"], "up") << health2.body;
  second->signal(SIGTERM);
  ASSERT_TRUE(second->wait(std::chrono::seconds(30)));

  auto verified = run_host(RIFA_HOST_BINARY, {"--config", (dir_ / "rifa.yaml").string(), "audit", "verify"}, dir_);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  const long long total = count("SELECT count(*) FROM audit_log");
  EXPECT_NE(verified.out.find("audit log OK: " + std::to_string(total) + " entries"), std::string::npos)
      << verified.out;
  EXPECT_NE(verified.out.find("0 entries waiting to be sealed"), std::string::npos) << verified.out;
}

TEST_F(AuditSealProcessTest, AuditSealCommandSealsWhatWaits) {
  write_config(3600 * 1000, 3600 * 1000);
  // create-admin writes one audited row (actor "cli") and, as every writer now, leaves it unsealed.
  ::setenv("RIFA_ADMIN_PASSWORD", kPassword, 1);
  auto created = run_host(RIFA_HOST_BINARY,
                          {"--config", (dir_ / "rifa.yaml").string(), "users", "create-admin", "--email",
                           "root@example.com", "--nombre", "Root"},
                          dir_);
  ::unsetenv("RIFA_ADMIN_PASSWORD");
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  const long long waiting = count("SELECT count(*) FROM audit_log WHERE seq IS NULL");
  ASSERT_GE(waiting, 1);
  auto before = run_host(RIFA_HOST_BINARY, {"--config", (dir_ / "rifa.yaml").string(), "audit", "verify"}, dir_);
  EXPECT_EQ(before.exit_code, 0) << before.out << before.err;
  EXPECT_NE(before.out.find(std::to_string(waiting) + " entr"), std::string::npos) << before.out;
  EXPECT_NE(before.out.find("waiting to be sealed, the oldest for "), std::string::npos) << before.out;
  auto sealed = run_host(RIFA_HOST_BINARY, {"--config", (dir_ / "rifa.yaml").string(), "audit", "seal"}, dir_);
  EXPECT_EQ(sealed.exit_code, 0) << sealed.out << sealed.err;
  EXPECT_NE(sealed.out.find("sealed " + std::to_string(waiting) + " entries"), std::string::npos) << sealed.out;
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE seq IS NULL"), 0);
}

}  // namespace
}  // namespace rifa::testing
