#pragma once

#include <utility>

#include "engine/settlement/prize_delivery_service.hpp"
#include "engine/settlement/prize_tax.hpp"
#include "storage/database.hpp"

namespace rifa::storage {

// settlement::PrizeDeliveryRepository over the payouts and ganadores tables (migrations 0005, 0016).
class SqlPrizeDeliveryRepository final : public settlement::PrizeDeliveryRepository {
 public:
  // `tax`: the year of payment decides the withholding (settlement::withholding_at_payment) when the
  // winner's withholding is recorded paid or, owing none, the prize is delivered.
  SqlPrizeDeliveryRepository(Database& db, settlement::TaxRules tax) : db_(db), tax_(std::move(tax)) {}
  Result<settlement::DeliveredPrize> mark_delivered(const std::string& actor_id, const std::string& ganador_id,
                                                    engine::TimePoint now) override;
  Result<settlement::DeliveredPrize> record_withholding_paid(const std::string& actor_id, const std::string& ganador_id,
                                                             const std::string& referencia,
                                                             engine::TimePoint now) override;

 private:
  Database& db_;
  settlement::TaxRules tax_;
};

}  // namespace rifa::storage
