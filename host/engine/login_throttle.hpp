#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "common/result.hpp"
#include "engine/clock.hpp"
#include "engine/login_attempt_repository.hpp"

namespace rifa::engine {

struct LoginThrottlePolicy {
  // Failures allowed before any wait: a few typos cost nothing. Per IP it is higher, since one
  // address may be a NAT in front of many people.
  int account_free_failures = 5;
  int ip_free_failures = 20;
  // The first wait, doubled by every further failure up to max_block: the cap keeps the throttle
  // from becoming a lock-out weapon (someone failing on purpose blocks an account for at most
  // max_block at a time, and attempts refused while blocked neither count nor extend it).
  std::chrono::milliseconds first_block{1000};
  std::chrono::milliseconds max_block{std::chrono::minutes(15)};
  // A key with no failure for this long starts counting from zero again.
  std::chrono::milliseconds forget_after{std::chrono::hours(1)};
  // Every this many failures (counted by this process) the keys past forget_after are deleted, so
  // guesses at made-up emails leave no rows behind for long.
  int prune_every_failures = 256;
};

// Exponential backoff of failed log-ins per account (the normalised email, whether or not an
// account has it, so a 429 reveals nothing an unknown email would not) and per client IP, kept in
// the database so that every host sharing it applies the same waits.
class LoginThrottle {
 public:
  LoginThrottle(LoginAttemptRepository& attempts, const Clock& clock, LoginThrottlePolicy policy = {});

  // kRateLimited (429, retry_after_s set) while the account or the address is blocked.
  // `client_address` may be empty (no per-IP throttling, e.g. the CLI).
  Result<void> check(const std::string& normalized_email, const std::string& client_address);
  Result<void> record_failure(const std::string& normalized_email, const std::string& client_address);
  // Resets the account's count; the address keeps its own, so an attacker's own valid account
  // cannot be used to wipe the count of the address it guesses from.
  Result<void> record_success(const std::string& normalized_email);

  // How long to block after `failures` failures with `free_failures` free ones (0 = not blocked).
  std::chrono::milliseconds block_for(int failures, int free_failures) const;

 private:
  Result<void> fail(const std::string& key, int free_failures, int64_t now_ms);

  LoginAttemptRepository& attempts_;
  const Clock& clock_;
  LoginThrottlePolicy policy_;
  std::atomic<int> failures_since_prune_{0};
};

}  // namespace rifa::engine
