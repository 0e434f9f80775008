#include "storage/repositories/sql_login_attempt_repository.hpp"

#include <soci/soci.h>

namespace rifa::storage {

Result<int64_t> SqlLoginAttemptRepository::blocked_until_ms(const std::string& key) {
  return db_.transaction(
      [&](soci::session& sql) -> int64_t {
        long long until = 0;
        soci::indicator ind = soci::i_null;
        sql << "SELECT blocked_until_ms FROM login_throttle WHERE throttle_key = :key", soci::use(key),
            soci::into(until, ind);
        return sql.got_data() && ind == soci::i_ok ? until : 0;
      },
      TransactionMode::kRead);
}

Result<int> SqlLoginAttemptRepository::record_failure(const std::string& key, int64_t now_ms,
                                                      int64_t forget_before_ms) {
  return db_.transaction([&](soci::session& sql) -> int {
    const long long now = now_ms;
    const long long forget_before = forget_before_ms;
    int failures = 0;
    // One upsert: two hosts failing the same key at once both count (the row lock orders them).
    sql << "INSERT INTO login_throttle (throttle_key, failures, last_failure_ms, blocked_until_ms) "
           "VALUES (:key, 1, :now, 0) "
           "ON CONFLICT (throttle_key) DO UPDATE SET "
           "failures = CASE WHEN login_throttle.last_failure_ms < :forget_before THEN 1 "
           "ELSE login_throttle.failures + 1 END, "
           "last_failure_ms = excluded.last_failure_ms "
           "RETURNING failures",
        soci::use(key), soci::use(now), soci::use(forget_before), soci::into(failures);
    return failures;
  });
}

Result<void> SqlLoginAttemptRepository::block(const std::string& key, int64_t until_ms) {
  return db_.transaction([&](soci::session& sql) {
    const long long until = until_ms;
    sql << "UPDATE login_throttle SET blocked_until_ms = CASE WHEN blocked_until_ms < :until THEN :until_again "
           "ELSE blocked_until_ms END WHERE throttle_key = :key",
        soci::use(until), soci::use(until), soci::use(key);
  });
}

Result<void> SqlLoginAttemptRepository::clear(const std::string& key) {
  return db_.transaction(
      [&](soci::session& sql) { sql << "DELETE FROM login_throttle WHERE throttle_key = :key", soci::use(key); });
}

Result<void> SqlLoginAttemptRepository::forget_before(int64_t before_ms) {
  return db_.transaction([&](soci::session& sql) {
    const long long before = before_ms;
    sql << "DELETE FROM login_throttle WHERE last_failure_ms < :before", soci::use(before);
  });
}

}  // namespace rifa::storage
