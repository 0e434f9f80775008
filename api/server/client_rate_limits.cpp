#include "server/client_rate_limits.hpp"

namespace rifa::api {
namespace {

std::unique_ptr<RateLimiter> make_limiter(RateLimit limit) {
  if (limit.per_second <= 0) return nullptr;
  return std::make_unique<RateLimiter>(limit.per_second, limit.burst > 0 ? limit.burst : 2 * limit.per_second);
}

Counter* rejections(MetricsRegistry* metrics, const char* scope) {
  if (!metrics) return nullptr;
  return &metrics->counter("rifa_http_rate_limited_total", "Requests refused with 429 by rate limit scope",
                           {{"scope", scope}});
}

RateLimiter::Decision check(RateLimiter* limiter, const std::string& key, Counter* rejected) {
  if (!limiter) return {};
  auto decision = limiter->take(key);
  if (!decision.allowed && rejected) rejected->inc();
  return decision;
}

}  // namespace

ClientRateLimits::ClientRateLimits(RateLimit per_ip, RateLimit per_user, MetricsRegistry* metrics)
    : per_ip_(make_limiter(per_ip)),
      per_user_(make_limiter(per_user)),
      ip_rejections_(rejections(metrics, "ip")),
      user_rejections_(rejections(metrics, "user")) {}

RateLimiter::Decision ClientRateLimits::check_ip(const std::string& address) {
  return check(per_ip_.get(), address, ip_rejections_);
}

RateLimiter::Decision ClientRateLimits::check_user(const std::string& user_id) {
  return check(per_user_.get(), user_id, user_rejections_);
}

}  // namespace rifa::api
