#pragma once

#include <optional>
#include <string>

#include "common/result.hpp"
#include "engine/actor.hpp"
#include "engine/clock.hpp"
#include "engine/settlement/payout.hpp"

namespace rifa::settlement {

// A ganador with its prize's hand-over, as POST /ganadores/{id}/entregado answers it.
struct DeliveredPrize {
  PrizeContext prize;
  PayoutStatus payout;
  std::optional<std::string> fecha_pago;  // ISO-8601 UTC, set when delivered
};

// Storage of a prize's hand-over (storage/repositories/sql_prize_delivery_repository). In ONE
// transaction: the payouts row moves to entregado with who delivered it, ganadores.fecha_pago is
// set and the audit log gets "prize.delivered". Idempotent: delivering twice returns the row as it
// is. kNotFound for an unknown ganador; kConflict for a cash prize (paid by the payout.send job);
// kConflict with field "retencion" while the winner's withholding on prizes (ganadores.retencion >
// 0, prize_tax.hpp) is not recorded as paid: nothing is written then.
//
// record_withholding_paid: in ONE transaction, the ganador's retencion_pagada_en / _referencia /
// _registrada_por and the audit row "prize.withholding_paid". Idempotent: recording it again returns
// the prize as it is (the first reference stays). kConflict for a cash prize (its withholding was
// kept from the payout) or a prize with nothing to withhold.
class PrizeDeliveryRepository {
 public:
  virtual ~PrizeDeliveryRepository() = default;
  virtual Result<DeliveredPrize> mark_delivered(const std::string& actor_id, const std::string& ganador_id,
                                                engine::TimePoint now) = 0;
  virtual Result<DeliveredPrize> record_withholding_paid(const std::string& actor_id, const std::string& ganador_id,
                                                         const std::string& referencia, engine::TimePoint now) = 0;
};

// Prizes in kind (Colombian rifas often award goods, not cash) are never sent through a payment
// plugin: an operador or admin hands them over and records it here.
class PrizeDeliveryService {
 public:
  PrizeDeliveryService(PrizeDeliveryRepository& repo, const engine::Clock& clock) : repo_(repo), clock_(clock) {}

  // kPermissionDenied below operador; otherwise as PrizeDeliveryRepository::mark_delivered.
  Result<DeliveredPrize> mark_delivered(const engine::Actor& actor, const std::string& ganador_id) {
    if (!actor.is_staff()) {
      return make_error(ErrorCode::kPermissionDenied, "marking a prize delivered requires the operador or admin role");
    }
    return repo_.mark_delivered(actor.user_id, ganador_id, clock_.now());
  }

  // POST /ganadores/{id}/retencion (admin): the winner of a prize in kind paid the withholding on
  // it (`referencia`: the receipt); delivery is refused until then.
  Result<DeliveredPrize> record_withholding_paid(const engine::Actor& actor, const std::string& ganador_id,
                                                 const std::string& referencia) {
    if (!actor.is_admin()) {
      return make_error(ErrorCode::kPermissionDenied, "recording a withholding as paid requires the admin role");
    }
    return repo_.record_withholding_paid(actor.user_id, ganador_id, referencia, clock_.now());
  }

 private:
  PrizeDeliveryRepository& repo_;
  const engine::Clock& clock_;
};

}  // namespace rifa::settlement
