#include "storage/repositories/sql_delivery_claims.hpp"

#include "storage/one_time_statement.hpp"

namespace rifa::storage {
namespace {

long long unix_ms(engine::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

Result<settlement::DeliveryClaim> SqlDeliveryClaims::claim(const std::string& event_id, const std::string& notifier,
                                                           const std::string& owner, engine::TimePoint now,
                                                           engine::TimePoint until) {
  const long long now_ms = unix_ms(now);
  const long long until_ms = unix_ms(until);
  return db_.transaction([&](soci::session& sql) {
    // A second inserter of the same key waits here for the first one's commit (PostgreSQL's unique
    // index; SQLite's single writer), then inserts nothing and reads the first one's claim below.
    auto fresh = one_time_statement(sql,
                                    "INSERT INTO notification_deliveries (event_id, notifier, state, owner, "
                                    "claimed_until_ms, claims) VALUES (:e, :n, 'sending', :o, :u, 1) "
                                    "ON CONFLICT (event_id, notifier) DO NOTHING",
                                    soci::use(event_id), soci::use(notifier), soci::use(owner), soci::use(until_ms));
    fresh.execute(true);
    if (fresh.get_affected_rows() == 1) return settlement::DeliveryClaim::kClaimed;
    // Taken over when its owner's time ran out (the worker died), or renewed by its own owner. The
    // row lock makes two takers one: the second re-reads the row the first wrote, and no longer matches.
    auto takeover = one_time_statement(sql,
                                       "UPDATE notification_deliveries SET owner = :o, claimed_until_ms = :u, "
                                       "claims = claims + 1 WHERE event_id = :e AND notifier = :n AND state = "
                                       "'sending' AND (claimed_until_ms <= :now OR owner = :o2)",
                                       soci::use(owner), soci::use(until_ms), soci::use(event_id), soci::use(notifier),
                                       soci::use(now_ms), soci::use(owner));
    takeover.execute(true);
    if (takeover.get_affected_rows() == 1) return settlement::DeliveryClaim::kClaimed;
    std::string state;
    sql << "SELECT state FROM notification_deliveries WHERE event_id = :e AND notifier = :n", soci::use(event_id),
        soci::use(notifier), soci::into(state);
    return state == "sent" ? settlement::DeliveryClaim::kAlreadyDelivered : settlement::DeliveryClaim::kBusy;
  });
}

Result<void> SqlDeliveryClaims::delivered(const std::string& event_id, const std::string& notifier,
                                          engine::TimePoint now) {
  const long long now_ms = unix_ms(now);
  return db_.transaction([&](soci::session& sql) {
    sql << "UPDATE notification_deliveries SET state = 'sent', sent_at_ms = :now WHERE event_id = :e AND "
           "notifier = :n",
        soci::use(now_ms), soci::use(event_id), soci::use(notifier);
  });
}

Result<void> SqlDeliveryClaims::release(const std::string& event_id, const std::string& notifier,
                                        const std::string& owner) {
  return db_.transaction([&](soci::session& sql) {
    sql << "DELETE FROM notification_deliveries WHERE event_id = :e AND notifier = :n AND owner = :o AND "
           "state = 'sending'",
        soci::use(event_id), soci::use(notifier), soci::use(owner);
  });
}

Result<std::optional<std::string>> SqlRifaNames::nombre(const std::string& rifa_id) {
  return db_.transaction(
      [&](soci::session& sql) -> std::optional<std::string> {
        std::string nombre;
        sql << "SELECT nombre FROM rifas WHERE id = :id", soci::use(rifa_id), soci::into(nombre);
        if (!sql.got_data()) return std::nullopt;
        return nombre;
      },
      TransactionMode::kRead);
}

}  // namespace rifa::storage
