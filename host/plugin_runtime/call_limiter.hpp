#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>

namespace rifa::plugin_runtime {

// A bulkhead per plugin instance: at most `limit` calls to one instance are in flight at once.
// One more waits up to `wait` for a slot, then is refused without calling the plugin. Calls run
// on the HTTP server's workers; without this, purchases stuck on one slow provider would take
// every worker and stall other rifas' purchases and reads. Thread-safe.
class CallLimiter {
 public:
  // limit >= 1 (0 is taken as 1); per_instance overrides it for the instances it names.
  explicit CallLimiter(size_t limit, std::chrono::milliseconds wait = std::chrono::milliseconds(100),
                       std::map<std::string, size_t, std::less<>> per_instance = {});

  // A slot held until destroyed; empty (false) when refused.
  class Permit {
   public:
    Permit() = default;
    Permit(Permit&& other) noexcept : owner_(other.owner_), instance_(std::move(other.instance_)) {
      other.owner_ = nullptr;
    }
    Permit& operator=(Permit&& other) noexcept;
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;
    ~Permit() { release(); }
    explicit operator bool() const { return owner_ != nullptr; }

   private:
    friend class CallLimiter;
    Permit(CallLimiter* owner, std::string instance) : owner_(owner), instance_(std::move(instance)) {}
    void release();
    CallLimiter* owner_ = nullptr;
    std::string instance_;
  };

  Permit acquire(const std::string& instance);

  size_t limit_for(const std::string& instance) const;
  size_t in_flight(const std::string& instance) const;

 private:
  void release(const std::string& instance);

  size_t limit_;
  std::chrono::milliseconds wait_;
  std::map<std::string, size_t, std::less<>> per_instance_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::map<std::string, size_t, std::less<>> in_flight_;
};

}  // namespace rifa::plugin_runtime
