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

std::optional<std::string> confirmation_mismatch(const Transaccion& tx, const std::optional<int64_t>& amount_cents,
                                                 const std::optional<std::string>& currency) {
  std::string differs;
  if (amount_cents && *amount_cents != tx.amount) {
    differs =
        "amount_cents " + std::to_string(*amount_cents) + " is not the transaccion's " + std::to_string(tx.amount);
  }
  if (currency && *currency != tx.currency) {
    if (!differs.empty()) differs += "; ";
    differs += "currency " + *currency + " is not the transaccion's " + tx.currency;
  }
  if (differs.empty()) return std::nullopt;
  return differs;
}

Result<void> record_mismatch(SalesRepository& sales, const Clock& clock, const Transaccion& tx,
                             const std::string& mismatch, const std::string& actor, const std::string& source) {
  nlohmann::json data = {{"rifa_id", tx.rifa_id},   {"provider", tx.provider},        {"amount", tx.amount},
                         {"currency", tx.currency}, {"status", to_string(tx.status)}, {"source", source},
                         {"mismatch", mismatch}};
  if (tx.provider_ref) data["provider_ref"] = *tx.provider_ref;
  return sales.record_audit(AuditEntry{actor, "payment.mismatch", "transacciones", tx.id, data}, clock.now());
}

Result<std::optional<std::string>> refund_late_payment(SalesRepository& sales, PaymentGateway& payments,
                                                       const Clock& clock, const Transaccion& tx,
                                                       const std::string& provider_ref, const std::string& why,
                                                       const std::string& actor, const std::string& source) {
  // Only money the provider itself says it holds is given back; an event it contradicts is ignored.
  auto actual = payments.get_payment(tx.provider, provider_ref);
  if (!actual && actual.error().code != ErrorCode::kNotFound) return actual.error();
  if (!actual || actual->status != PaymentStatus::kSucceeded) return std::optional<std::string>();
  auto refunded = payments.refund(tx.provider, provider_ref, tx.amount, "late-payment:" + tx.id);
  if (!refunded) return refunded.error();
  // failed → refunded once; a repeat finds it refunded and changes nothing (the provider's key
  // already made the refund itself a no-op).
  SettlePayment change;
  change.transaccion_id = tx.id;
  change.from = PaymentStatus::kFailed;
  change.to = PaymentStatus::kRefunded;
  change.provider_ref = provider_ref;
  change.reason = why + "; refunded (" + *refunded + ")";
  change.refund_ref = *refunded;
  change.now = clock.now();
  change.actor = actor;
  change.source = source;
  auto settled = sales.settle(change);
  if (!settled) return settled.error();
  return std::optional<std::string>(*refunded);
}

PaymentService::PaymentService(SalesRepository& sales, PaymentGateway& payments, const Clock& clock,
                               std::chrono::seconds reconcile_pending_after)
    : sales_(sales), payments_(payments), clock_(clock), reconcile_after_(reconcile_pending_after) {}

Result<PaymentService::Applied> PaymentService::apply(Transaccion tx, PaymentStatus to,
                                                      const std::optional<std::string>& provider_ref,
                                                      const std::string& reason, const std::string& actor,
                                                      const std::string& source) {
  // Another writer may move the row between our read and our write; the compare-and-set then
  // changes nothing and the decision is taken again on the fresh status.
  Applied out;
  out.after = tx;
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (!payment_transition_allowed(tx.status, to)) return out;
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
    out.after = settled->sale.transaccion;
    if (settled->changed) {
      out.moved = true;
      out.sale_refused = settled->sale_refused;
      return out;
    }
    tx = settled->sale.transaccion;
  }
  return out;
}

Result<void> PaymentService::refund_if_refused(const Applied& applied, const std::string& actor,
                                               const std::string& source) {
  if (applied.after.status != PaymentStatus::kFailed || !applied.after.provider_ref) return {};
  auto refunded =
      refund_late_payment(sales_, payments_, clock_, applied.after, *applied.after.provider_ref,
                          applied.sale_refused.value_or("paid after the numbers were released"), actor, source);
  if (!refunded) return refunded.error();
  return {};
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
  if (event->provider_ref.empty())
    return make_error(ErrorCode::kInvalidArgument, "the webhook event has no provider_ref");
  auto tx = sales_.find_by_provider_ref(instance, event->provider_ref);
  if (!tx) return tx.error();
  if (!*tx) {
    // Possibly the purchase has not recorded the provider's answer yet: a not-found makes the
    // provider deliver it again later.
    return make_error(ErrorCode::kNotFound,
                      "no transaccion of '" + instance + "' has provider_ref '" + event->provider_ref + "'");
  }
  out.transaccion_id = (*tx)->id;
  const PaymentStatus before = (*tx)->status;
  const std::string actor = "webhook:" + instance;

  if (*to == PaymentStatus::kSucceeded) {
    // A confirmation sells numbers only for the amount and currency that were asked for. What
    // the event does not say is asked of the provider, whose answer also has to say paid.
    std::optional<int64_t> amount = event->amount_cents;
    std::optional<std::string> currency = event->currency;
    if (!amount || !currency) {
      auto actual = payments_.get_payment(instance, event->provider_ref);
      if (!actual && actual.error().code != ErrorCode::kNotFound) return actual.error();
      if (!actual || (actual->status != PaymentStatus::kSucceeded && actual->status != PaymentStatus::kRefunded)) {
        out.result = "ignored";
        out.status = to_string(before);
        out.detail = "event " + event->event_id + " says succeeded but the provider reports the payment " +
                     (actual ? to_string(actual->status) : "unknown");
        return out;
      }
      if (!amount) amount = actual->amount_cents;
      if (!currency) currency = actual->currency;
    }
    if (auto mismatch = confirmation_mismatch(**tx, amount, currency)) {
      if (auto audited = record_mismatch(sales_, clock_, **tx, *mismatch, actor, "webhook"); !audited) {
        return audited.error();
      }
      out.result = "refused";
      out.status = to_string(before);
      out.detail = "event " + event->event_id + " refused: " + *mismatch + "; nothing was sold";
      return out;
    }
    if (before == PaymentStatus::kFailed) {
      return refund_webhook_payment(**tx, *event, "paid after the numbers were released");
    }
  }

  auto applied = apply(**tx, *to, std::nullopt, event->reason, actor, "webhook");
  if (!applied) return applied.error();
  if (*to == PaymentStatus::kSucceeded && applied->after.status == PaymentStatus::kFailed) {
    // The rifa stopped selling (closed, or past fecha_fin) before this confirmation: the money
    // goes back instead.
    return refund_webhook_payment(applied->after, *event,
                                  applied->sale_refused.value_or("paid after the numbers were released"));
  }
  out.status = to_string(applied->after.status);
  out.result = applied->moved ? "applied" : "ignored";
  if (!applied->moved) {
    out.detail = std::string("event ") + event->event_id + " asks " + to_string(*to) + " but the transaccion is " +
                 out.status + ": not an allowed move (repeat or out of order)";
  }
  return out;
}

Result<WebhookOutcome> PaymentService::refund_webhook_payment(const Transaccion& tx, const WebhookEvent& event,
                                                              const std::string& why) {
  // The buyer paid after the numbers were released (hold expired, a failure came first, or the
  // rifa closed): there is nothing to sell them any more, so the money goes back.
  WebhookOutcome out;
  out.transaccion_id = tx.id;
  auto refunded =
      refund_late_payment(sales_, payments_, clock_, tx, event.provider_ref, why, "webhook:" + tx.provider, "webhook");
  if (!refunded) return refunded.error();
  auto after = sales_.find_sale(tx.id);
  if (!after) return after.error();
  out.status = *after ? to_string((*after)->transaccion.status) : to_string(tx.status);
  if (!*refunded) {
    out.result = "ignored";
    out.detail = "event " + event.event_id + " says succeeded but the transaccion is " + out.status +
                 " and the provider does not report it paid";
    return out;
  }
  out.result = "refunded";
  out.detail = "event " + event.event_id + ": " + why + "; refund " + **refunded;
  return out;
}

Result<SweepOutcome> PaymentService::expire_holds(TimePoint now) {
  SweepOutcome out;
  auto expired = sales_.list_expired_holds(now, kBatch);
  if (!expired) return expired.error();
  constexpr const char* kActor = "job:sales.expire_holds";
  for (const Transaccion& tx : *expired) {
    ++out.examined;
    std::string reason = "hold expired";
    if (tx.provider_ref) {
      auto answer = payments_.get_payment(tx.provider, *tx.provider_ref);
      if (!answer && answer.error().code != ErrorCode::kNotFound) {
        ++out.skipped;  // cannot tell whether it was paid: never release a paid number
        continue;
      }
      if (answer && answer->status == PaymentStatus::kSucceeded) {
        if (auto mismatch = confirmation_mismatch(tx, answer->amount_cents, answer->currency)) {
          if (auto audited = record_mismatch(sales_, clock_, tx, *mismatch, kActor, "hold_expiry"); !audited) {
            return audited.error();
          }
          reason = "hold expired; the provider's payment does not match: " + *mismatch;
        } else {
          auto applied = apply(tx, PaymentStatus::kSucceeded, std::nullopt, "", kActor, "hold_expiry");
          if (!applied) return applied.error();
          if (applied->moved) ++out.changed;
          if (auto refunded = refund_if_refused(*applied, kActor, "hold_expiry"); !refunded) return refunded.error();
          continue;
        }
      }
    }
    auto applied = apply(tx, PaymentStatus::kFailed, std::nullopt, reason, kActor, "hold_expiry");
    if (!applied) return applied.error();
    if (applied->moved) ++out.changed;
  }
  auto purged = sales_.purge_expired_keys(now);
  if (!purged) return purged.error();
  return out;
}

Result<SweepOutcome> PaymentService::reconcile_pending(TimePoint now) {
  SweepOutcome out;
  auto pending = sales_.list_pending_before(now - reconcile_after_, kBatch);
  if (!pending) return pending.error();
  constexpr const char* kActor = "job:payments.reconcile";
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
      if (to == PaymentStatus::kSucceeded) {
        if (auto mismatch = confirmation_mismatch(tx, answer->amount_cents, answer->currency)) {
          // Not sold; left pending for a person to look at (and for hold expiry to release).
          if (auto audited = record_mismatch(sales_, clock_, tx, *mismatch, kActor, "reconcile"); !audited) {
            return audited.error();
          }
          ++out.skipped;
          continue;
        }
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
        change.actor = kActor;
        change.source = "reconcile";
        if (auto s = sales_.settle(change); !s) return s.error();
      }
      continue;
    }
    if (*to == PaymentStatus::kFailed && reason.empty()) reason = "failed at the provider";
    auto applied = apply(tx, *to, ref, reason, kActor, "reconcile");
    if (!applied) return applied.error();
    if (applied->moved) ++out.changed;
    if (*to == PaymentStatus::kSucceeded) {
      if (auto refunded = refund_if_refused(*applied, kActor, "reconcile"); !refunded) return refunded.error();
    }
  }
  return recheck_released(now, out);
}

Result<SweepOutcome> PaymentService::recheck_released(TimePoint now, SweepOutcome out) {
  // A payment failed by the close may still have succeeded at the provider, and its webhook may
  // never come: after the same delay as a pending one, the provider is asked once, and money it
  // holds goes back (the refund's key makes a webhook arriving meanwhile harmless).
  auto released = sales_.list_released_before(now - reconcile_after_, kBatch);
  if (!released) return released.error();
  for (const Transaccion& tx : *released) {
    ++out.examined;
    auto refunded = refund_late_payment(sales_, payments_, clock_, tx, *tx.provider_ref,
                                        "paid after the rifa closed and released its numbers", "job:payments.reconcile",
                                        "reconcile");
    if (!refunded) {
      ++out.skipped;  // the provider did not answer: asked again on the next sweep
      continue;
    }
    if (*refunded) ++out.changed;
    if (auto checked = sales_.mark_release_checked(tx.id); !checked) return checked.error();
  }
  return out;
}

}  // namespace rifa::engine
