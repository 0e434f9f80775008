#pragma once

#include <memory>
#include <optional>
#include <string>

#include "engine/settlement/payout_repository.hpp"
#include "storage/database.hpp"
#include "storage/notification_publisher.hpp"

namespace rifa::storage {

// settlement::PayoutRepository over the payouts and ganadores tables (migration 0005). The
// payout_sent / payout_failed notifications are queued through `notifications` inside the
// transaction that records the outcome.
class SqlPayoutRepository final : public settlement::PayoutRepository {
 public:
  SqlPayoutRepository(Database& db, const settlement::NotificationPublisher& notifications)
      : db_(db), notifications_(notifications) {}

  Result<std::unique_ptr<settlement::PayoutAttempt>> begin_attempt() override;
  Result<std::optional<settlement::PayoutStatus>> find(const std::string& ganador_id) override;
  Result<void> note_reason(const std::string& ganador_id, const std::string& reason, engine::TimePoint now) override;
  Result<settlement::PayoutStatus> record_sent(const settlement::PayoutSent& sent) override;
  Result<void> record_declined(const settlement::PayoutDeclined& declined) override;

 private:
  Database& db_;
  const settlement::NotificationPublisher& notifications_;
};

}  // namespace rifa::storage
