#include "engine/payment_service.hpp"

namespace rifa::engine {
namespace {

// The payment status a provider event asks for, from its type ("payment.succeeded") or, for
// providers that do not name types, its status. nullopt: not about a payment (payouts ...).
std::optional<PaymentStatus> wanted_status(const WebhookEvent& event) {
  if (event.type == "payment.succeeded") return PaymentStatus::kSucceeded;
  if (event.type == "payment.failed") return PaymentStatus::kFailed;
  if (event.type == "payment.refunded" || event.type == "refund.succeeded") return PaymentStatus::kRefunded;
  if (!event.type.empty()) return std::nullopt;
  return parse_payment_status(event.status);
}

}  // namespace

PaymentService::PaymentService(SalesRepository& sales, PaymentGateway& payments, const Clock& clock,
                               std::chrono::seconds reconcile_pending_after)
    : sales_(sales), payments_(payments), clock_(clock), reconcile_after_(reconcile_pending_after) {}

Result<bool> PaymentService::apply(Transaccion tx, PaymentStatus to, const std::optional<std::string>& provider_ref,
                                   const std::string& reason, const std::string& actor, const std::string& source) {
  // Another writer may move the row between our read and our write; the compare-and-set then
  // changes nothing and the decision is taken again on the fresh status.
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (!payment_transition_allowed(tx.status, to)) return false;
    SettlePayment change;
    change.transaccion_id = tx.id;
    change.from = tx.status;
    change.to = to;
    change.provider_ref = provider_ref;
    change.reason = reason;
    change.now = clock_.now();
    change.actor = actor;
    change.source = source;
    auto settled = sales_.settle(change);
    if (!settled) return settled.error();
    if (settled->changed) return true;
    tx = settled->sale.transaccion;
  }
  return false;
}

Result<WebhookOutcome> PaymentService::handle_webhook(const std::string& instance, const std::string& method,
                                                      const std::string& headers, const std::string& body) {
  auto event = payments_.verify_webhook(instance, method, headers, body);
  if (!event) return event.error();
  WebhookOutcome out;
  const auto to = wanted_status(*event);
  if (!to) {
    out.result = "ignored";
    out.detail = "event " + event->event_id + " (" + event->type + ") is not about a ticket payment";
    return out;
  }
  if (event->provider_ref.empty()) return make_error(ErrorCode::kInvalidArgument, "the webhook event has no provider_ref");
  auto tx = sales_.find_by_provider_ref(instance, event->provider_ref);
  if (!tx) return tx.error();
  if (!*tx) {
    // Possibly the purchase has not recorded the provider's answer yet: a not-found makes the
    // provider deliver it again later.
    return make_error(ErrorCode::kNotFound, "no transaccion of '" + instance + "' has provider_ref '" +
                                                event->provider_ref + "'");
  }
  out.transaccion_id = (*tx)->id;
  const PaymentStatus before = (*tx)->status;
  if (*to == PaymentStatus::kSucceeded && before == PaymentStatus::kFailed) return refund_late_payment(**tx, *event);
  auto moved = apply(**tx, *to, std::nullopt, event->reason, "webhook:" + instance, "webhook");
  if (!moved) return moved.error();
  auto after = sales_.find_sale((*tx)->id);
  if (!after) return after.error();
  out.status = *after ? to_string((*after)->transaccion.status) : to_string(before);
  out.result = *moved ? "applied" : "ignored";
  if (!*moved) {
    out.detail = std::string("event ") + event->event_id + " asks " + to_string(*to) + " but the transaccion is " +
                 out.status + ": not an allowed move (repeat or out of order)";
  }
  return out;
}

Result<WebhookOutcome> PaymentService::refund_late_payment(const Transaccion& tx, const WebhookEvent& event) {
  // The buyer paid after the numbers were released (hold expired, or a failure came first): there
  // is nothing to sell them any more, so the money goes back. The key makes a repeat a no-op.
  WebhookOutcome out;
  out.transaccion_id = tx.id;
  // Only money the provider itself says it holds is given back; an event it contradicts is ignored.
  auto actual = payments_.get_payment(tx.provider, event.provider_ref);
  if (!actual && actual.error().code != ErrorCode::kNotFound) return actual.error();
  if (!actual || actual->status != PaymentStatus::kSucceeded) {
    out.result = "ignored";
    out.status = to_string(tx.status);
    out.detail = "event " + event.event_id + " says succeeded but the transaccion is failed and the provider does "
                 "not report it paid";
    return out;
  }
  auto refunded = payments_.refund(tx.provider, event.provider_ref, tx.amount, "late-payment:" + tx.id);
  if (!refunded) return refunded.error();
  auto moved = apply(tx, PaymentStatus::kRefunded, std::nullopt,
                     "paid after the numbers were released; refunded (" + *refunded + ")", "webhook:" + tx.provider,
                     "webhook");
  if (!moved) return moved.error();
  out.result = *moved ? "refunded" : "ignored";
  out.status = to_string(*moved ? PaymentStatus::kRefunded : tx.status);
  out.detail = "event " + event.event_id + ": payment arrived for a released purchase; refund " + *refunded;
  return out;
}

Result<SweepOutcome> PaymentService::expire_holds(TimePoint now) {
  SweepOutcome out;
  auto expired = sales_.list_expired_holds(now, kBatch);
  if (!expired) return expired.error();
  for (const Transaccion& tx : *expired) {
    ++out.examined;
    if (tx.provider_ref) {
      auto answer = payments_.get_payment(tx.provider, *tx.provider_ref);
      if (!answer && answer.error().code != ErrorCode::kNotFound) {
        ++out.skipped;  // cannot tell whether it was paid: never release a paid number
        continue;
      }
      if (answer && answer->status == PaymentStatus::kSucceeded) {
        auto moved = apply(tx, PaymentStatus::kSucceeded, std::nullopt, "", "job:sales.expire_holds", "hold_expiry");
        if (!moved) return moved.error();
        if (*moved) ++out.changed;
        continue;
      }
    }
    auto moved = apply(tx, PaymentStatus::kFailed, std::nullopt, "hold expired", "job:sales.expire_holds", "hold_expiry");
    if (!moved) return moved.error();
    if (*moved) ++out.changed;
  }
  auto purged = sales_.purge_expired_keys(now);
  if (!purged) return purged.error();
  return out;
}

Result<SweepOutcome> PaymentService::reconcile_pending(TimePoint now) {
  SweepOutcome out;
  auto pending = sales_.list_pending_before(now - reconcile_after_, kBatch);
  if (!pending) return pending.error();
  for (const Transaccion& tx : *pending) {
    ++out.examined;
    Result<PaymentAnswer> answer = make_error(ErrorCode::kInternal, "not asked");
    if (tx.provider_ref) {
      answer = payments_.get_payment(tx.provider, *tx.provider_ref);
    } else {
      PaymentRequest request;
      request.amount_cents = tx.amount;
      request.currency = tx.currency;
      request.idempotency_key = tx.id;
      request.description = "rifa " + tx.rifa_id + " (reconciliation)";
      request.metadata = {{"rifa_id", tx.rifa_id}, {"user_id", tx.user_id}, {"transaccion_id", tx.id}};
      answer = payments_.create(tx.provider, request);
    }
    std::optional<PaymentStatus> to;
    std::string reason;
    std::optional<std::string> ref = tx.provider_ref;
    if (answer) {
      if (!answer->provider_ref.empty()) ref = answer->provider_ref;
      if (answer->status == PaymentStatus::kSucceeded || answer->status == PaymentStatus::kFailed) {
        to = answer->status;
        reason = answer->reason;
      }
    } else if (answer.error().code == ErrorCode::kPaymentDeclined) {
      to = PaymentStatus::kFailed;
      reason = answer.error().message;
    } else if (answer.error().code == ErrorCode::kNotFound && tx.provider_ref) {
      to = PaymentStatus::kFailed;
      reason = "the provider does not know this payment";
    } else {
      ++out.skipped;
      continue;
    }
    if (!to) {
      // Still pending at the provider; at least remember its reference.
      if (ref && !tx.provider_ref) {
        SettlePayment change;
        change.transaccion_id = tx.id;
        change.provider_ref = ref;
        change.now = clock_.now();
        change.actor = "job:payments.reconcile";
        change.source = "reconcile";
        if (auto s = sales_.settle(change); !s) return s.error();
      }
      continue;
    }
    if (*to == PaymentStatus::kFailed && reason.empty()) reason = "failed at the provider";
    auto moved = apply(tx, *to, ref, reason, "job:payments.reconcile", "reconcile");
    if (!moved) return moved.error();
    if (*moved) ++out.changed;
  }
  return out;
}

}  // namespace rifa::engine
