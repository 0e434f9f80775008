// rifa-host as operators run it: a real process, a real database, real plugin libraries, real
// sockets. Runs once on SQLite and once on PostgreSQL.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <thread>

#include <nlohmann/json.hpp>

#include "host_process.hpp"
#include "test_database.hpp"

namespace rifa::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class HostProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = TestDatabase::create_or_skip();
    if (!db_) GTEST_SKIP() << skip_reason();
    dir_ = fs::temp_directory_path() / ("rifa-host-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  fs::path write_config(const std::string& extra_instances = "", const std::string& database_url = "") {
    const fs::path file = dir_ / "rifa.yaml";
    std::ofstream(file) << "server:\n"
                           "  listen: 127.0.0.1\n"
                           "  port: 0\n"
                           "database:\n"
                           "  url: \""
                        << (database_url.empty() ? db_->url() : database_url)
                        << "\"\n"
                           "  seed: "
                        << RIFA_SOURCE_DIR
                        << "/fixtures/seed\n"
                           "logging:\n"
                           "  level: info\n"
                           "  format: json\n"
                        << secrets_block_
                        << "plugins:\n"
                           "  search_path: ["
                        << RIFA_PLUGIN_DIR
                        << "]\n"
                           "  instances:\n"
                           "    mock:\n"
                           "      library: lottery_mock\n"
                           "      kind: lottery\n"
                           "    sandbox:\n"
                           "      library: payment_sandbox\n"
                           "      kind: payment\n"
                           "      config: {"
                        << sandbox_config_
                        << "}\n"
                           "    log:\n"
                           "      library: notifier_log\n"
                           "      kind: notifier\n"
                        << extra_instances
                        << "bindings:\n"
                           "  defaults: {lottery: mock, payment: sandbox, notifiers: [log]}\n";
    return file;
  }

  std::unique_ptr<TestDatabase> db_;
  fs::path dir_;
  // Strong enough for a production host (app/secret_policy.hpp); tests of weak ones change them.
  std::string sandbox_config_ = "webhook_secret: test-only-secret-0123456789abcdef0123456789";
  std::string secrets_block_ = "secrets:\n  jwt_secret: test-only-jwt-secret-0123456789abcdef0123456789\n";
};

// The shipped examples, as config/rifa.yaml has them without RIFA_JWT_SECRET and
// RIFA_SANDBOX_WEBHOOK_SECRET: public, so a token or a payment confirmation signed with them is forgeable.
constexpr const char* kShippedJwtSecret = "dev-only-insecure-jwt-secret";
constexpr const char* kShippedSandboxSecret = "dev-only-sandbox-secret";

class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) { ::setenv(name, value, 1); }
  ~ScopedEnv() { ::unsetenv(name_); }

 private:
  const char* name_;
};

TEST_F(HostProcessTest, ServesHealthAndMetricsThenStopsCleanlyOnSigterm) {
  HostProcess host(RIFA_HOST_BINARY, {"--config", write_config().string(), "serve"}, dir_);
  auto port = host.wait_for_log("listening on http://127.0.0.1:", std::chrono::seconds(60));
  ASSERT_TRUE(port) << host.stderr_text();
  const std::string base = "http://127.0.0.1:" + *port;

  auto health = http_get(base + "/api/v1/health");
  ASSERT_EQ(health.status, 200) << health.body;
  const auto doc = json::parse(health.body);
  EXPECT_EQ(doc["status"], "up");
  EXPECT_EQ(doc["database"]["status"], "up");
  EXPECT_EQ(doc["database"]["detail"], db_->backend_name());
  ASSERT_EQ(doc["plugins"].size(), 3u) << health.body;
  std::map<std::string, std::string> kinds;
  for (const auto& p : doc["plugins"]) {
    EXPECT_EQ(p["status"], "up");
    kinds[p["id"]] = p["kind"];
  }
  EXPECT_EQ(kinds,
            (std::map<std::string, std::string>{{"log", "notifier"}, {"mock", "lottery"}, {"sandbox", "payment"}}));
  EXPECT_NE(health.headers.find("X-Request-Id: "), std::string::npos) << health.headers;
  EXPECT_NE(health.headers.find("X-Content-Type-Options: nosniff"), std::string::npos);
  // The job queue as the operator sees it: this host's workers, nothing due, nothing dead.
  ASSERT_TRUE(doc.contains("jobs")) << health.body;
  EXPECT_EQ(doc["jobs"]["status"], "up") << health.body;
  EXPECT_GE(doc["jobs"]["workers"].get<int>(), 1) << health.body;
  EXPECT_EQ(doc["jobs"]["dead"], 0) << health.body;
  EXPECT_TRUE(doc["jobs"].contains("oldest_due_age_s")) << health.body;
  EXPECT_TRUE(doc["audit"].contains("unsealed")) << health.body;
  for (const auto& p : doc["plugins"]) {
    EXPECT_TRUE(p.contains("last_success") && p.contains("last_failure")) << p.dump();
  }
  // The load balancer's pair.
  auto live = http_get(base + "/api/v1/health/live");
  EXPECT_EQ(live.status, 200) << live.body;
  EXPECT_EQ(json::parse(live.body)["status"], "up");
  auto ready = http_get(base + "/api/v1/health/ready");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(json::parse(ready.body)["status"], "ready") << ready.body;
  EXPECT_EQ(json::parse(ready.body)["checks"]["database"]["status"], "up") << ready.body;

  auto missing = http_get(base + "/api/v1/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, "application/problem+json");
  EXPECT_EQ(json::parse(missing.body)["status"], 404);

  auto metrics = http_get(base + "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find(R"(rifa_http_requests_total{method="GET",route="/api/v1/health",status="200"} 1)"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find(R"(rifa_http_requests_total{method="GET",route="not_found",status="404"} 1)"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("# TYPE rifa_http_request_duration_seconds histogram"), std::string::npos);
  // The gauges deploy/prometheus/rifa-alerts.yml alerts on, refreshed by the scrape itself.
  for (const char* gauge : {"rifa_database_up 1", "rifa_jobs_due ", "rifa_jobs_oldest_due_age_seconds ",
                            "rifa_jobs_dead 0", "rifa_audit_unsealed ", "rifa_audit_oldest_unsealed_age_seconds "}) {
    EXPECT_NE(metrics.body.find(std::string("\n") + gauge), std::string::npos) << gauge << "\n" << metrics.body;
  }

  host.signal(SIGTERM);
  auto code = host.wait(std::chrono::seconds(15));
  ASSERT_TRUE(code) << "did not stop within 15 s of SIGTERM";
  EXPECT_EQ(*code, 0) << host.stderr_text();
  // Every log line is one JSON object.
  std::istringstream lines(host.stderr_text());
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    EXPECT_TRUE(json::accept(line)) << line;
  }
  EXPECT_GT(count, 1);
  EXPECT_NE(host.stderr_text().find("stopped cleanly"), std::string::npos);
}

TEST_F(HostProcessTest, StopsOnSigintToo) {
  HostProcess host(RIFA_HOST_BINARY, {"--config", write_config().string(), "serve"}, dir_);
  ASSERT_TRUE(host.wait_for_log("listening on http://127.0.0.1:", std::chrono::seconds(60))) << host.stderr_text();
  host.signal(SIGINT);
  auto code = host.wait(std::chrono::seconds(15));
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, 0);
}

TEST_F(HostProcessTest, RefusesToServeWithTheShippedSecretsNamingEachOne) {
  secrets_block_ = std::string("secrets:\n  jwt_secret: ") + kShippedJwtSecret + "\n";
  sandbox_config_ = std::string("webhook_secret: ") + kShippedSandboxSecret;
  HostProcess host(RIFA_HOST_BINARY, {"--config", write_config().string(), "serve"}, dir_);
  auto code = host.wait(std::chrono::seconds(30));
  ASSERT_TRUE(code) << "served with public secrets: " << host.stderr_text();
  EXPECT_EQ(*code, 3);
  const std::string err = host.stderr_text();
  EXPECT_NE(err.find("secrets.jwt_secret is a shipped example value"), std::string::npos) << err;
  EXPECT_NE(err.find("plugins.instances.sandbox.config.webhook_secret is a shipped example value"), std::string::npos)
      << err;
  EXPECT_NE(err.find("refusing to serve with 2 weak secret(s)"), std::string::npos) << err;
}

TEST_F(HostProcessTest, RefusesShortSecrets) {
  secrets_block_ = "secrets:\n  jwt_secret: x\n";
  sandbox_config_ = "webhook_secret: 0123456789abcdef0123456789abcde";  // 31 bytes
  auto r = run_host(RIFA_HOST_BINARY, {"--config", write_config().string(), "serve"}, dir_);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("secrets.jwt_secret is 1 bytes; use at least 32 random bytes"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("plugins.instances.sandbox.config.webhook_secret is 31 bytes"), std::string::npos) << r.err;
}

TEST_F(HostProcessTest, DevelopmentModeServesWithTheShippedSecretsAndSaysSo) {
  secrets_block_ = std::string("secrets:\n  jwt_secret: ") + kShippedJwtSecret + "\n";
  // The sandbox itself also refuses its shipped secret unless its own config says development.
  sandbox_config_ = std::string("webhook_secret: ") + kShippedSandboxSecret + ", development: true";
  const auto config = write_config().string();
  {
    HostProcess host(RIFA_HOST_BINARY, {"--config", config, "--dev", "serve"}, dir_);
    ASSERT_TRUE(host.wait_for_log("listening on http://127.0.0.1:", std::chrono::seconds(60))) << host.stderr_text();
    EXPECT_NE(host.stderr_text().find("(allowed: development mode)"), std::string::npos) << host.stderr_text();
    host.signal(SIGTERM);
    EXPECT_EQ(host.wait(std::chrono::seconds(15)), 0);
  }
  ScopedEnv development("RIFA_ENV", "development");
  HostProcess host(RIFA_HOST_BINARY, {"--config", config, "serve"}, dir_);
  ASSERT_TRUE(host.wait_for_log("listening on http://127.0.0.1:", std::chrono::seconds(60))) << host.stderr_text();
  host.signal(SIGTERM);
  EXPECT_EQ(host.wait(std::chrono::seconds(15)), 0);
}

TEST_F(HostProcessTest, APluginThatWillNotLoadStopsStartupNamingFileAndReason) {
  const std::string ghost = "    ghost:\n      library: lottery_ghost\n      kind: lottery\n";
  auto r = run_host(RIFA_HOST_BINARY, {"--config", write_config(ghost).string(), "serve"}, dir_);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  const std::string expected =
      std::string("plugin 'ghost': plugin library ") + RIFA_PLUGIN_DIR + "/liblottery_ghost.so: file not found";
  EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
}

TEST_F(HostProcessTest, AnUnreachableDatabaseStopsStartup) {
  auto r = run_host(
      RIFA_HOST_BINARY,
      {"--config", write_config("", "postgresql://nobody@127.0.0.1:1/nothing?connect_timeout=2").string(), "serve"},
      dir_);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("database"), std::string::npos) << r.err;
}

// The database going away under a serving host: /health and /health/ready answer 503 (a load
// balancer takes the host out), /health/live stays 200 (the process is fine: no restart), and
// both come back once the database does. On PostgreSQL: the test database stops accepting
// connections and the host's are terminated, as when the server is stopped.
TEST_F(HostProcessTest, HealthAnswers503WhileTheDatabaseIsDownAndLiveStays200) {
  if (db_->backend() != storage::Backend::kPostgresql) GTEST_SKIP() << "a SQLite file cannot go down under the host";
  const std::string name = db_->url().substr(db_->url().rfind('/') + 1);
  const auto admin = [&](const std::string& sql_text) {
    const std::string command = "psql -X -q -v ON_ERROR_STOP=1 \"" +
                                std::string(std::getenv("RIFA_TEST_POSTGRES_URL")) + "\" -c \"" + sql_text +
                                "\" >/dev/null";
    return std::system(command.c_str());
  };
  HostProcess host(RIFA_HOST_BINARY, {"--config", write_config().string(), "serve"}, dir_);
  auto port = host.wait_for_log("listening on http://127.0.0.1:", std::chrono::seconds(60));
  ASSERT_TRUE(port) << host.stderr_text();
  const std::string base = "http://127.0.0.1:" + *port;
  ASSERT_EQ(http_get(base + "/api/v1/health").status, 200);

  ASSERT_EQ(admin("ALTER DATABASE " + name +
                  " ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM "
                  "pg_stat_activity WHERE datname = '" +
                  name + "'"),
            0);
  struct Reopen {
    std::function<int(const std::string&)> run;
    std::string name;
    ~Reopen() { run("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true"); }
  } reopen{admin, name};

  auto health = http_get(base + "/api/v1/health");
  EXPECT_EQ(health.status, 503) << health.body;
  EXPECT_EQ(json::parse(health.body)["status"], "down") << health.body;
  EXPECT_EQ(json::parse(health.body)["database"]["status"], "down") << health.body;
  auto ready = http_get(base + "/api/v1/health/ready");
  EXPECT_EQ(ready.status, 503) << ready.body;
  EXPECT_EQ(json::parse(ready.body)["status"], "not_ready") << ready.body;
  EXPECT_EQ(http_get(base + "/api/v1/health/live").status, 200);

  ASSERT_EQ(admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true"), 0);
  long status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {
    status = http_get(base + "/api/v1/health/ready").status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, 200) << "the host did not come back with the database";
  EXPECT_EQ(http_get(base + "/api/v1/health").status, 200);
  host.signal(SIGTERM);
  EXPECT_TRUE(host.wait(std::chrono::seconds(15)));
}

TEST_F(HostProcessTest, MigrateIsIdempotent) {
  const auto config = write_config().string();
  auto first = run_host(RIFA_HOST_BINARY, {"--config", config, "migrate"}, dir_);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("applied "), std::string::npos) << first.out;
  auto second = run_host(RIFA_HOST_BINARY, {"--config", config, "migrate"}, dir_);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, "database is up to date\n");
}

TEST_F(HostProcessTest, PluginsListShowsEachInstance) {
  auto r = run_host(RIFA_HOST_BINARY, {"--config", write_config().string(), "plugins", "list"}, dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("mock\tlottery\tmock "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sandbox\tpayment\tsandbox "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("log\tnotifier\tlog "), std::string::npos) << r.out;
}

}  // namespace
}  // namespace rifa::testing
