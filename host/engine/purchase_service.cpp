#include "engine/purchase_service.hpp"

#include <openssl/evp.h>

#include "engine/iso_time.hpp"
#include "engine/payment_service.hpp"
#include "engine/validation.hpp"

namespace rifa::engine {
namespace {

std::string sha256_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

// What makes two requests "the same" for a key: everything that decides the purchase.
std::string request_hash(const std::string& rifa_id, const std::string& buyer, int64_t quantity,
                         const std::optional<std::string>& payment_method) {
  const nlohmann::json canonical = {{"rifa_id", rifa_id},
                                    {"user_id", buyer},
                                    {"quantity", quantity},
                                    {"payment_method", payment_method ? nlohmann::json(*payment_method) : nullptr}};
  return sha256_hex(canonical.dump());
}

// The HTTP status a refusal is replayed with; the same table as api/server/error_mapping for the
// codes a purchase can end in (the engine cannot see the API layer).
int stored_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 422;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kPaymentDeclined: return 402;
    case ErrorCode::kUnavailable: return 503;
    default: return 500;
  }
}

StoredResponse encode_error(const Error& error) {
  const nlohmann::json body = {{"error", {{"code", static_cast<int32_t>(error.code)}, {"message", error.message}}}};
  return {stored_status(error.code), body.dump()};
}

Result<PurchaseResult> decode(const StoredResponse& stored, bool replayed) {
  const nlohmann::json body = nlohmann::json::parse(stored.body, nullptr, false);
  if (body.is_discarded()) return make_error(ErrorCode::kInternal, "stored idempotent answer is not JSON");
  if (stored.status >= 300) {
    const auto& e = body.value("error", nlohmann::json::object());
    return make_error(static_cast<ErrorCode>(e.value("code", static_cast<int32_t>(ErrorCode::kInternal))),
                      e.value("message", std::string("stored failure")));
  }
  return PurchaseResult{stored.status, body, replayed};
}

// Outcomes of create() that prove nothing was charged: the purchase can be failed at once.
// kRateLimited: the host refused the call before the plugin was asked (too many in flight).
bool nothing_charged(ErrorCode code) {
  return code == ErrorCode::kNotFound || code == ErrorCode::kInvalidArgument || code == ErrorCode::kUnsupported ||
         code == ErrorCode::kConfigInvalid || code == ErrorCode::kRateLimited;
}

}  // namespace

nlohmann::json receipt_json(const Sale& sale) {
  nlohmann::json tickets = nlohmann::json::array();
  for (const auto& t : sale.tickets) tickets.push_back({{"id", t.id}, {"numero", t.numero}, {"estado", t.estado}});
  const Transaccion& tx = sale.transaccion;
  nlohmann::json body = {{"tickets", std::move(tickets)},
                         {"transaccion_id", tx.id},
                         {"status", to_string(tx.status)},
                         {"amount", tx.amount},
                         {"currency", tx.currency},
                         {"rifa_id", tx.rifa_id}};
  if (tx.status == PaymentStatus::kPending && !sale.tickets.empty() && sale.tickets.front().hold_expires_at) {
    body["hold_expires_at"] = format_iso_time(*sale.tickets.front().hold_expires_at);
  }
  return body;
}

PurchaseService::PurchaseService(SalesRepository& sales, PaymentGateway& payments, const Clock& clock,
                                 IdGenerator& ids, SalesPolicy policy)
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
  BeginPurchase begin;
  begin.rifa_id = in.rifa_id;
  begin.user_id = buyer;
  begin.actor = actor.user_id;
  begin.quantity = static_cast<int32_t>(in.quantity);
  begin.payment_method = in.payment_method;
  begin.idempotency_key = in.idempotency_key;
  begin.request_hash = request_hash(in.rifa_id, buyer, in.quantity, in.payment_method);
  begin.transaccion_id = ids_.next();
  begin.now = now;
  begin.hold_expires_at = now + policy_.hold_ttl;
  begin.key_expires_at = now + policy_.idempotency_key_ttl;
  begin.takeover_before = now - policy_.in_flight_takeover;
  begin.max_held_per_buyer = policy_.max_held_per_buyer;
  begin.provider_for = [this](const std::string& rifa_id, const std::string& categoria) {
    return payments_.instance_for(rifa_id, categoria);
  };
  begin.encode_refusal = encode_error;

  auto begun = sales_.begin_purchase(begin);
  if (!begun) return begun.error();
  switch (begun->kind) {
    case BeginOutcome::Kind::kReplay: return decode(begun->stored, true);
    case BeginOutcome::Kind::kMismatch:
      return invalid_field("idempotency_key", "was already used with a different request (rifa, user_id, quantity "
                                              "or payment_method); use a new key for a new purchase");
    case BeginOutcome::Kind::kInFlight:
      return field_error(ErrorCode::kConflict, "idempotency_key",
                         "a request with this key is still being processed; retry later");
    case BeginOutcome::Kind::kRefused: return begun->refusal;
    case BeginOutcome::Kind::kReserved:
    case BeginOutcome::Kind::kResumed: break;
  }
  return finish(actor, buyer, in.idempotency_key, std::move(begun->sale));
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
  if (tx.status == PaymentStatus::kPending) {
    nlohmann::json numeros = nlohmann::json::array();
    for (const auto& t : sale.tickets) numeros.push_back(t.numero);
    PaymentRequest request;
    request.amount_cents = tx.amount;
    request.currency = tx.currency;
    request.idempotency_key = tx.id;
    request.description = "rifa " + tx.rifa_id + ": " + std::to_string(sale.tickets.size()) + " ticket(s)";
    request.metadata = {{"rifa_id", tx.rifa_id}, {"user_id", tx.user_id}, {"transaccion_id", tx.id},
                        {"numeros", numeros}};
    if (tx.payment_method) request.metadata["payment_method"] = *tx.payment_method;
    auto answer = payments_.create(tx.provider, request);
    if (answer) {
      change.provider_ref = answer->provider_ref;
      change.to = answer->status;
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
  const auto respond = [refused, rifa_id](const SettleOutcome& outcome) {
    const Sale& s = outcome.sale;
    if (s.transaccion.status == PaymentStatus::kFailed) {
      if (refused) return encode_error(*refused);
      if (outcome.sale_refused) {
        return encode_error(make_error(ErrorCode::kConflict, "rifa " + rifa_id +
                                                                 " stopped selling while the payment was being made: " +
                                                                 *outcome.sale_refused));
      }
      return encode_error(make_error(ErrorCode::kPaymentDeclined,
                                     "payment declined by the provider: " +
                                         s.transaccion.failure_reason.value_or("no reason given")));
    }
    return StoredResponse{201, receipt_json(s).dump()};
  };
  change.now = clock_.now();
  change.complete_key = SettlePayment::KeyCompletion{buyer, key, respond};
  const bool charged = change.to == PaymentStatus::kSucceeded;
  auto settled = sales_.settle(change);
  if (!settled) return settled.error();
  const Transaccion& after = settled->sale.transaccion;
  if (charged && after.status == PaymentStatus::kFailed && after.provider_ref) {
    // Charged, but the rifa stopped selling (or closed and released the hold) meanwhile: the
    // money goes back now; a failure here is retried by the next confirmation or by hand.
    auto refunded = refund_late_payment(sales_, payments_, clock_, after, *after.provider_ref,
                                        settled->sale_refused.value_or("the numbers were released"),
                                        actor.user_id, "purchase");
    if (!refunded) return refunded.error();
  }
  return decode(respond(*settled), false);
}

}  // namespace rifa::engine
