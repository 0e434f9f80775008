#include "engine/purchase_service.hpp"

#include "common/error_status.hpp"
#include "common/sha256.hpp"
#include "engine/iso_time.hpp"
#include "engine/number_assignment.hpp"
#include "engine/payment_service.hpp"
#include "engine/player_rules.hpp"
#include "engine/validation.hpp"

namespace rifa::engine {
namespace {

// What makes two requests "the same" for a key: everything that decides the purchase.
std::string request_hash(const std::string& rifa_id, const std::string& buyer, int64_t quantity,
                         const std::optional<std::string>& payment_method) {
  const nlohmann::json canonical = {{"rifa_id", rifa_id},
                                    {"user_id", buyer},
                                    {"quantity", quantity},
                                    {"payment_method", payment_method ? nlohmann::json(*payment_method) : nullptr}};
  return sha256_hex(canonical.dump());
}

// A refusal as stored for idempotent replay: the status the API answers it with (the one table,
// common/error_status.hpp) and the error, field included, so a replay answers the same problem.
StoredResponse encode_error(const Error& error) {
  nlohmann::json e = {{"code", static_cast<int32_t>(error.code)}, {"message", error.message}};
  if (!error.field.empty()) e["field"] = error.field;
  return {http_status(error.code), nlohmann::json{{"error", std::move(e)}}.dump()};
}

Result<PurchaseResult> decode(const StoredResponse& stored, bool replayed) {
  const nlohmann::json body = nlohmann::json::parse(stored.body, nullptr, false);
  if (body.is_discarded()) return make_error(ErrorCode::kInternal, "stored idempotent answer is not JSON");
  if (stored.status >= 300) {
    const auto& e = body.value("error", nlohmann::json::object());
    Error error = make_error(static_cast<ErrorCode>(e.value("code", static_cast<int32_t>(ErrorCode::kInternal))),
                             e.value("message", std::string("stored failure")));
    error.field = e.value("field", std::string());
    return error;
  }
  return PurchaseResult{stored.status, stored.body, replayed};
}

// Outcomes of create() that prove nothing was charged: the purchase can be failed at once.
// kRateLimited: the host refused the call before the plugin was asked (too many in flight).
bool nothing_charged(ErrorCode code) {
  return code == ErrorCode::kNotFound || code == ErrorCode::kInvalidArgument || code == ErrorCode::kUnsupported ||
         code == ErrorCode::kConfigInvalid || code == ErrorCode::kRateLimited;
}

// Adults only and self-exclusion (issue 15), on the buyer's row as the purchase's first statement
// read it. A refusal keeps nothing: the transaction (and the key's claim) rolls back, so the same
// key can be used again once the player may buy.
Result<void> check_buyer(const PurchaseFacts::Buyer& buyer, const std::string& buyer_id, TimePoint now) {
  // kPermissionDenied with these fields answers its own problem type (common/error_status.hpp).
  if (!buyer.fecha_nacimiento) {
    return field_error(ErrorCode::kPermissionDenied, kBirthDateRequiredField,
                       "adults only (Ley 643 de 2001): account " + buyer_id +
                           " has no fecha_nacimiento; add it with PATCH /api/v1/users/" + buyer_id + " before buying");
  }
  if (buyer.autoexcluido_hasta && now < *buyer.autoexcluido_hasta) {
    const bool indefinite = *buyer.autoexcluido_hasta == indefinite_exclusion_end();
    return field_error(ErrorCode::kPermissionDenied, kSelfExcludedField,
                       indefinite ? std::string("the player is self-excluded indefinitely")
                                  : "the player is self-excluded until " + format_iso_time(*buyer.autoexcluido_hasta));
  }
  return {};
}

}  // namespace

nlohmann::json receipt_json(const Sale& sale) {
  nlohmann::json tickets = nlohmann::json::array();
  for (const auto& t : sale.tickets) tickets.push_back({{"id", t.id}, {"numero", t.numero}, {"estado", t.estado}});
  const Transaccion& tx = sale.transaccion;
  nlohmann::json body = {{"tickets", std::move(tickets)}, {"transaccion_id", tx.id}, {"status", to_string(tx.status)},
                         {"amount", tx.amount},           {"currency", tx.currency}, {"rifa_id", tx.rifa_id}};
  if (tx.status == PaymentStatus::kPending && !sale.tickets.empty() && sale.tickets.front().hold_expires_at) {
    body["hold_expires_at"] = format_iso_time(*sale.tickets.front().hold_expires_at);
  }
  return body;
}

PurchaseService::PurchaseService(SalesRepository& sales, PaymentGateway& payments, const Clock& clock, IdGenerator& ids,
                                 SalesPolicy policy)
    : sales_(sales), payments_(payments), clock_(clock), ids_(ids), policy_(policy) {}

Result<PurchaseResult> PurchaseService::purchase(const Actor& actor, const PurchaseInput& in) {
  const std::string buyer = in.user_id.value_or(actor.user_id);
  if (buyer != actor.user_id && !actor.is_staff()) {
    return field_error(ErrorCode::kPermissionDenied, "user_id", "a jugador can only buy tickets for themself");
  }
  if (in.quantity < 1 || in.quantity > kMaxTicketsPerPurchase) {
    return invalid_field("quantity", "must be between 1 and " + std::to_string(kMaxTicketsPerPurchase));
  }
  if (in.idempotency_key.empty() || in.idempotency_key.size() > kMaxIdempotencyKeyLength) {
    return invalid_field("idempotency_key", "must be 1 to " + std::to_string(kMaxIdempotencyKeyLength) +
                                                " characters (body member or Idempotency-Key header)");
  }
  if (in.payment_method && (in.payment_method->empty() || utf8_length(*in.payment_method) > kMaxPaymentMethodLength)) {
    return invalid_field("payment_method", "must be 1 to " + std::to_string(kMaxPaymentMethodLength) + " characters");
  }

  const TimePoint now = clock_.now();
  KeyClaim claim;
  claim.rifa_id = in.rifa_id;
  claim.user_id = buyer;
  claim.key = in.idempotency_key;
  claim.request_hash = request_hash(in.rifa_id, buyer, in.quantity, in.payment_method);
  claim.now = now;
  claim.key_expires_at = now + policy_.idempotency_key_ttl;

  auto opened = sales_.begin_purchase();
  if (!opened) return opened.error();
  // Ended (and its pooled session given back) before finish() opens the second transaction: holding
  // one session while waiting for another would starve the pool under concurrent purchases.
  std::unique_ptr<PurchaseTransaction> first = std::move(*opened);
  PurchaseTransaction& tx = *first;
  auto facts = tx.claim(claim);
  if (!facts) return facts.error();

  // The buyer (the key row refers to it): no key is kept for this refusal.
  if (!facts->buyer_active) {
    return make_field_error(ErrorCode::kInvalidArgument, "user_id",
                            "user " + buyer + " does not exist or is deactivated");
  }
  // Refusals are the key's answer, stored in the same transaction.
  const auto refuse = [&tx, &claim](Error error) -> Result<PurchaseResult> {
    if (auto stored = tx.complete_key(claim.user_id, claim.key, encode_error(error)); !stored) return stored.error();
    if (auto committed = tx.commit(); !committed) return committed.error();
    return error;
  };

  // The key: new, or taken over (expired, or in flight past the bound), or answered from.
  if (!facts->key_claimed) {
    std::optional<StoredKey> key = facts->key;
    if (!key) {
      // Committed by a racing request after the first step's snapshot.
      auto reread = tx.read_key(buyer, in.idempotency_key);
      if (!reread) return reread.error();
      if (!*reread) return make_error(ErrorCode::kDatabase, "idempotency key vanished while being claimed");
      key = std::move(*reread);
    }
    const bool expired = key->expires_at < now;
    if (!expired && key->request_hash != claim.request_hash) {
      return invalid_field("idempotency_key",
                           "was already used with a different request (rifa, user_id, quantity "
                           "or payment_method); use a new key for a new purchase");
    }
    if (!expired && key->status == "completed") {
      return decode(key->response.value_or(StoredResponse{500, "{}"}), true);
    }
    const TimePoint takeover_before = now - policy_.in_flight_takeover;
    const auto in_flight = [] {
      return field_error(ErrorCode::kConflict, "idempotency_key",
                         "a request with this key is still being processed; retry later");
    };
    if (!expired && key->created_at >= takeover_before) return in_flight();
    auto taken = tx.take_over_key(claim, takeover_before);
    if (!taken) return taken.error();
    if (!*taken) return in_flight();
    if (!expired && key->transaccion_id) {
      // The first request died half way: finish its purchase as it stands, never charge twice.
      auto sale = tx.load_sale(*key->transaccion_id);
      if (!sale) return sale.error();
      if (*sale) {
        if (auto committed = tx.commit(); !committed) return committed.error();
        first.reset();
        return finish(actor, buyer, in.idempotency_key, std::move(**sale));
      }
    }
  }

  if (auto allowed = check_buyer(facts->buyer, buyer, now); !allowed) return allowed.error();

  // The rifa, held since the first step: on sale while activa and before fecha_fin (sales end at
  // fecha_fin whether or not the closing job has run yet; after it the draw may be known).
  if (!facts->rifa) return refuse(make_error(ErrorCode::kNotFound, "rifa " + in.rifa_id + " does not exist"));
  const PurchaseFacts::Rifa& rifa = *facts->rifa;
  if (rifa.estado != "activa") {
    return refuse(make_error(ErrorCode::kConflict, "rifa " + in.rifa_id + " is " + rifa.estado +
                                                       ": tickets are sold only while it is activa"));
  }
  if (now >= rifa.fecha_fin) {
    return refuse(make_field_error(ErrorCode::kConflict, "fecha_fin",
                                   "sales of rifa " + in.rifa_id + " ended at " + format_iso_time(rifa.fecha_fin)));
  }
  const auto over_cap = [&](int64_t held) {
    return make_field_error(ErrorCode::kConflict, "quantity",
                            "a buyer may hold at most " + std::to_string(policy_.max_held_per_buyer) +
                                " number(s) of a rifa while their payments are pending; " + std::to_string(held) +
                                " already held, asked for " + std::to_string(in.quantity) + " more");
  };
  if (facts->held + in.quantity > policy_.max_held_per_buyer) return refuse(over_cap(facts->held));

  // Reserve. An activa rifa always has its seed (commitment_freezer); the rifa id only stands in
  // for rows activated before migration 0006. SKIP LOCKED can come up short while another buyer's
  // rows are locked and then committed under us: the availability is asked before refusing.
  Reservation r;
  r.rifa_id = in.rifa_id;
  r.user_id = buyer;
  r.idempotency_key = in.idempotency_key;
  r.transaccion_id = ids_.next();
  // The instance frozen at activation, as the database says in this transaction: another host's
  // activation, or one racing this host's reload, is seen here; the live bindings only stand in for
  // rifas activated before migration 0020 that no reload has frozen yet.
  r.provider = rifa.payment_instance ? *rifa.payment_instance : payments_.instance_for(in.rifa_id, rifa.categoria);
  r.payment_method = in.payment_method;
  r.quantity = static_cast<int32_t>(in.quantity);
  r.max_held_per_buyer = policy_.max_held_per_buyer;
  r.order = number_assignment(rifa.assignment, rifa.assignment_seed.value_or(in.rifa_id), rifa.total_boletas);
  r.now = now;
  r.hold_expires_at = now + policy_.hold_ttl;
  std::vector<Ticket> tickets;
  for (int attempt = 0; attempt < 3 && tickets.empty(); ++attempt) {
    auto reserved = tx.reserve(r);
    if (!reserved) return reserved.error();
    tickets = std::move(*reserved);
    if (!tickets.empty()) break;
    auto left = tx.availability(in.rifa_id, buyer);
    if (!left) return left.error();
    if (left->held + in.quantity > policy_.max_held_per_buyer) return refuse(over_cap(left->held));
    if (left->disponible <= 0) {
      return refuse(make_field_error(ErrorCode::kConflict, "quantity", "the rifa is sold out (0 numbers left)"));
    }
    if (left->disponible < in.quantity || attempt == 2) {
      return refuse(make_field_error(
          ErrorCode::kConflict, "quantity",
          "only " + std::to_string(left->disponible) + " number(s) left, asked for " + std::to_string(in.quantity)));
    }
  }

  // The buyer's protections again, under the lock that serialises their purchases: the first
  // step's snapshot may predate a self-exclusion or a first limit committed while this purchase
  // ran (PostgreSQL), and both bind from their commit. One that commits later waits for this
  // purchase to end. Refused here, nothing is kept (rolled back).
  auto locked = tx.lock_buyer(buyer);
  if (!locked) return locked.error();
  if (auto allowed = check_buyer(*locked, buyer, now); !allowed) return allowed.error();
  // Spending limits: only a buyer who has some pays for the sums (one more statement), against
  // every purchase of theirs committed before the lock plus this one.
  if (const SpendingLimits limits = effective_limits(locked->limites, locked->limites_pendientes, now); limits.any()) {
    int64_t amount = 0;
    for (const auto& ticket : tickets) amount += ticket.precio;
    auto spent = tx.spending(buyer, spending_windows(now));
    if (!spent) return spent.error();
    if (auto within = check_limits(limits, *spent, amount); !within) return within.error();
  }

  Sale sale;
  Transaccion& t = sale.transaccion;
  t.id = r.transaccion_id;
  t.user_id = buyer;
  t.rifa_id = in.rifa_id;
  for (const auto& ticket : tickets) t.amount += ticket.precio;
  t.currency = "COP";
  t.provider = r.provider;
  t.status = PaymentStatus::kPending;
  t.payment_method = in.payment_method;
  t.created_at = now;
  sale.tickets = std::move(tickets);
  nlohmann::json numbers = nlohmann::json::array();
  for (const auto& ticket : sale.tickets) numbers.push_back(ticket.numero);
  AuditEntry created{actor.user_id,
                     "payment.created",
                     "transacciones",
                     t.id,
                     {{"status", "pending"},
                      {"amount", t.amount},
                      {"currency", t.currency},
                      {"provider", t.provider},
                      {"rifa_id", t.rifa_id},
                      {"user_id", t.user_id},
                      {"numeros", numbers}}};
  if (auto audited = tx.record_audit(created, now); !audited) return audited.error();
  if (auto committed = tx.commit(); !committed) return committed.error();
  first.reset();
  return finish(actor, buyer, in.idempotency_key, std::move(sale));
}

Result<PurchaseResult> PurchaseService::finish(const Actor& actor, const std::string& buyer, const std::string& key,
                                               Sale sale) {
  const Transaccion& tx = sale.transaccion;
  SettlePayment change;
  change.transaccion_id = tx.id;
  change.from = tx.status;
  change.to = tx.status;
  change.actor = actor.user_id;
  change.source = "purchase";

  // A failed purchase answers 402 with the provider's reason, unless the provider refused the
  // request itself (then it is the service that is unavailable, not the buyer's payment).
  std::optional<Error> refused;
  nlohmann::json next_action;  // the app's next step while the payment stays pending
  if (tx.status == PaymentStatus::kPending) {
    nlohmann::json numeros = nlohmann::json::array();
    for (const auto& t : sale.tickets) numeros.push_back(t.numero);
    PaymentRequest request;
    request.amount_cents = tx.amount;
    request.currency = tx.currency;
    request.idempotency_key = tx.id;
    request.description = "rifa " + tx.rifa_id + ": " + std::to_string(sale.tickets.size()) + " ticket(s)";
    request.metadata = {
        {"rifa_id", tx.rifa_id}, {"user_id", tx.user_id}, {"transaccion_id", tx.id}, {"numeros", numeros}};
    if (tx.payment_method) request.metadata["payment_method"] = *tx.payment_method;
    auto answer = payments_.create(tx.provider, request);
    if (answer) {
      change.provider_ref = answer->provider_ref;
      change.to = answer->status;
      next_action = answer->next_action;
      if (!next_action.is_null()) change.next_action = next_action.dump();
      if (answer->status == PaymentStatus::kSucceeded) {
        if (auto mismatch = confirmation_mismatch(tx, answer->amount_cents, answer->currency)) {
          // Not sold on a charge of another amount: held as pending for reconciliation and hold
          // expiry to settle, and audited for a person to look at.
          Transaccion charged = tx;
          charged.provider_ref = answer->provider_ref;
          if (auto audited = record_mismatch(sales_, clock_, charged, *mismatch, actor.user_id, "purchase"); !audited) {
            return audited.error();
          }
          change.to = PaymentStatus::kPending;
        }
      }
      if (answer->status == PaymentStatus::kFailed) {
        change.reason = answer->reason.empty() ? "declined by the provider" : answer->reason;
      }
      // A new payment cannot already be refunded; keep it pending and let reconciliation ask.
      if (answer->status == PaymentStatus::kRefunded) change.to = PaymentStatus::kPending;
    } else if (answer.error().code == ErrorCode::kPaymentDeclined) {
      change.to = PaymentStatus::kFailed;
      change.reason = answer.error().message;
    } else if (nothing_charged(answer.error().code)) {
      change.to = PaymentStatus::kFailed;
      change.reason = "the payment provider refused the request: " + answer.error().message;
      refused = make_error(ErrorCode::kUnavailable, change.reason);
    } else {
      // The charge may or may not exist: keep the numbers held and the key in flight; the
      // reconciliation job (same provider key) or a retry after the takeover bound settles it.
      return make_error(ErrorCode::kUnavailable,
                        "the payment provider did not answer (" + answer.error().message +
                            "); the purchase is held as pending and will be reconciled; retry later with the same "
                            "idempotency key");
    }
  }
  const std::string rifa_id = tx.rifa_id;
  const auto respond = [refused, rifa_id, next_action](const SettleOutcome& outcome) {
    const Sale& s = outcome.sale;
    if (s.transaccion.status == PaymentStatus::kFailed) {
      if (refused) return encode_error(*refused);
      if (outcome.sale_refused) {
        return encode_error(make_error(
            ErrorCode::kConflict,
            "rifa " + rifa_id + " stopped selling while the payment was being made: " + *outcome.sale_refused));
      }
      return encode_error(
          make_error(ErrorCode::kPaymentDeclined,
                     "payment declined by the provider: " + s.transaccion.failure_reason.value_or("no reason given")));
    }
    nlohmann::json body = receipt_json(s);
    if (s.transaccion.status == PaymentStatus::kPending && !next_action.is_null()) body["next_action"] = next_action;
    return StoredResponse{201, body.dump()};
  };
  change.now = clock_.now();
  const bool charged = change.to == PaymentStatus::kSucceeded;

  auto opened = sales_.begin_purchase();
  if (!opened) return opened.error();
  PurchaseTransaction& t2 = **opened;

  // The common case, in one step: pending → succeeded with the receipt it makes, built once here
  // and stored as the key's answer in that same step, and sent as stored.
  if (charged && tx.status == PaymentStatus::kPending && change.provider_ref) {
    Sale sold = sale;
    sold.transaccion.status = PaymentStatus::kSucceeded;
    sold.transaccion.provider_ref = change.provider_ref;
    for (auto& t : sold.tickets) {
      t.estado = "vendido";
      t.hold_expires_at.reset();
    }
    SaleConfirmation c;
    c.transaccion_id = tx.id;
    c.rifa_id = tx.rifa_id;
    c.provider_ref = *change.provider_ref;
    c.tickets = sale.tickets.size();
    c.user_id = buyer;
    c.key = key;
    c.response = StoredResponse{201, receipt_json(sold).dump()};
    c.actor = actor.user_id;
    c.source = change.source;
    c.now = change.now;
    auto confirmed = t2.confirm_sale(c);
    if (!confirmed) return confirmed.error();
    if (confirmed->confirmed) {
      if (!confirmed->key_completed) {
        // The sale is not what was reserved (cannot happen while holds are only released with
        // their transaccion): answer what it is.
        const StoredResponse actual{201, receipt_json(confirmed->sale).dump()};
        if (auto stored = t2.complete_key(buyer, key, actual); !stored) return stored.error();
        c.response = actual;
      }
      if (auto committed = t2.commit(); !committed) return committed.error();
      return PurchaseResult{c.response.status, std::move(c.response.body), false};
    }
    // Not on sale any more, or settled meanwhile by a webhook: the general path decides.
  }

  auto settled = t2.settle(change);
  if (!settled) return settled.error();
  const StoredResponse answer = respond(*settled);
  if (auto stored = t2.complete_key(buyer, key, answer); !stored) return stored.error();
  if (auto committed = t2.commit(); !committed) return committed.error();
  const Transaccion& after = settled->sale.transaccion;
  if (charged && after.status == PaymentStatus::kFailed && after.provider_ref) {
    // Charged, but the rifa stopped selling (or closed and released the hold) meanwhile: the
    // money goes back now; a failure here is retried by the next confirmation or by hand.
    auto refunded =
        refund_late_payment(sales_, payments_, clock_, after, *after.provider_ref,
                            settled->sale_refused.value_or("the numbers were released"), actor.user_id, "purchase");
    if (!refunded) return refunded.error();
  }
  return decode(answer, false);
}

}  // namespace rifa::engine
