#pragma once

#include <optional>
#include <string>

#include "common/result.hpp"
#include "engine/clock.hpp"
#include "engine/jobs/job_queue.hpp"
#include "engine/payment_gateway.hpp"
#include "engine/settlement/payout.hpp"
#include "engine/settlement/payout_repository.hpp"
#include "engine/settlement/prize_tax.hpp"

namespace rifa::settlement {

// Pays each ganador's cash prize through the rifa's payment plugin, once.
//
// "Once" rests on three things together. (1) The database: the payouts row holds the state; a
// row found enviado is never sent again, and the provider instance is pinned in it before the
// first call (a config reload that rebinds the rifa cannot send a retry through a second
// provider). (2) The provider: the ganador id is the idempotency key, so a retry after a crash
// between the plugin's answer and our write gets the same payout back instead of a new one (the
// sandbox keeps its keys in its state_file across restarts). (3) The outcome is written in ONE
// transaction: payouts row, ganadores.fecha_pago / referencia_pago, the audit row and the
// payout_sent / payout_failed notifications commit together or not at all. Jobs hold a lease, so
// two hosts do not run the same payout at once; if a lease expired mid-call anyway, (2) holds.
//
// A decline marks the row fallido (audit payout.failed and one payout_failed notification, the
// first time) and fails the job, so the queue retries it with backoff and leaves it dead after
// max_attempts, for an admin to see. Prizes in kind are never sent: an operador marks them
// delivered (PrizeDeliveryService).
//
// Test-only crash points (common/crash_point.hpp, RIFA_TEST_CRASH_AT): payout.before_provider,
// payout.after_provider (the plugin paid, nothing recorded yet), payout.before_commit (storage).
class PayoutService {
 public:
  // `payments` reaches the payment plugins (plugin_runtime::PluginPaymentGateway) and names the
  // instance bound to a rifa; `payouts` is storage (storage/repositories/sql_payout_repository).
  // `tax`: the withholding on prizes (prize_tax.hpp). A cash prize is paid its net; when the
  // first attempt falls in another year than the one settlement computed the withholding for, it
  // is computed again with the year of payment's UVT (and stored) before the amount is pinned.
  // `approval_threshold_cents` (settings payouts.approval_threshold_cents): a cash prize whose
  // gross is above it is not sent until an admin approved it (POST /ganadores/{id}/aprobar, which
  // queues the payout again); nullopt: none waits.
  PayoutService(PayoutRepository& payouts, engine::PaymentGateway& payments, const engine::Clock& clock,
                TaxRules tax = {}, std::optional<int64_t> approval_threshold_cents = std::nullopt);

  // The payout.send handler. A prize waiting for approval ends the job (the approval queues a new
  // one) instead of failing it into retries.
  Result<void> handle(const jobs::Job& job);
  // Pays one ganador, or finds it paid. kConflict with field "aprobacion" while it waits for an
  // admin's approval; nothing is written or sent then. Returns its payouts row as it stands afterwards; a prize
  // in kind comes back pendiente (nothing to send) until an operador delivers it.
  // `actor` signs the audit row of the outcome (the job's name, or the admin who asked, verify()).
  Result<PayoutStatus> pay(const std::string& ganador_id, const std::string& actor = "job:payout.send");
  // POST /ganadores/{id}/pagos/verificar (admin): what became of an attempt through a payment plugin
  // that got no definite answer (the job timed out, the host died between the provider's answer
  // and our write). The plugin is asked again with the same idempotency key and amount, which by
  // the payout contract (sdk/abi.h) answers the payout the first attempt made, if it reached the
  // provider, instead of making a second one; if it never did, this is the payment. The answer is
  // recorded as the job records it, the admin in the audit row: enviado, fallido (a decline is an
  // answer: returned, not an error), or still pendiente with the reason noted (kUnavailable /
  // kTimeout: ask again later). An enviado row is returned as it is, the provider not asked;
  // kConflict when there is no unanswered attempt through a plugin (nothing attempted yet, paid by
  // hand, declined, a prize in kind).
  Result<PayoutStatus> verify(const std::string& actor_id, const std::string& ganador_id);
  // nullopt while nothing was attempted for this ganador.
  Result<std::optional<PayoutStatus>> status(const std::string& ganador_id);

 private:
  struct Pinned;
  Result<Pinned> pin(const std::string& ganador_id);
  Result<PayoutStatus> record_outcome(const PrizeContext& prize, const PayoutStatus& pinned,
                                      const engine::ProviderOutcome& outcome, const std::string& actor);

  PayoutRepository& payouts_;
  engine::PaymentGateway& payments_;
  const engine::Clock& clock_;
  TaxRules tax_;
  std::optional<int64_t> approval_threshold_cents_;
};

}  // namespace rifa::settlement
