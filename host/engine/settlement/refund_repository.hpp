#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "engine/audit_entry.hpp"
#include "engine/clock.hpp"
#include "engine/sale.hpp"

namespace rifa::settlement {

// A payment of a cancelled rifa that may have to be given back: succeeded, or still pending.
struct OpenCharge {
  std::string id;  // the transaccion, also the refund's idempotency key
  std::string user_id;
  int64_t amount = 0;  // integer cents
  std::string currency;
  std::string provider;  // the payment instance that took it
  std::optional<std::string> provider_ref;
  engine::PaymentStatus status = engine::PaymentStatus::kPending;
};

// A pending payment the provider says failed: the transaccion moves pending → failed with `reason`
// and its reserved numbers are freed, with `audit`, in one transaction.
struct ReleasedCharge {
  std::string transaccion_id;
  std::string reason;
  engine::AuditEntry audit;
  engine::TimePoint now;
};

// A refund the provider made (or nothing to refund: a charge of 0): in one transaction the
// reembolsos row (one per transaccion, ever), the transaccion refunded, its tickets anulado,
// `audit` and the player's `refund` notification (`event_data`; it names the buyer as user_id, so
// the notifiers address it, and a receipt of money moved reaches even a player who opted out).
struct RecordedRefund {
  std::string transaccion_id;
  std::string rifa_id;
  int64_t amount = 0;
  std::string provider;
  std::string refund_ref;
  std::string status;  // the provider's word: succeeded or pending
  engine::AuditEntry audit;
  nlohmann::json event_data = nlohmann::json::object();
  engine::TimePoint now;
};

struct RefundTotals {
  int64_t refunds = 0;  // reembolsos not failed
  int64_t refunded_cents = 0;
};

// Storage of a cancelled rifa's refunds (transacciones, tickets, reembolsos). Storage failures are
// kDatabase.
class RefundRepository {
 public:
  virtual ~RefundRepository() = default;

  // The rifa's estado; nullopt when there is no such rifa.
  virtual Result<std::optional<std::string>> rifa_estado(const std::string& rifa_id) = 0;
  // Its succeeded and pending transacciones, oldest first.
  virtual Result<std::vector<OpenCharge>> open_charges(const std::string& rifa_id) = 0;
  // False when the transaccion was no longer pending: nothing was written.
  virtual Result<bool> release(const ReleasedCharge& charge) = 0;
  // False when the transaccion was no longer succeeded or pending: only the reembolsos row is kept.
  virtual Result<bool> record_refund(const RecordedRefund& refund) = 0;
  // A refund the provider refused or could not make this time: the reembolsos row says why (a
  // later run tries again with the same key).
  virtual Result<void> record_refund_failure(const std::string& transaccion_id, const std::string& rifa_id,
                                             int64_t amount, const std::string& provider, const std::string& reason,
                                             engine::TimePoint now) = 0;
  virtual Result<RefundTotals> totals(const std::string& rifa_id) = 0;
  // Publishes one notification of the rifa to its notifiers, in a transaction of its own.
  virtual Result<void> notify(const std::string& rifa_id, const std::string& event_type, const std::string& entity_id,
                              const nlohmann::json& data, engine::TimePoint now) = 0;
};

}  // namespace rifa::settlement
