#pragma once

#include <memory>
#include <string>

#include "common/metrics.hpp"
#include "server/rate_limiter.hpp"

namespace rifa::api {

// A token bucket's shape: `burst` requests at once, refilled at `per_second`; per_second 0 = off.
struct RateLimit {
  double per_second = 0;
  double burst = 0;
};

// The API's two limits. Per client IP: every request, checked by the HttpServer before routing.
// Per user: authenticated requests, checked by the Authenticator right after the token's signature
// and expiry are verified and before the user's row is read, so the token is decoded once, an
// invalid or forged token never creates a bucket, and a throttled user costs no database work.
// Rejections are counted in rifa_http_rate_limited_total{scope="ip"|"user"}. Thread-safe.
class ClientRateLimits {
 public:
  ClientRateLimits(RateLimit per_ip, RateLimit per_user, MetricsRegistry* metrics = nullptr);

  RateLimiter::Decision check_ip(const std::string& address);
  RateLimiter::Decision check_user(const std::string& user_id);

 private:
  std::unique_ptr<RateLimiter> per_ip_;    // null when off
  std::unique_ptr<RateLimiter> per_user_;  // null when off
  Counter* ip_rejections_ = nullptr;
  Counter* user_rejections_ = nullptr;
};

}  // namespace rifa::api
