#include "storage/live_outbox_relay.hpp"

namespace rifa::storage {

Result<int64_t> relay_live_outbox(Database& db, int batch) {
  // One statement in its own (implicit) transaction: one round trip, the advisory lock released at
  // its end. The rows relayed committed durably before it could see them; if its commit is lost in
  // a crash (synchronous_commit off: nothing waits for the flush), they are still in the outbox
  // and sent again.
  SessionLease lease = db.lease();
  try {
    int sent = 0;
    std::string sync;
    lease.session() << "SELECT set_config('synchronous_commit', 'off', true), rifa_live_relay(:batch)",
        soci::use(batch), soci::into(sync), soci::into(sent);
    return static_cast<int64_t>(sent);
  } catch (const std::exception& e) { return database_error(e, "relay live_outbox"); }
}

LiveOutboxRelay::LiveOutboxRelay(Database& db, Options options) : db_(db), options_(std::move(options)) {}

LiveOutboxRelay::~LiveOutboxRelay() { stop(); }

void LiveOutboxRelay::start() {
  if (db_.backend() != Backend::kPostgresql) return;
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void LiveOutboxRelay::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void LiveOutboxRelay::relay_all() {
  try {
    constexpr int kBatch = 1000;
    for (;;) {
      auto sent = relay_live_outbox(db_, kBatch);
      if (!sent) {
        if (options_.on_error) options_.on_error(sent.error().message);
        return;
      }
      if (*sent < kBatch) return;
    }
  } catch (const std::exception& e) {
    if (options_.on_error) options_.on_error(e.what());
  }
}

void LiveOutboxRelay::run() {
  // The relay's own commit bumps no write_generation, so an idle host stays idle.
  uint64_t seen = db_.write_generation();
  auto last = std::chrono::steady_clock::now();
  relay_all();
  for (;;) {
    bool stopping = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, options_.poll, [this] { return stopping_; });
      stopping = stopping_;
    }
    const uint64_t now_generation = db_.write_generation();
    const auto now = std::chrono::steady_clock::now();
    if (stopping || now_generation != seen || now - last >= options_.interval) {
      seen = now_generation;
      last = now;
      relay_all();
    }
    if (stopping) return;
  }
}

}  // namespace rifa::storage
