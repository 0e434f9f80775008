#pragma once

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "engine/audit_entry.hpp"
#include "engine/clock.hpp"
#include "engine/settlement/payout.hpp"
#include "engine/settlement/prize_tax.hpp"

namespace rifa::settlement {

// The step before a cash payout reaches the provider, as one database transaction held open while
// PayoutService decides: the repository reports facts and writes what it is told; it never calls
// back into the engine. Nothing is kept unless commit() succeeds. Two attempts at one ganador are
// kept apart by the payout job's lease, and the writes after the provider's answer are conditional
// (PayoutRepository::record_sent), so a lease that expired mid-call still records one payout.
class PayoutAttempt {
 public:
  virtual ~PayoutAttempt() = default;

  // The ganador with its ticket, purchase, rifa, categoria and buyer; nullopt when unknown.
  virtual Result<std::optional<PrizeContext>> load_prize(const std::string& ganador_id) = 0;
  // Its payouts row; nullopt while nothing was attempted.
  virtual Result<std::optional<PayoutStatus>> payout(const std::string& ganador_id) = 0;
  // A prize in kind's row, pendiente, unless one exists.
  virtual Result<void> open_in_kind(const std::string& ganador_id, engine::TimePoint now) = 0;
  // A cash prize's row, pendiente, pinned to `provider` with the ganador id as the idempotency key.
  virtual Result<void> open_cash(const std::string& ganador_id, int64_t monto, const std::string& currency,
                                 const std::string& provider, engine::TimePoint now) = 0;
  // The ganador's withholding recomputed for the year of payment (PayoutService, before open_cash).
  virtual Result<void> set_withholding(const std::string& ganador_id, const Withholding& withholding) = 0;
  // One more attempt counted before the provider hears of it.
  virtual Result<void> count_attempt(const std::string& ganador_id, engine::TimePoint now) = 0;
  virtual Result<void> commit() = 0;
};

// A payout the provider made: the row moves to enviado once, and with it, in the same transaction,
// the ganador's fecha_pago and referencia_pago, `audit` and the `event_type` notification.
struct PayoutSent {
  std::string rifa_id;
  std::string ganador_id;
  std::string reference;        // the provider's payout_ref
  std::string provider_status;  // the provider's word
  engine::AuditEntry audit;
  std::string event_type;
  nlohmann::json event_data = nlohmann::json::object();
  engine::TimePoint now;
};

// A payout the provider refused: a pendiente row moves to fallido with `reason` (the first time,
// with `audit` and the `event_type` notification in the same transaction); a row already fallido
// only gets the new reason.
struct PayoutDeclined {
  std::string rifa_id;
  std::string ganador_id;
  std::string reason;
  engine::AuditEntry audit;
  std::string event_type;
  nlohmann::json event_data = nlohmann::json::object();
  engine::TimePoint now;
};

// Storage of cash payouts (the payouts and ganadores tables, migration 0005). Storage failures are
// kDatabase.
class PayoutRepository {
 public:
  virtual ~PayoutRepository() = default;

  virtual Result<std::unique_ptr<PayoutAttempt>> begin_attempt() = 0;
  virtual Result<std::optional<PayoutStatus>> find(const std::string& ganador_id) = 0;
  // Why the last attempt did not end, kept on the row for the admin (nothing else changes).
  virtual Result<void> note_reason(const std::string& ganador_id, const std::string& reason, engine::TimePoint now) = 0;
  // Returns the row as it stands after (enviado, whether this call or an earlier one moved it).
  virtual Result<PayoutStatus> record_sent(const PayoutSent& sent) = 0;
  virtual Result<void> record_declined(const PayoutDeclined& declined) = 0;
};

}  // namespace rifa::settlement
