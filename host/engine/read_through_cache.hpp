#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace rifa::engine {

// A small read-through cache for hot public reads (GET /rifas/{id}), keyed by id.
//
// An entry is served only while both hold:
//   - no write transaction committed in this process since it was loaded (`write_generation`,
//     storage::Database counts them), so a client never reads its own write stale;
//   - it is younger than `ttl`, which bounds how stale it can be against writes made by other
//     host processes on the same database.
// A ttl of zero turns the cache off. Thread-safe. get_or_load() loads each key once at a time
// (single flight): while one thread loads a key, the others asking for it wait for that load
// instead of all running the same query at once after every write; the loader runs outside the
// lock.
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
    return fresh_locked(key, generation);
  }

  // Read the generation *before* loading and pass it here: a write committed while the value was
  // being read then makes the entry stale at once instead of hiding that write.
  uint64_t generation_now() const { return write_generation_ ? write_generation_() : 0; }

  void store(const std::string& key, Value value, uint64_t generation_before_load) {
    if (!enabled()) return;
    std::lock_guard lock(mutex_);
    store_locked(key, std::move(value), generation_before_load);
  }

  // The cached value for key, else load() (a Result<Value>-like: tested for success, * gives the
  // value) run by one thread at a time per key; its success is stored, its error returned as is.
  // A thread that finds the key being loaded waits, then looks again: a write committed during
  // that load leaves the entry stale, so the waiter loads (once, again) rather than read it.
  template <typename Load>
  auto get_or_load(const std::string& key, Load&& load) -> decltype(load()) {
    if (!enabled()) return load();
    std::unique_lock lock(mutex_);
    for (;;) {
      if (auto hit = fresh_locked(key, write_generation_())) return *hit;
      if (!loading_.count(key)) break;
      ++waiting_;
      loaded_.wait(lock);
      --waiting_;
    }
    loading_.insert(key);
    const uint64_t generation = write_generation_();
    lock.unlock();
    struct Done {  // the key is released (and waiters woken) however load() ends
      ReadThroughCache& cache;
      const std::string& key;
      ~Done() {
        {
          std::lock_guard relock(cache.mutex_);
          cache.loading_.erase(key);
        }
        cache.loaded_.notify_all();
      }
    } done{*this, key};
    auto result = load();
    if (result) store(key, *result, generation);
    return result;
  }

  // Threads waiting in get_or_load for another thread's load (for tests).
  std::size_t waiting() const {
    std::lock_guard lock(mutex_);
    return waiting_;
  }

 private:
  std::optional<Value> fresh_locked(const std::string& key, uint64_t generation) const {
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    if (it->second.generation != generation || Clock::now() - it->second.loaded_at >= ttl_) return std::nullopt;
    return it->second.value;
  }

  void store_locked(const std::string& key, Value value, uint64_t generation_before_load) {
    if (entries_.size() >= max_entries_ && !entries_.count(key)) entries_.clear();  // bounded memory, simply
    entries_[key] = Entry{std::move(value), generation_before_load, Clock::now()};
  }

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
  std::unordered_set<std::string> loading_;  // keys a thread is loading now
  std::condition_variable loaded_;
  std::size_t waiting_ = 0;
};

}  // namespace rifa::engine
