#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host_process.hpp"
#include "test_database.hpp"

namespace rifa::testing {

// Real rifa-host processes on one test database, for the crash-safety and multi-host tests: a
// config with the mock lottery, the sandbox (its state_file in the test folder, so its record
// of payouts survives every kill), the log notifier, fast job polling, a 2 s lease and a 1 s
// scheduler; and rifas whose fecha_fin has passed, all 100 tickets sold, two cash tiers.
class HostCluster {
 public:
  static constexpr int kTicketsPerRifa = 100;
  static constexpr int kTiers = 2;

  HostCluster(TestDatabase& db, const std::filesystem::path& dir);

  // Migrates the database and loads `rifas` rifas ready to close (estado activa, fecha_fin past).
  void load_rifas(int rifas);
  // Starts one more rifa-host; `crash_at` sets RIFA_TEST_CRASH_AT for it (common/crash_point.hpp).
  // Migrates and loads one rifa already cancelada with `paid` tickets each paid by its own
  // succeeded transaccion through "sandbox" (the sandbox's state file holds the payments, as the
  // provider that took them would), and its queued rifa.refund job. Returns the rifa id.
  std::string load_cancelled_rifa(int paid);
  HostProcess& start(const std::string& crash_at = "");
  void kill_all();  // SIGKILL every running host
  void stop_all();  // SIGTERM and wait

  // Polls until every rifa is settled and every cash prize paid (payouts enviado) and no
  // settlement or payout job is left; false after `timeout`.
  bool wait_until_done(std::chrono::seconds timeout);
  // Polls until `sql_count` reaches `expected` and no job of `kind` is queued or running.
  bool wait_until(const std::string& sql_count, long long expected, const std::string& kind,
                  std::chrono::seconds timeout);
  long long count(const std::string& sql_text);
  // The sandbox's own record of payouts: one JSON line per payout it made.
  std::vector<nlohmann::json> sandbox_payouts() const { return sandbox_records("payout"); }
  std::vector<nlohmann::json> sandbox_records(const std::string& kind) const;
  int rifas() const { return rifas_; }
  // Logs of every host started so far, for failure messages.
  std::string logs() const;
  // The stderr of the i-th host started.
  std::string host_log(size_t i) const { return hosts_.at(i)->stderr_text(); }

 private:
  TestDatabase& db_;
  std::filesystem::path dir_;
  std::filesystem::path config_;
  std::vector<std::unique_ptr<HostProcess>> hosts_;
  int rifas_ = 0;
};

// The exactly-once checks: one draw per rifa, kTiers ganadores each, every payout sent once and
// recorded once (our rows, the audit log, and the sandbox's own books agree), nothing dead.
void expect_settled_and_paid_once(HostCluster& cluster);

}  // namespace rifa::testing
