#pragma once

#include <cstdint>
#include <string>

#include "common/result.hpp"
#include "engine/clock.hpp"
#include "engine/jobs/job_queue.hpp"
#include "engine/payment_gateway.hpp"
#include "engine/settlement/refund_repository.hpp"

namespace rifa::settlement {

struct RefundSummary {
  int refunded = 0;  // transacciones refunded by this run
  int64_t refunded_cents = 0;
  int released = 0;       // pending payments the provider reported failed: their numbers freed
  int still_pending = 0;  // payments the provider has not decided yet
  int failed = 0;         // refunds the provider refused or could not make this time
};

// Refunds every paid ticket of a cancelled rifa through the payment plugin that took the payment
// (transacciones.provider), with the transaccion id as the idempotency key, so a retry after a
// crash gets the same refund back instead of a second one. Per charge, one transaction records
// the outcome: a reembolsos row (one per transaccion, ever), the transaccion refunded, its tickets
// anulado, and an audit "refund" row.
//
// Payments still pending are asked about (get_payment): paid → refunded as above; failed → the
// transaccion failed and its reserved numbers released; undecided → left for a later run. The job
// fails while anything is left (retried with backoff), and when all is done publishes rifa_closed
// with {"estado": "cancelada", ...} to the rifa's notifiers.
//
// Test-only crash point (common/crash_point.hpp): refund.after_provider.
class RefundService {
 public:
  // `payments` reaches the payment plugins (plugin_runtime::PluginPaymentGateway); `refunds` is
  // storage (storage/repositories/sql_refund_repository).
  RefundService(RefundRepository& refunds, engine::PaymentGateway& payments, const engine::Clock& clock);

  // The rifa.refund handler.
  Result<void> handle(const jobs::Job& job);
  Result<RefundSummary> refund_rifa(const std::string& rifa_id);

 private:
  RefundRepository& refunds_;
  engine::PaymentGateway& payments_;
  const engine::Clock& clock_;
};

}  // namespace rifa::settlement
