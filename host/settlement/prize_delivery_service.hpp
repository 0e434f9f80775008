#pragma once

#include <optional>
#include <string>

#include "common/result.hpp"
#include "engine/actor.hpp"
#include "engine/clock.hpp"
#include "settlement/payout_records.hpp"
#include "storage/database.hpp"

namespace rifa::settlement {

// A ganador with its prize's hand-over, as POST /ganadores/{id}/entregado answers it.
struct DeliveredPrize {
  PrizeContext prize;
  PayoutStatus payout;
  std::optional<std::string> fecha_pago;  // ISO-8601 UTC, set when delivered
};

// Prizes in kind (Colombian rifas often award goods, not cash) are never sent through a payment
// plugin: an operador or admin hands them over and records it here. The payouts row moves to
// entregado with who delivered it, ganadores.fecha_pago is set, and the audit log gets
// "prize.delivered", all in one transaction.
class PrizeDeliveryService {
 public:
  PrizeDeliveryService(storage::Database& db, const engine::Clock& clock);

  // Idempotent: delivering twice returns the row as it is. kPermissionDenied below operador;
  // kNotFound for an unknown ganador; kConflict for a cash prize (paid by the payout.send job).
  Result<DeliveredPrize> mark_delivered(const engine::Actor& actor, const std::string& ganador_id);

 private:
  storage::Database& db_;
  const engine::Clock& clock_;
};

}  // namespace rifa::settlement
