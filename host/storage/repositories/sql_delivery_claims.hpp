#pragma once

#include "engine/settlement/delivery_claims.hpp"
#include "storage/database.hpp"

namespace rifa::storage {

// settlement::DeliveryClaims on the notification_deliveries table (migration 0023). Each call is
// one short transaction of its own, committed before the caller goes on: a claim must be visible
// to every other host before the notifier is called.
class SqlDeliveryClaims final : public settlement::DeliveryClaims {
 public:
  explicit SqlDeliveryClaims(Database& db) : db_(db) {}

  Result<settlement::DeliveryClaim> claim(const std::string& event_id, const std::string& notifier,
                                          const std::string& owner, engine::TimePoint now,
                                          engine::TimePoint until) override;
  Result<void> delivered(const std::string& event_id, const std::string& notifier, engine::TimePoint now) override;
  Result<void> release(const std::string& event_id, const std::string& notifier, const std::string& owner) override;

 private:
  Database& db_;
};

// settlement::RifaNames: rifas.nombre by id.
class SqlRifaNames final : public settlement::RifaNames {
 public:
  explicit SqlRifaNames(Database& db) : db_(db) {}
  Result<std::optional<std::string>> nombre(const std::string& rifa_id) override;

 private:
  Database& db_;
};

}  // namespace rifa::storage
