#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "engine/clock.hpp"
#include "engine/payment_gateway.hpp"
#include "engine/sales_repository.hpp"

namespace rifa::engine {

// What a webhook did: "applied" (the transaccion moved), "ignored" (a repeat, a reordered or an
// unrelated event: nothing changed), "refunded" (a payment for numbers already released, or for a
// rifa no longer on sale, was given back through the provider), "refused" (a confirmation whose
// amount or currency is not the transaccion's: nothing sold, audited as payment.mismatch).
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

// A confirmation's amount and currency against the transaccion's: nullopt when they agree,
// otherwise what differs. A value the provider does not report is not compared.
std::optional<std::string> confirmation_mismatch(const Transaccion& tx, const std::optional<int64_t>& amount_cents,
                                                 const std::optional<std::string>& currency);

// Audits a refused confirmation ("payment.mismatch" on the transaccion).
Result<void> record_mismatch(SalesRepository& sales, const Clock& clock, const Transaccion& tx,
                             const std::string& mismatch, const std::string& actor, const std::string& source);

// Gives back the money of a transaccion that is failed although its provider took the payment
// (paid after the hold was released, or after the rifa stopped selling): only when the provider
// itself reports the payment succeeded; the refund goes through the payment plugin with the key
// "late-payment:<transaccion id>" and the transaccion moves failed → refunded (compare and set),
// so however many confirmations, jobs and retries arrive, the money goes back once. Returns the
// refund reference, or nullopt when the provider does not report the payment paid (nothing done).
Result<std::optional<std::string>> refund_late_payment(SalesRepository& sales, PaymentGateway& payments,
                                                       const Clock& clock, const Transaccion& tx,
                                                       const std::string& provider_ref, const std::string& why,
                                                       const std::string& actor, const std::string& source);

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
  // again with the same provider idempotency key, which returns the original payment. Then asks,
  // once each, about payments the close failed as long ago: one the provider holds is refunded.
  Result<SweepOutcome> reconcile_pending(TimePoint now);

  static constexpr int kBatch = 200;

 private:
  struct Applied {
    bool moved = false;                       // this call moved the transaccion
    Transaccion after;                        // as it stands afterwards
    std::optional<std::string> sale_refused;  // a success refused: the rifa is no longer on sale
  };
  Result<WebhookOutcome> refund_webhook_payment(const Transaccion& tx, const WebhookEvent& event,
                                                const std::string& why);
  // Moves `tx` to `to` unless the state machine forbids it.
  Result<Applied> apply(Transaccion tx, PaymentStatus to, const std::optional<std::string>& provider_ref,
                        const std::string& reason, const std::string& actor, const std::string& source);
  // A success that left the transaccion failed (the rifa stopped selling) is given back.
  Result<void> refund_if_refused(const Applied& applied, const std::string& actor, const std::string& source);
  // The second half of reconcile_pending: payments released by a close, asked about once.
  Result<SweepOutcome> recheck_released(TimePoint now, SweepOutcome out);

  SalesRepository& sales_;
  PaymentGateway& payments_;
  const Clock& clock_;
  std::chrono::seconds reconcile_after_;
};

}  // namespace rifa::engine
