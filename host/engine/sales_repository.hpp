#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "engine/audit_entry.hpp"
#include "engine/clock.hpp"
#include "engine/number_assignment.hpp"
#include "engine/page.hpp"
#include "engine/player_rules.hpp"
#include "engine/sale.hpp"

namespace rifa::engine {

// The answer remembered for an idempotency key: an HTTP-style status and the body to send again.
struct StoredResponse {
  int status = 0;
  std::string body;
};

// An idempotency key as stored.
struct StoredKey {
  std::string request_hash;
  std::string status;  // in_flight, completed
  TimePoint created_at;
  TimePoint expires_at;
  std::optional<std::string> transaccion_id;
  std::optional<StoredResponse> response;  // when completed
};

// A purchase's first step: claim the caller's key (inserted in_flight when it is new and the buyer
// is an active user).
struct KeyClaim {
  std::string rifa_id;
  std::string user_id;  // the buyer
  std::string key;
  std::string request_hash;
  TimePoint now;
  TimePoint key_expires_at;
};

// What the first step found, in the same transaction. The rifa is held (FOR SHARE on PostgreSQL,
// the single writer on SQLite) until the transaction ends, so its facts cannot change under the
// decisions made on them; when the key was claimed, the buyer's purchases in this rifa are
// serialised from here on (PostgreSQL: a transaction-scoped advisory lock; `held` is re-checked by
// reserve(), under that lock).
struct PurchaseFacts {
  bool buyer_active = false;  // the buyer exists and is active (no key is claimed otherwise)
  bool key_claimed = false;   // the key was new: it is now this transaction's, in_flight
  // The key as found when it was not claimed. Empty when it was claimed, or when a racing request
  // committed it after this step's snapshot (read_key() then sees it).
  std::optional<StoredKey> key;
  struct Rifa {
    std::string estado;
    std::string assignment;  // sequential, random
    std::string categoria;   // the categoria's nombre (bindings resolve by it)
    std::optional<std::string> assignment_seed;
    int64_t total_boletas = 0;
    TimePoint fecha_fin;
    // The payment instance frozen when the rifa was activated (rifas.payment_instance): what its
    // sales go through on every host, whatever that host's bindings say now. Empty while pendiente
    // and for rifas activated before migration 0020 that no reload has frozen yet.
    std::optional<std::string> payment_instance;
  };
  std::optional<Rifa> rifa;  // empty: no such rifa
  int64_t held = 0;          // numbers the buyer holds (reservado) in the rifa
  // The buyer's protections (issue 15), read in the same statement as the facts above.
  struct Buyer {
    std::optional<std::string> fecha_nacimiento;
    std::optional<TimePoint> autoexcluido_hasta;
    std::optional<std::string> limites;
    std::optional<std::string> limites_pendientes;
  };
  Buyer buyer;
};

// Reserve `quantity` free numbers in `order`, insert the pending transaccion and point the key at
// it, all or nothing: nothing is written when fewer numbers are free (or unlocked) than asked, or
// when the buyer would then hold more than max_held_per_buyer.
struct Reservation {
  std::string rifa_id;
  std::string user_id;
  std::string idempotency_key;
  std::string transaccion_id;
  std::string provider;  // the payment instance bound to the rifa
  std::optional<std::string> payment_method;
  int32_t quantity = 1;
  int32_t max_held_per_buyer = 10;
  NumberAssignment order;
  TimePoint now;
  TimePoint hold_expires_at;
};

struct Availability {
  int64_t disponible = 0;  // free numbers in the rifa
  int64_t held = 0;        // numbers the buyer holds there
};

// pending → succeeded for a purchase, in one step: only while the rifa is on sale (activa and
// `now` before fecha_fin, checked under its lock), and only if the transaccion is still pending.
// When its `tickets` reserved numbers are all sold, the key is completed with `response` in the
// same step; ticket_sold is raised and the change audited as settle() does.
struct SaleConfirmation {
  std::string transaccion_id;
  std::string rifa_id;
  std::string provider_ref;
  std::size_t tickets = 0;
  std::string user_id;
  std::string key;
  StoredResponse response;
  std::string actor;
  std::string source;
  TimePoint now;
};

struct ConfirmOutcome {
  bool confirmed = false;      // false: nothing was written (not on sale, or no longer pending)
  bool key_completed = false;  // the key holds `response`
  Sale sale;                   // when confirmed: as it stands after
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
  // JSON text kept with a transaccion that stays pending (the app's next step); dropped when it
  // leaves pending.
  std::optional<std::string> next_action;
  std::string reason;
  TimePoint now;
  std::string actor;   // audit actor: a user id, "webhook:<instance>", "job:<kind>"
  std::string source;  // what decided it: purchase, webhook, reconcile, hold_expiry
  // Moving to refunded: the provider's refund reference. The buyer is told (a "refund" event, in
  // the same transaction) why the money went back.
  std::optional<std::string> refund_ref;
};

struct TicketFilter {
  std::optional<std::string> rifa_id;
  std::optional<std::string> usuario_id;
  std::optional<std::string> estado;
};

// One database transaction of a purchase, held open while the engine decides between its steps
// (PurchaseService): the repository reports facts and performs conditional writes; it never calls
// back into the engine. Nothing is kept unless commit() succeeds; ending it uncommitted rolls back.
class PurchaseTransaction {
 public:
  virtual ~PurchaseTransaction() = default;

  virtual Result<PurchaseFacts> claim(const KeyClaim& claim) = 0;
  virtual Result<std::optional<StoredKey>> read_key(const std::string& user_id, const std::string& key) = 0;
  // Takes a key over for this request (a new request hash, in_flight again from `claim.now`), only
  // if it is still expired or in flight since before `takeover_before`: of two racing takers one
  // wins. An expired key forgets its transaccion. False: another request has it.
  virtual Result<bool> take_over_key(const KeyClaim& claim, TimePoint takeover_before) = 0;
  virtual Result<std::optional<Sale>> load_sale(const std::string& transaccion_id) = 0;
  // The reserved tickets (ordered by numero), or none when nothing was written.
  virtual Result<std::vector<Ticket>> reserve(const Reservation& reservation) = 0;
  virtual Result<Availability> availability(const std::string& rifa_id, const std::string& user_id) = 0;
  // Takes the lock that serialises the buyer's purchases (PostgreSQL: their users row, FOR NO KEY
  // UPDATE, so two hosts on one database take turns and a self-exclusion or limit being written
  // waits for this purchase, or this purchase for it; SQLite: the single writer, held already) and
  // reads their protections as they are under it, newer than the first step's snapshot.
  virtual Result<PurchaseFacts::Buyer> lock_buyer(const std::string& user_id) = 0;
  // The buyer's pending and succeeded transacciones per window, this transaction's included; read
  // after lock_buyer, so every purchase of theirs committed before the lock came is counted.
  virtual Result<Spent> spending(const std::string& user_id, const SpendingWindows& windows) = 0;
  virtual Result<ConfirmOutcome> confirm_sale(const SaleConfirmation& confirmation) = 0;
  virtual Result<SettleOutcome> settle(const SettlePayment& change) = 0;
  virtual Result<void> complete_key(const std::string& user_id, const std::string& key,
                                    const StoredResponse& response) = 0;
  virtual Result<void> record_audit(const AuditEntry& entry, TimePoint at) = 0;
  virtual Result<void> commit() = 0;
};

// Tickets, transacciones and idempotency keys change together, so one repository owns the
// multi-table steps of a sale, each one database transaction with its audit rows. Storage failures
// are kDatabase.
class SalesRepository {
 public:
  virtual ~SalesRepository() = default;

  // Opens a purchase's transaction (BEGIN; SQLite takes its write lock).
  virtual Result<std::unique_ptr<PurchaseTransaction>> begin_purchase() = 0;
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
