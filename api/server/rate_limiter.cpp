#include "server/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace rifa::api {

RateLimiter::RateLimiter(double per_second, double burst, size_t max_keys)
    : per_second_(per_second), burst_(std::max(1.0, burst)), max_keys_(max_keys) {}

RateLimiter::Decision RateLimiter::take(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (buckets_.size() >= max_keys_) sweep(now);
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& b = it->second;
  if (!inserted) {
    const double elapsed = std::chrono::duration<double>(now - b.updated).count();
    b.tokens = std::min(burst_, b.tokens + elapsed * per_second_);
    b.updated = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {true, 0};
  }
  const double wait_s = per_second_ > 0 ? (1.0 - b.tokens) / per_second_ : 3600;
  return {false, std::max(1, static_cast<int>(std::ceil(wait_s)))};
}

void RateLimiter::sweep(Clock::time_point now) {
  // A bucket that has had time to refill completely carries no information.
  const auto full_after = std::chrono::duration<double>(per_second_ > 0 ? burst_ / per_second_ : 3600);
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (now - it->second.updated >= full_after) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
  if (buckets_.size() >= max_keys_) buckets_.clear();  // under attack: forget rather than grow
}

}  // namespace rifa::api
