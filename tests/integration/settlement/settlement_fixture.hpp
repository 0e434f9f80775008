#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/metrics.hpp"
#include "engine/clock.hpp"
#include "engine/jobs/job_queue.hpp"
#include "jobs/job_runner.hpp"
#include "plugin_runtime/plugin_registry.hpp"
#include "plugin_runtime/plugin_lottery_gateway.hpp"
#include "jobs/settlement_scheduler.hpp"
#include "engine/settlement/settlement_service.hpp"
#include "storage/repositories/sql_settlement_repository.hpp"
#include "test_database.hpp"

namespace rifa::testing {

// A clock the test moves; the plugins, the service, the queue and the scheduler all read it.
class SettlementClock final : public engine::Clock {
 public:
  engine::TimePoint now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  void set(engine::TimePoint t) {
    std::lock_guard lock(mutex_);
    now_ = t;
  }
  void advance(std::chrono::seconds by) {
    std::lock_guard lock(mutex_);
    now_ += by;
  }

 private:
  mutable std::mutex mutex_;
  engine::TimePoint now_;
};

engine::TimePoint utc(const std::string& iso);

// Settlement as the host runs it, on a fresh migrated database: the real lottery_mock library
// loaded as several instances, SqlSettlementRepository, SettlementService, the job queue and
// runner with the settlement handlers, and the scheduler.
//
// The mock draws with seed "c1" (sha256("c1|<date>")): on 2030-02-01 the number is 4740 and the
// series 596 (draw number 3685, days since 2020-01-01 plus one), published 2030-02-01 22:30
// America/Bogota = 2030-02-02T03:30:00Z. Instances:
//   "mock"       4 digits + 3-digit series (loteria "lot-mock", meta {"cifras": 4, "series": 3})
//   "mock2"      2 digits, no series (loteria "lot-mock2": a one-ball "baloto-like" draw)
//   "scripted"   2030-02-01 answers not published, then garbage, then the right draw
//   "wrongdate"  2030-02-01 answers the draw of another date, then the right one
// Bound notifiers (not loaded: notify.deliver jobs are only enqueued here): "log" and "sms".
class SettlementTest : public ::testing::Test {
 protected:
  static constexpr const char* kDrawDate = "2030-02-01";
  static constexpr int64_t kPrecio = 1'000'000;  // 10,000.00 COP
  static constexpr int kRakeBp = 2500;

  void SetUp() override;
  void TearDown() override;

  storage::Database& db() { return test_db_->db(); }
  long long count(const std::string& sql_text);
  std::string text(const std::string& sql_text);
  void exec(const std::string& sql_text);

  // A rifa of `total` tickets at kPrecio in categoria "Oro" (rake kRakeBp), drawn on kDrawDate.
  std::string add_rifa(const nlohmann::json& reglas, int total = 100, const std::string& loteria = "lot-mock",
                       const std::string& estado = "activa", const std::string& fecha_fin = "2030-02-01T20:00:00Z");
  // Marks these numbers vendido to the fixture's player.
  void sell(const std::string& rifa_id, const std::vector<int>& numeros);
  // Closes (as an operador) and settles once; fails the test on an error.
  settlement::SettleOutcome close_and_settle(const std::string& rifa_id);
  // "numero:tier:monto" of every ganador, ordered by tier then numero.
  std::vector<std::string> winners(const std::string& rifa_id);
  int drain();

  std::unique_ptr<TestDatabase> test_db_;
  SettlementClock clock_;
  MetricsRegistry metrics_;
  plugin_runtime::PluginRegistry plugins_;
  std::unique_ptr<plugin_runtime::PluginLotteryGateway> lotteries_;
  std::unique_ptr<storage::SqlSettlementRepository> repo_;
  std::unique_ptr<settlement::SettlementService> service_;
  std::unique_ptr<jobs::JobQueue> queue_;
  std::unique_ptr<jobs::JobRunner> runner_;
  std::unique_ptr<settlement::SettlementScheduler> scheduler_;
  std::string player_id_;
  const engine::Actor operador_{"op-1", engine::Rol::kOperador};
  const engine::Actor admin_{"admin-1", engine::Rol::kAdmin};
};

}  // namespace rifa::testing
