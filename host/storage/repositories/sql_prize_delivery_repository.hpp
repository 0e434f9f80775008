#pragma once

#include "engine/settlement/prize_delivery_service.hpp"
#include "storage/database.hpp"

namespace rifa::storage {

// settlement::PrizeDeliveryRepository over the payouts and ganadores tables (migrations 0005, 0016).
class SqlPrizeDeliveryRepository final : public settlement::PrizeDeliveryRepository {
 public:
  explicit SqlPrizeDeliveryRepository(Database& db) : db_(db) {}
  Result<settlement::DeliveredPrize> mark_delivered(const std::string& actor_id, const std::string& ganador_id,
                                                    engine::TimePoint now) override;
  Result<settlement::DeliveredPrize> record_withholding_paid(const std::string& actor_id, const std::string& ganador_id,
                                                             const std::string& referencia,
                                                             engine::TimePoint now) override;

 private:
  Database& db_;
};

}  // namespace rifa::storage
