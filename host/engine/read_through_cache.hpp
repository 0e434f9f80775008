#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace rifa::engine {

// A small read-through cache for hot public reads (GET /rifas/{id}), keyed by id.
//
// An entry is served only while both hold:
//   - no write transaction committed in this process since it was loaded (`write_generation`,
//     storage::Database counts them), so a client never reads its own write stale;
//   - it is younger than `ttl`, which bounds how stale it can be against writes made by other
//     host processes on the same database.
// A ttl of zero turns the cache off. Thread-safe; the loader runs outside the lock, so two
// threads may load the same id at once (the later one wins, both answers are current).
template <typename Value>
class ReadThroughCache {
 public:
  using Clock = std::chrono::steady_clock;

  ReadThroughCache(std::chrono::milliseconds ttl, std::function<uint64_t()> write_generation,
                   std::size_t max_entries = 10000)
      : ttl_(ttl), write_generation_(std::move(write_generation)), max_entries_(max_entries) {}

  bool enabled() const { return ttl_.count() > 0 && write_generation_; }

  // The cached value for key, or nullopt when missing, stale or invalidated by a write.
  std::optional<Value> find(const std::string& key) const {
    if (!enabled()) return std::nullopt;
    const uint64_t generation = write_generation_();
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    if (it->second.generation != generation || Clock::now() - it->second.loaded_at >= ttl_) return std::nullopt;
    return it->second.value;
  }

  // Read the generation *before* loading and pass it here: a write committed while the value was
  // being read then makes the entry stale at once instead of hiding that write.
  uint64_t generation_now() const { return write_generation_ ? write_generation_() : 0; }

  void store(const std::string& key, Value value, uint64_t generation_before_load) {
    if (!enabled()) return;
    std::lock_guard lock(mutex_);
    if (entries_.size() >= max_entries_ && !entries_.count(key)) entries_.clear();  // bounded memory, simply
    entries_[key] = Entry{std::move(value), generation_before_load, Clock::now()};
  }

 private:
  struct Entry {
    Value value;
    uint64_t generation = 0;
    Clock::time_point loaded_at;
  };

  std::chrono::milliseconds ttl_;
  std::function<uint64_t()> write_generation_;
  std::size_t max_entries_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace rifa::engine
