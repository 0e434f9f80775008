#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/jobs/job_queue.hpp"
#include "jobs/job_runner.hpp"
#include "plugin_runtime/plugin_registry.hpp"
#include "settings/settings.hpp"
#include "test_database.hpp"

namespace rifa::testing {

// The payout side as the host runs it: a fresh migrated database (SQLite or PostgreSQL), the real
// plugin libraries from build/plugins (payment_sandbox with a state_file, notifier_log instances
// writing JSON lines), the real job queue and runner with app::register_payout_jobs. Only the
// queue's clock is the test's, so retries after backoff can be run at once.
//
// Plugin instances: "sandbox" (immediate; amount 777 is declined), "sandbox_manual" (payments
// stay pending until a webhook), notifiers "log_a" and "log_b" (bound by default) and "log_fail"
// (every event type fails; bound, with log_a, to categoria "Fallida").
class PayoutTest : public ::testing::Test {
 protected:
  static constexpr int64_t kDeclinedCents = 777;
  static constexpr int kMaxAttempts = 3;
  static constexpr const char* kSandboxSecret = "payout-test-sandbox-secret-0123";

  void SetUp() override;
  void TearDown() override;

  storage::Database& db() { return test_db_->db(); }
  // Loads (or, after unload_plugins, reloads: a host restart as the sandbox sees it) the plugins.
  void load_plugins();
  void unload_plugins();
  // Runs every due job on this thread; returns how many ran.
  int drain();
  // Moves the queue's clock (backoff) forward.
  void advance(std::chrono::seconds by);

  long long count(const std::string& sql_text);
  std::string text(const std::string& sql_text);
  void exec(const std::string& sql_text);

  // Data, by direct SQL: the purchase path belongs to the sales code and is tested there.
  std::string add_user(const std::string& nombre);
  // A rifa in a categoria ("Normal" or "Fallida") with `total` disponible tickets priced `precio`.
  std::string add_rifa(const std::string& estado, const std::string& categoria = "Normal", int total = 100,
                       int64_t precio = 1000, const nlohmann::json& reglas = nlohmann::json::object());
  // Sells `numeros` of the rifa to the user through `instance` (a real create_payment):
  // transaccion succeeded (or pending for sandbox_manual), tickets vendido (or reservado).
  // Returns the transaccion id.
  std::string sell(const std::string& rifa_id, const std::string& user_id, const std::vector<int>& numeros,
                   const std::string& instance = "sandbox");
  std::string ticket_id(const std::string& rifa_id, int numero);
  // A ganador row for that ticket (as settlement writes it), estado ganador.
  std::string add_ganador(const std::string& ticket_id, int tier, int64_t monto_cents);

  // Records in the sandbox's own state file: one line per put; distinct refs per kind.
  std::vector<nlohmann::json> sandbox_records(const std::string& kind);
  // Events a log notifier wrote (JSON lines).
  std::vector<nlohmann::json> notifier_events(const std::string& notifier);

  std::unique_ptr<TestDatabase> test_db_;
  std::unique_ptr<TempDir> dir_;
  settings::Settings settings_;
  std::unique_ptr<plugin_runtime::PluginRegistry> plugins_;
  std::unique_ptr<jobs::JobQueue> queue_;
  std::unique_ptr<jobs::JobRunner> runner_;
  std::string categoria_normal_, categoria_fallida_, loteria_;

 private:
  mutable std::mutex clock_mutex_;
  std::chrono::system_clock::duration offset_{0};
  int sequence_ = 0;
};

}  // namespace rifa::testing
