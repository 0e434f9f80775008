#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rifa::api {

// Token buckets keyed by client (user id or IP): `burst` requests at once, refilled at
// `per_second`. A rejected request learns how long to wait (for Retry-After). Thread-safe; idle
// buckets are swept so a scan of many IPs cannot grow memory without bound.
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  RateLimiter(double per_second, double burst, size_t max_keys = 100000);

  struct Decision {
    bool allowed = true;
    int retry_after_s = 0;
  };
  Decision take(const std::string& key, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  void sweep(Clock::time_point now);

  double per_second_;
  double burst_;
  size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace rifa::api
