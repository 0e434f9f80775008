#include "engine/login_throttle.hpp"

#include <algorithm>

namespace rifa::engine {
namespace {

std::string account_key(const std::string& email) { return "account:" + email; }
std::string ip_key(const std::string& address) { return "ip:" + address; }

int64_t to_ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

LoginThrottle::LoginThrottle(LoginAttemptRepository& attempts, const Clock& clock, LoginThrottlePolicy policy)
    : attempts_(attempts), clock_(clock), policy_(policy) {}

std::chrono::milliseconds LoginThrottle::block_for(int failures, int free_failures) const {
  if (failures <= free_failures) return std::chrono::milliseconds(0);
  // Past 2^30 the cap has long been reached; stop doubling before the shift overflows.
  const int doublings = std::min(failures - free_failures - 1, 30);
  const auto wanted = policy_.first_block.count() * (int64_t{1} << doublings);
  return std::chrono::milliseconds(std::min<int64_t>(wanted, policy_.max_block.count()));
}

Result<void> LoginThrottle::check(const std::string& normalized_email, const std::string& client_address) {
  const int64_t now_ms = to_ms(clock_.now());
  auto until = attempts_.blocked_until_ms(account_key(normalized_email));
  if (!until) return until.error();
  int64_t blocked_until = *until;
  if (!client_address.empty()) {
    auto ip_until = attempts_.blocked_until_ms(ip_key(client_address));
    if (!ip_until) return ip_until.error();
    blocked_until = std::max(blocked_until, *ip_until);
  }
  if (blocked_until <= now_ms) return {};
  const int64_t retry_after_s = (blocked_until - now_ms + 999) / 1000;
  Error limited =
      make_error(ErrorCode::kRateLimited, "too many failed log-ins; retry in " + std::to_string(retry_after_s) + " s");
  limited.retry_after_s = static_cast<int>(retry_after_s);
  return limited;
}

Result<void> LoginThrottle::fail(const std::string& key, int free_failures, int64_t now_ms) {
  auto failures = attempts_.record_failure(key, now_ms, now_ms - policy_.forget_after.count());
  if (!failures) return failures.error();
  const auto wait = block_for(*failures, free_failures);
  if (wait.count() == 0) return {};
  return attempts_.block(key, now_ms + wait.count());
}

Result<void> LoginThrottle::record_failure(const std::string& normalized_email, const std::string& client_address) {
  const int64_t now_ms = to_ms(clock_.now());
  if (failures_since_prune_.fetch_add(1) + 1 >= policy_.prune_every_failures) {
    failures_since_prune_ = 0;
    if (auto pruned = attempts_.forget_before(now_ms - policy_.forget_after.count()); !pruned) return pruned;
  }
  if (auto done = fail(account_key(normalized_email), policy_.account_free_failures, now_ms); !done) return done;
  if (client_address.empty()) return {};
  return fail(ip_key(client_address), policy_.ip_free_failures, now_ms);
}

Result<void> LoginThrottle::record_success(const std::string& normalized_email) {
  return attempts_.clear(account_key(normalized_email));
}

}  // namespace rifa::engine
