#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "common/result.hpp"
#include "storage/database.hpp"

namespace rifa::storage {

// PostgreSQL: the live feed's changes reach the LISTENing hosts through live_outbox (migration
// 0025), not from the writers' own transactions: a transaction that NOTIFYs holds one cluster-wide
// lock through its commit's flush, and every purchase queued behind every other one's fsync.
//
// Sends at most `batch` outbox rows, oldest first, in one transaction (rifa_live_relay(): one relay
// at a time across hosts, waiting for another one's commit); returns how many it sent.
Result<int64_t> relay_live_outbox(Database& db, int batch = 1000);

// A thread that relays the outbox soon after this host commits a write (it looks at the Database's
// write_generation every `poll`) and every `interval` whatever happens (rows other hosts, or the
// CLI, left behind), and once more when stopped. PostgreSQL only: with SQLite, start() does
// nothing. Errors go to `on_error` and the loop goes on.
class LiveOutboxRelay {
 public:
  struct Options {
    std::chrono::milliseconds poll{2};
    std::chrono::milliseconds interval{250};
    std::function<void(const std::string&)> on_error;
  };
  LiveOutboxRelay(Database& db, Options options);
  ~LiveOutboxRelay();
  LiveOutboxRelay(const LiveOutboxRelay&) = delete;
  LiveOutboxRelay& operator=(const LiveOutboxRelay&) = delete;

  void start();
  // Stops after one last relay. Idempotent.
  void stop();

 private:
  void relay_all();
  void run();

  Database& db_;
  Options options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace rifa::storage
