#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/settlement/refund_repository.hpp"
#include "storage/database.hpp"
#include "storage/notification_publisher.hpp"

namespace rifa::storage {

// settlement::RefundRepository over transacciones, tickets and reembolsos (migration 0005).
class SqlRefundRepository final : public settlement::RefundRepository {
 public:
  SqlRefundRepository(Database& db, const settlement::NotificationPublisher& notifications)
      : db_(db), notifications_(notifications) {}

  Result<std::optional<std::string>> rifa_estado(const std::string& rifa_id) override;
  Result<std::vector<settlement::OpenCharge>> open_charges(const std::string& rifa_id) override;
  Result<bool> release(const settlement::ReleasedCharge& charge) override;
  Result<bool> record_refund(const settlement::RecordedRefund& refund) override;
  Result<void> record_refund_failure(const std::string& transaccion_id, const std::string& rifa_id, int64_t amount,
                                     const std::string& provider, const std::string& reason,
                                     engine::TimePoint now) override;
  Result<settlement::RefundTotals> totals(const std::string& rifa_id) override;
  Result<void> notify(const std::string& rifa_id, const std::string& event_type, const std::string& entity_id,
                      const nlohmann::json& data, engine::TimePoint now) override;

 private:
  Database& db_;
  const settlement::NotificationPublisher& notifications_;
};

}  // namespace rifa::storage
