#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "engine/audit_entry.hpp"
#include "engine/clock.hpp"
#include "engine/page.hpp"
#include "engine/sale.hpp"

namespace rifa::engine {

// The answer remembered for an idempotency key: an HTTP-style status and the body to send again.
struct StoredResponse {
  int status = 0;
  std::string body;
};

// Phase one of a purchase: claim the caller's idempotency key and, when it is new, reserve the
// numbers and insert the pending transaccion, all in ONE database transaction.
struct BeginPurchase {
  std::string rifa_id;
  std::string user_id;  // the buyer
  std::string actor;    // who asked (audit)
  int32_t quantity = 1;
  std::optional<std::string> payment_method;
  std::string idempotency_key;
  std::string request_hash;
  std::string transaccion_id;  // the id to give a new transaccion
  TimePoint now;
  TimePoint hold_expires_at;
  TimePoint key_expires_at;
  // An in_flight key claimed before this is taken over: its first request died half way.
  TimePoint takeover_before;
  // Numbers one buyer may hold (reservado, payment pending) in one rifa at a time, this purchase's
  // included: one player cannot block a rifa by holding its numbers with a payment left pending.
  int32_t max_held_per_buyer = 10;
  // The payment instance bound to the rifa (called with its id and categoria nombre).
  std::function<std::string(const std::string& rifa_id, const std::string& categoria_nombre)> provider_for;
  // The answer stored for the key when the purchase is refused (rifa not activa, sold out ...).
  std::function<StoredResponse(const Error&)> encode_refusal;
};

struct BeginOutcome {
  enum class Kind {
    kReserved,  // new: numbers reserved, transaccion pending → call the provider
    kResumed,   // a stale in_flight key's purchase, as it stands → finish it
    kReplay,    // the key is completed: send `stored` again
    kInFlight,  // the key's first request is still running → 409
    kMismatch,  // the key was used with another request → 422
    kRefused,   // refused for `refusal`: stored as the key's answer in the same transaction, except
                // an unknown or deactivated buyer (the key row cannot refer to a missing user)
  };
  Kind kind = Kind::kReserved;
  Sale sale;
  StoredResponse stored;
  Error refusal;
};

struct SettleOutcome {
  bool changed = false;  // false: the transaccion was no longer in `from`; nothing was written
  Sale sale;             // as it stands after the transaction
  // Set when a move to succeeded was refused because the rifa is no longer on sale (not activa,
  // or at or after its fecha_fin): the transaccion was failed instead and its numbers released, so
  // the money the provider took must be given back (PaymentService::refund_paid_failure).
  std::optional<std::string> sale_refused;
};

// A payment status change, applied only if the transaccion is still in `from` (compare and set).
// Moving to succeeded sells its reserved tickets, but only while the rifa is on sale (activa and
// `now` before fecha_fin, checked under the rifa's lock): otherwise the transaccion moves to
// failed and SettleOutcome::sale_refused says why. To failed releases the numbers; to refunded
// annuls the sold (or won) ones. `to == from == pending` only records the provider_ref.
struct SettlePayment {
  std::string transaccion_id;
  PaymentStatus from = PaymentStatus::kPending;
  PaymentStatus to = PaymentStatus::kPending;
  std::optional<std::string> provider_ref;
  std::string reason;
  TimePoint now;
  std::string actor;   // audit actor: a user id, "webhook:<instance>", "job:<kind>"
  std::string source;  // what decided it: purchase, webhook, reconcile, hold_expiry
  // When set, the idempotency key is completed in the same transaction, with the answer made from
  // the sale as it stands after the change.
  struct KeyCompletion {
    std::string user_id;
    std::string key;
    std::function<StoredResponse(const SettleOutcome&)> respond;
  };
  std::optional<KeyCompletion> complete_key;
};

struct TicketFilter {
  std::optional<std::string> rifa_id;
  std::optional<std::string> usuario_id;
  std::optional<std::string> estado;
};

// Tickets, transacciones and idempotency keys change together, so one repository owns the
// multi-table steps of a sale, each one database transaction with its audit rows. Storage failures
// are kDatabase.
class SalesRepository {
 public:
  virtual ~SalesRepository() = default;

  virtual Result<BeginOutcome> begin_purchase(const BeginPurchase& request) = 0;
  virtual Result<SettleOutcome> settle(const SettlePayment& change) = 0;

  virtual Result<std::optional<Sale>> find_sale(const std::string& transaccion_id) = 0;
  virtual Result<std::optional<Transaccion>> find_by_provider_ref(const std::string& provider,
                                                                  const std::string& provider_ref) = 0;
  // Pending transacciones holding a reserved ticket whose hold ended before `now`.
  virtual Result<std::vector<Transaccion>> list_expired_holds(TimePoint now, int limit) = 0;
  // Pending transacciones created before `cutoff`, oldest first.
  virtual Result<std::vector<Transaccion>> list_pending_before(TimePoint cutoff, int limit) = 0;
  // Failed payments the host released itself (the rifa closed while they were pending) before
  // `cutoff`, with a provider reference, not yet asked about again.
  virtual Result<std::vector<Transaccion>> list_released_before(TimePoint cutoff, int limit) = 0;
  // The provider was asked about a released payment: it is not listed again.
  virtual Result<void> mark_release_checked(const std::string& transaccion_id) = 0;
  // Appends one audit row on its own (a refused confirmation changes nothing else).
  virtual Result<void> record_audit(const AuditEntry& entry, TimePoint at) = 0;
  // Completed idempotency keys past their expiry; returns how many were removed.
  virtual Result<int64_t> purge_expired_keys(TimePoint now) = 0;

  // Ordered by rifa, then numero.
  virtual Result<Page<Ticket>> list_tickets(const TicketFilter& filter, const PageRequest& page) = 0;
};

}  // namespace rifa::engine
