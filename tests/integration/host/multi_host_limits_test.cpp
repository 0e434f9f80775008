// Spending limits across two real rifa-host processes on one PostgreSQL (issue 15): 32 concurrent
// purchases by one player, half through each host, in two rifas, never take them over their daily
// limit. The limit binds through the buyer's users row, locked inside each purchase transaction
// (SqlSalesRepository's lock_buyer), which is what two processes share; their in-process state
// (connection pools, caches) is not. SQLite is the embedded single-host database: PostgreSQL only.
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "host_process.hpp"
#include "http_client.hpp"
#include "test_database.hpp"

namespace rifa::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// fixtures/seed: two activa rifas of the Bronce categoria (200.000 cents a number, 100 numbers).
constexpr const char* kRifas[] = {"74cc94c0-9e6b-41d5-bc3f-f51cac41c621", "95d58d87-8747-4c9c-8c81-ecd78629b894"};
constexpr int64_t kPrice = 200'000;
constexpr int64_t kLimit = 7 * kPrice;
constexpr const char* kPassword = "Correct-Horse-42";

TEST(MultiHostLimitsTest, ThirtyTwoConcurrentPurchasesThroughTwoHostProcessesNeverExceedTheLimit) {
  auto db = TestDatabase::create_or_skip();
  if (!db) GTEST_SKIP() << skip_reason();
  if (db->backend() != storage::Backend::kPostgresql)
    GTEST_SKIP() << "several hosts share one database only on PostgreSQL";
  TempDir dir;
  const fs::path config = dir.path() / "rifa.yaml";
  std::ofstream(config) << "server: {listen: 127.0.0.1, port: 0}\n"
                        << "database:\n  url: \"" << db->url() << "\"\n  pool_size: 8\n  seed: " << RIFA_SOURCE_DIR
                        << "/fixtures/seed\n"
                        << "logging: {level: info, format: json}\n"
                        << "secrets:\n  jwt_secret: test-only-jwt-secret-0123456789abcdef0123456789\n"
                        << "plugins:\n  search_path: [" << RIFA_PLUGIN_DIR << "]\n  instances:\n"
                        << "    mock: {library: lottery_mock, kind: lottery}\n"
                        << "    sandbox:\n      library: payment_sandbox\n      kind: payment\n"
                        << "      config: {webhook_secret: test-only-secret-0123456789abcdef0123456789}\n"
                        << "bindings:\n  defaults: {lottery: mock, payment: sandbox, notifiers: []}\n";
  // One after the other: the first migrates and seeds, the second finds it done.
  std::vector<std::unique_ptr<HostProcess>> hosts;
  std::vector<std::string> bases;
  for (int i = 0; i < 2; ++i) {
    const fs::path work = dir.path() / ("host-" + std::to_string(i));
    fs::create_directories(work);
    hosts.push_back(std::make_unique<HostProcess>(
        RIFA_HOST_BINARY, std::vector<std::string>{"--config", config.string(), "serve"}, work));
    auto port = hosts.back()->wait_for_log("listening on http://127.0.0.1:", std::chrono::seconds(60));
    ASSERT_TRUE(port) << hosts.back()->stderr_text();
    bases.push_back("http://127.0.0.1:" + *port);
  }

  ASSERT_EQ(http_call("POST", bases[0] + "/api/v1/auth/register",
                      json{{"nombre", "Compradora"},
                           {"email", "limite@example.com"},
                           {"password", kPassword},
                           {"fecha_nacimiento", "1990-05-17"},
                           {"documento_tipo", "CC"},
                           {"documento_numero", "1020304050"},
                           {"acepta_politica_datos", true}}
                          .dump())
                .status,
            202);
  auto login = http_call("POST", bases[1] + "/api/v1/auth/login",
                         json{{"email", "limite@example.com"}, {"password", kPassword}}.dump());
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string token = login.json().value("access_token", "");
  std::string user_id;
  {
    auto lease = db->db().lease();
    lease.session() << "SELECT id FROM users WHERE email = 'limite@example.com'", soci::into(user_id);
  }
  ASSERT_FALSE(user_id.empty());
  auto limited =
      http_call("PUT", bases[0] + "/api/v1/users/" + user_id + "/limites", json{{"diario", kLimit}}.dump(), token);
  ASSERT_EQ(limited.status, 200) << limited.body;

  constexpr int kPurchases = 32;
  std::atomic<int> created{0}, refused{0};
  std::mutex mutex;
  std::vector<std::string> unexpected;
  std::vector<std::thread> threads;
  for (int i = 0; i < kPurchases; ++i) {
    threads.emplace_back([&, i] {
      const json body = {{"quantity", 1 + i % 2}, {"idempotency_key", "h" + std::to_string(i)}};
      auto r =
          http_call("POST", bases[static_cast<size_t>(i % 2)] + "/api/v1/rifas/" + kRifas[(i / 2) % 2] + "/tickets",
                    body.dump(), token);
      if (r.status == 201) {
        ++created;
      } else if (r.status == 403 && r.json().value("type", "") == "https://rifa1122.dev/problems/limite-de-gasto") {
        ++refused;
      } else {
        std::lock_guard lock(mutex);
        unexpected.push_back(std::to_string(r.status) + " " + r.body);
      }
    });
  }
  for (auto& t : threads) t.join();
  for (auto& h : hosts) h->signal(SIGTERM);
  for (auto& h : hosts) {
    if (!h->wait(std::chrono::seconds(20))) h->signal(SIGKILL);
  }
  EXPECT_TRUE(unexpected.empty()) << unexpected.front();
  EXPECT_EQ(created + refused, kPurchases);
  EXPECT_GT(refused.load(), 0);
  long long spent = 0;
  {
    auto lease = db->db().lease();
    lease.session() << "SELECT COALESCE(sum(amount), 0) FROM transacciones WHERE user_id = :u AND status IN "
                       "('pending', 'succeeded')",
        soci::use(user_id), soci::into(spent);
  }
  EXPECT_LE(spent, kLimit);
  EXPECT_GE(spent, kLimit - kPrice);  // serialised, not refused wholesale: the limit was filled
}

}  // namespace
}  // namespace rifa::testing
