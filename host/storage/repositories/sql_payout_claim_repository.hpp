#pragma once

#include "engine/settlement/payout_claim_service.hpp"
#include "storage/database.hpp"
#include "storage/notification_publisher.hpp"

namespace rifa::storage {

// settlement::PayoutClaimRepository over cuentas_pago, ganadores' approval (migration 0021), the
// payouts row (0005), the audit log and the job outbox, each claim one transaction.
class SqlPayoutClaimRepository final : public settlement::PayoutClaimRepository {
 public:
  SqlPayoutClaimRepository(Database& db, const settlement::NotificationPublisher& notifications)
      : db_(db), notifications_(notifications) {}

  Result<std::unique_ptr<settlement::PayoutClaimTx>> begin() override;

 private:
  Database& db_;
  const settlement::NotificationPublisher& notifications_;
};

}  // namespace rifa::storage
