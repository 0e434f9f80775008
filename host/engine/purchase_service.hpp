#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "engine/actor.hpp"
#include "engine/clock.hpp"
#include "engine/id_generator.hpp"
#include "engine/payment_gateway.hpp"
#include "engine/sales_repository.hpp"

namespace rifa::engine {

struct PurchaseInput {
  std::string rifa_id;
  std::optional<std::string> user_id;  // default: the caller
  int64_t quantity = 1;
  std::optional<std::string> payment_method;
  std::string idempotency_key;
};

// A purchase's answer (201): the body is what the first request answered, byte for byte, also
// when it is a replay: the JSON text stored as the key's answer, to be sent as is.
struct PurchaseResult {
  int status = 201;
  std::string body;
  bool replayed = false;
};

struct SalesPolicy {
  std::chrono::seconds hold_ttl{900};
  std::chrono::seconds idempotency_key_ttl{24 * 3600};
  // An in_flight key older than this is taken over: the request that claimed it died between
  // reserving and recording the payment (the provider call is bounded far below this).
  std::chrono::seconds in_flight_takeover{120};
  // Numbers one buyer may hold at once in a rifa (settings sales.max_held_per_buyer).
  int32_t max_held_per_buyer = 10;
};

inline constexpr int64_t kMaxTicketsPerPurchase = 100;
inline constexpr size_t kMaxIdempotencyKeyLength = 255;
inline constexpr size_t kMaxPaymentMethodLength = 64;

// The body of a purchase answer: {tickets: [{id, numero, estado}], transaccion_id, status,
// amount, currency, rifa_id, hold_expires_at?}.
nlohmann::json receipt_json(const Sale& sale);

// POST /rifas/{id}/tickets. Reserves the numbers, the pending transaccion and the idempotency key
// in one transaction; charges through the rifa's payment instance outside any transaction, with
// the transaccion id as the provider's idempotency key; records the outcome (sold, released, or
// still held while pending) and the key's answer in a second transaction.
//
// Idempotency (Stripe, draft-ietf-httpapi-idempotency-key-header): keys are per buyer; the same
// key with the same request answers the first answer again (stored, so also after a restart);
// with another request → 422; while the first is running → 409; a key whose first request died is
// resumed from its transaccion after in_flight_takeover, never charged twice.
class PurchaseService {
 public:
  PurchaseService(SalesRepository& sales, PaymentGateway& payments, const Clock& clock, IdGenerator& ids,
                  SalesPolicy policy);

  Result<PurchaseResult> purchase(const Actor& actor, const PurchaseInput& input);

 private:
  Result<PurchaseResult> finish(const Actor& actor, const std::string& buyer, const std::string& key, Sale sale);

  SalesRepository& sales_;
  PaymentGateway& payments_;
  const Clock& clock_;
  IdGenerator& ids_;
  SalesPolicy policy_;
};

}  // namespace rifa::engine
