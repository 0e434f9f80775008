#pragma once

#include <cstdint>
#include <string>

#include "common/result.hpp"

namespace rifa::engine {

// Failed log-ins per throttle key, shared by every host on the database. Times are Unix
// milliseconds. Each call is atomic on its own; storage failures are kDatabase.
class LoginAttemptRepository {
 public:
  virtual ~LoginAttemptRepository() = default;
  // Until when `key` is blocked (0 when it never was).
  virtual Result<int64_t> blocked_until_ms(const std::string& key) = 0;
  // Counts one failure at now_ms and answers the new count; the count restarts at 1 when the
  // previous failure is older than forget_before_ms.
  virtual Result<int> record_failure(const std::string& key, int64_t now_ms, int64_t forget_before_ms) = 0;
  // Blocks `key` until until_ms, never shortening a longer block already set (by another host).
  virtual Result<void> block(const std::string& key, int64_t until_ms) = 0;
  // Forgets `key` (a successful log-in of the account).
  virtual Result<void> clear(const std::string& key) = 0;
  // Forgets every key whose last failure is older than before_ms (its count would restart anyway).
  virtual Result<void> forget_before(int64_t before_ms) = 0;
};

}  // namespace rifa::engine
