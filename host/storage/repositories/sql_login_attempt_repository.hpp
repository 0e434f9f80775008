#pragma once

#include "engine/login_attempt_repository.hpp"
#include "storage/database.hpp"

namespace rifa::storage {

// engine::LoginAttemptRepository on the login_throttle table (migration 0009). Every method is
// one statement, so hosts sharing a PostgreSQL count each other's failures without losing any.
class SqlLoginAttemptRepository final : public engine::LoginAttemptRepository {
 public:
  explicit SqlLoginAttemptRepository(Database& db) : db_(db) {}

  Result<int64_t> blocked_until_ms(const std::string& key) override;
  Result<int> record_failure(const std::string& key, int64_t now_ms, int64_t forget_before_ms) override;
  Result<void> block(const std::string& key, int64_t until_ms) override;
  Result<void> clear(const std::string& key) override;
  Result<void> forget_before(int64_t before_ms) override;

 private:
  Database& db_;
};

}  // namespace rifa::storage
