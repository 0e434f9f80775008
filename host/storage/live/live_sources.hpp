#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/live/live_feed.hpp"
#include "storage/database.hpp"

// Where the live feed's changes come from (engine/live/live_feed.hpp's ChangeSource), per backend,
// and the rifa as the feed starts from (SnapshotReader).
//
// PostgreSQL: triggers (migration 0018, rewritten by 0025) write one small JSON row per statement
// and (rifa, estado, owner) into live_outbox inside the transaction that changes tickets, a rifa's
// estado, its draw or its winners; one host at a time relays the committed rows in order with
// pg_notify('rifa_live', …) (storage/live_outbox_relay: a NOTIFY in the buyer's own commit held a
// cluster-wide lock through its fsync), and every host LISTENing on that database gets them
// (PgLiveListener, one libpq connection per host).
// SQLite (one host): the same rows are captured on each pooled connection by TEMP triggers calling
// a function of this process, and handed to the feed from the connection's WAL hook, which SQLite
// calls only after a commit (SqliteLiveCapture); a rollback drops them.
namespace rifa::storage {

// Parses one 'rifa_live' payload (the PostgreSQL triggers' JSON); nullopt when malformed.
std::optional<engine::live::Change> parse_live_payload(const std::string& payload);

// Hands batches to the sink on its own thread, so that neither a committing connection nor the
// listener runs the fan-out.
class ChangeQueue {
 public:
  void start(std::function<void(std::vector<engine::live::Change>)> sink);
  void stop();
  void push(std::vector<engine::live::Change> batch);

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::vector<engine::live::Change>> queue_;
  std::function<void(std::vector<engine::live::Change>)> sink_;
  bool stopping_ = false;
  std::thread thread_;
};

class PgLiveListener final : public engine::live::ChangeSource {
 public:
  // conninfo: libpq's "host=… port=… dbname=…" (the database URL's connect string).
  explicit PgLiveListener(std::string conninfo);
  ~PgLiveListener() override;
  void start(std::function<void(std::vector<engine::live::Change>)> sink) override;
  void stop() override;

 private:
  void run();

  std::string conninfo_;
  ChangeQueue queue_;
  std::atomic<bool> stopping_{false};
  int wake_[2] = {-1, -1};
  std::thread thread_;
};

class SqliteLiveCapture final : public engine::live::ChangeSource {
 public:
  // Installs the capture on every pooled session of `db` (after migrations: the triggers name
  // the tables). Changes made through other connections to the file are not seen.
  explicit SqliteLiveCapture(Database& db);
  ~SqliteLiveCapture() override;
  void start(std::function<void(std::vector<engine::live::Change>)> sink) override;
  void stop() override;

  struct Connection;

  void committed(std::vector<engine::live::Change> batch) { queue_.push(std::move(batch)); }

 private:
  ChangeQueue queue_;
  std::vector<Connection*> connections_;  // not owned: they stay with their sessions
};

class SqlLiveSnapshotReader final : public engine::live::SnapshotReader {
 public:
  explicit SqlLiveSnapshotReader(Database& db) : db_(db) {}
  Result<std::optional<engine::live::RifaState>> load(const std::string& rifa_id) override;

 private:
  Database& db_;
};

// The source for `db`'s backend.
std::unique_ptr<engine::live::ChangeSource> make_live_change_source(Database& db);

}  // namespace rifa::storage
