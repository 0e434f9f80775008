#pragma once

#include <chrono>
#include <string>

#include "common/result.hpp"
#include "engine/clock.hpp"
#include "engine/payment_gateway.hpp"
#include "engine/sales_repository.hpp"

namespace rifa::engine {

// What a webhook did: "applied" (the transaccion moved), "ignored" (a repeat, a reordered or an
// unrelated event: nothing changed), "refunded" (a payment for numbers already released was given
// back through the provider).
struct WebhookOutcome {
  std::string result;
  std::string transaccion_id;
  std::string status;  // the transaccion's status after the event
  std::string detail;
};

// How many transacciones a job run looked at and how many it moved.
struct SweepOutcome {
  int examined = 0;
  int changed = 0;
  int skipped = 0;  // the provider could not be asked; tried again next run
};

// Payment state after the purchase: provider webhooks, hold expiry and reconciliation of pending
// payments. Every move goes through the state machine (pending → succeeded | failed, succeeded →
// refunded) as a compare-and-set, so replays, reordering (failed after succeeded) and races between
// a webhook, a job and the purchase itself change each transaccion at most once per move.
class PaymentService {
 public:
  PaymentService(SalesRepository& sales, PaymentGateway& payments, const Clock& clock,
                 std::chrono::seconds reconcile_pending_after);

  // The raw request goes to the plugin instance for verification. kNotFound for an unknown
  // instance; kSignature (400) for a forged or stale signature, and then nothing changes.
  Result<WebhookOutcome> handle_webhook(const std::string& instance, const std::string& method,
                                        const std::string& headers, const std::string& body);

  // Releases numbers whose hold passed: each pending transaccion is first asked about at its
  // provider; one that succeeded after all is sold, the others fail with "hold expired". Also
  // forgets completed idempotency keys past their expiry.
  Result<SweepOutcome> expire_holds(TimePoint now);

  // Asks the provider about transacciones pending for longer than reconcile_pending_after and
  // applies the answer. One without a provider_ref (the host died before recording it) is created
  // again with the same provider idempotency key, which returns the original payment.
  Result<SweepOutcome> reconcile_pending(TimePoint now);

  static constexpr int kBatch = 200;

 private:
  Result<WebhookOutcome> refund_late_payment(const Transaccion& tx, const WebhookEvent& event);
  // Moves `tx` to `to` unless the state machine forbids it; true when this call moved it.
  Result<bool> apply(Transaccion tx, PaymentStatus to, const std::optional<std::string>& provider_ref,
                     const std::string& reason, const std::string& actor, const std::string& source);

  SalesRepository& sales_;
  PaymentGateway& payments_;
  const Clock& clock_;
  std::chrono::seconds reconcile_after_;
};

}  // namespace rifa::engine
