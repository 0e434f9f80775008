// The operator console (/admin/) and the public rifa page (/rifas/{id}) in headless Chromium,
// against a real `rifa-host serve` on SQLite and on PostgreSQL. This driver prepares what a browser
// cannot (the database, an admin made with `users create-admin`, a dead job to retry, a config whose
// mock lottery answers the draw at once) and runs tests/browser/console.test.mjs (puppeteer-core +
// axe-core, installed by the browser_npm fixture), which does everything else through the pages
// and the API. Screenshots land in <build>/tests/browser/screenshots/<backend>/.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>

#include "host_process.hpp"
#include "test_database.hpp"

namespace rifa::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kAdminPassword = "Correct-Horse-42";
constexpr const char* kDeadJobId = "browser-dead-job-1";

// Tomorrow in Bogota (UTC-5): on or after the fecha_fin the browser sets (now + 1 h).
std::string draw_date() {
  const auto t = std::chrono::system_clock::now() + std::chrono::hours(26) - std::chrono::hours(5);
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{days};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

bool executable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

std::string which(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string paths = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= paths.size()) {
    size_t end = paths.find(':', start);
    if (end == std::string::npos) end = paths.size();
    const std::string candidate = paths.substr(start, end - start) + "/" + program;
    if (executable(candidate)) return candidate;
    start = end + 1;
  }
  return {};
}

class BrowserConsoleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    chromium_ = env_or("RIFA_CHROMIUM", "/usr/bin/chromium");
    if (!executable(chromium_))
      GTEST_SKIP() << "chromium not found at " << chromium_ << " (apt-get install chromium; scripts/setup.sh does)";
    node_ = which("node");
    if (node_.empty()) GTEST_SKIP() << "node not found (apt-get install nodejs npm; scripts/setup.sh does)";
    if (!fs::exists(fs::path(RIFA_BROWSER_NPM_DIR) / "node_modules/puppeteer-core/package.json")) {
      GTEST_SKIP() << "puppeteer-core is not installed in " << RIFA_BROWSER_NPM_DIR
                   << " (the browser_npm fixture installs it)";
    }
    db_ = TestDatabase::create_or_skip();
    if (!db_) GTEST_SKIP() << skip_reason();
    backend_ = env_or("RIFA_TEST_BACKEND", "sqlite");
    dir_ = fs::temp_directory_path() / ("rifa-browser-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    stop_nudging_ = true;
    if (nudger_.joinable()) nudger_.join();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  fs::path write_config() {
    const fs::path file = dir_ / "rifa.yaml";
    std::ofstream(file)
        << "server:\n  listen: 127.0.0.1\n  port: 0\n  web_root: " << RIFA_SOURCE_DIR << "/web\n"
        << "  rate_limit: {per_ip: {per_second: 1000, burst: 2000}, per_user: {per_second: 1000, burst: 2000}}\n"
        << "database:\n  url: \"" << db_->url() << "\"\n  seed: " << RIFA_SOURCE_DIR << "/fixtures/seed\n"
        << "logging: {level: info, format: json}\n"
        << "secrets:\n  jwt_secret: test-only-jwt-secret-0123456789abcdef0123456789\n"
        << "jobs: {poll_interval_ms: 100}\n"
        << "audit: {seal_interval_ms: 200}\n"
        << "plugins:\n  search_path: [" << RIFA_PLUGIN_DIR << "]\n  instances:\n"
        << "    mock:\n      library: lottery_mock\n      kind: lottery\n"
        << "      config: {seed: browser, scripted: {\"" << draw_date() << "\": [ok]}}\n"
        << "    sandbox:\n      library: payment_sandbox\n      kind: payment\n"
        << "      config: {webhook_secret: test-only-secret-0123456789abcdef0123456789}\n"
        << "bindings:\n  defaults: {lottery: mock, payment: sandbox, notifiers: []}\n";
    return file;
  }

  void exec(const std::string& sql_text) {
    auto lease = db_->db().lease();
    lease.session() << sql_text;
  }

  // The settlement job waits for the draw's publication time; the mock publishes the scripted
  // date at once, so the job is made due as soon as it is queued (what a day's wait would do).
  void nudge_settlements() {
    nudger_ = std::thread([this] {
      while (!stop_nudging_) {
        try {
          exec(
              "UPDATE jobs SET run_at = created_at WHERE kind = 'rifa.settle' AND status = 'queued' AND run_at > "
              "created_at");
        } catch (const std::exception&) {}
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    });
  }

  std::unique_ptr<TestDatabase> db_;
  std::string chromium_;
  std::string node_;
  std::string backend_;
  fs::path dir_;
  std::thread nudger_;
  std::atomic<bool> stop_nudging_{false};
};

TEST_F(BrowserConsoleTest, ConsoleAndPublicPageEndToEnd) {
  const fs::path config = write_config();
  ::setenv("RIFA_ADMIN_PASSWORD", kAdminPassword, 1);
  auto created = run_host(RIFA_HOST_BINARY,
                          {"--config", config.string(), "users", "create-admin", "--email", "admin@rifa1122.test",
                           "--nombre", "Administradora"},
                          dir_);
  ::unsetenv("RIFA_ADMIN_PASSWORD");
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;

  HostProcess host(RIFA_HOST_BINARY, {"--config", config.string(), "serve"}, dir_);
  auto port = host.wait_for_log("listening on http://127.0.0.1:", std::chrono::seconds(60));
  ASSERT_TRUE(port) << host.stderr_text();
  const std::string base = "http://127.0.0.1:" + *port;

  // A job that failed for good, for the console to retry.
  exec(std::string(
           "INSERT INTO jobs (id, kind, payload, status, run_at, attempts, max_attempts, last_error) VALUES ('") +
       kDeadJobId +
       "', 'notify.deliver', '{}', 'dead', '2026-01-01T00:00:00Z', 5, 5, 'webhook: 503 Service Unavailable (prueba)')");
  nudge_settlements();

  const fs::path shots = fs::path(RIFA_BROWSER_SHOTS_DIR) / backend_;
  fs::remove_all(shots);  // only this run's screenshots (and failure shots) are left there
  fs::create_directories(shots);
  const fs::path log = dir_ / "node.log";
  std::string command = "cd '" + std::string(RIFA_SOURCE_DIR) + "' && env BASE_URL='" + base +
                        "' ADMIN_EMAIL=admin@rifa1122.test ADMIN_PASSWORD='" + kAdminPassword +
                        "' DRAW_DATE=" + draw_date() + " DEAD_JOB_ID=" + kDeadJobId + " SHOTS_DIR='" + shots.string() +
                        "' NPM_DIR='" + RIFA_BROWSER_NPM_DIR + "' CHROMIUM='" + chromium_ + "' BACKEND=" + backend_ +
                        " '" + node_ + "' tests/browser/console.test.mjs > '" + log.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream in(log);
  const std::string output((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::cout << output;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "console.test.mjs failed (exit " << (WIFEXITED(status) ? WEXITSTATUS(status) : -1)
      << "; its output is above)\n--- host stderr (tail) ---\n"
      << host.stderr_text().substr(host.stderr_text().size() > 6000 ? host.stderr_text().size() - 6000 : 0);
  host.signal(SIGTERM);
  host.wait(std::chrono::seconds(30));
}

}  // namespace
}  // namespace rifa::testing
